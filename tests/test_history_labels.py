"""The history in the claim panel reads as sentences: every action a service records has a label."""

import re
from pathlib import Path

from annotations.templatetags.factcheck import ACTION_LABELS


def test_every_recorded_action_has_a_label_for_the_history():
    root = Path(__file__).resolve().parents[1]
    files = [*(root / "annotations" / "services").glob("*.py"), *(root / "matching" / "services").glob("*.py")]
    recorded = {m for f in files for m in re.findall(r'action="([a-z_]+)"', f.read_text())}
    assert "claim_withdrawn" in recorded  # the scan finds the services' actions
    assert "same_claim_linked" in recorded  # and the corpus's, in the claim's history too
    assert recorded - set(ACTION_LABELS) == set()
