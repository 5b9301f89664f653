"""What a reviewer approved: the claim's words, its evidence and the verdict, kept on the verdict as hashes.

Publishing compares them with what is there now, so that a change made after approval by any path (a future bug,
the Django admin, SQL) is refused and named, instead of going out as reviewed. Quote checks and capture re-checks
are not part of it: they are the machine's findings about the evidence, not edits of it.
"""

import hashlib
import json

from ..models import Evidence, Verdict

# What the fingerprint covers, in the words the refusal uses.
PARTS = {
    "claimant": "the claimant",
    "claim_reviewed": "the short statement",
    "exact": "the claimed text",
    "rating": "the rating",
    "explanation": "the explanation",
}


def _digest(*values) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def approval_fingerprint(verdict: Verdict) -> dict:
    """Hashes of what approving `verdict` covers, as stored in Verdict.approved_fingerprint."""
    claim = verdict.claim
    rows = Evidence.objects.filter(claim_id=claim.pk).order_by("pk")  # not the default ordering, which joins the claim
    evidence = rows.values_list("pk", "url", "quote", "stance", "note")
    return {
        "claimant": _digest(claim.claimant),
        "claim_reviewed": _digest(claim.claim_reviewed),
        "exact": _digest(claim.exact),
        "rating": _digest(verdict.rating_id),
        "explanation": _digest(verdict.explanation),
        "evidence": {str(pk): _digest(url, quote, stance, note) for pk, url, quote, stance, note in evidence},
    }


def changes_since_approval(verdict: Verdict) -> list[str]:
    """What differs from what was approved (phrases for a message); empty when it is exactly what was approved."""
    approved = verdict.approved_fingerprint
    if not isinstance(approved, dict):
        return ["what was approved (no record of it)"]
    now = approval_fingerprint(verdict)
    changed = [label for part, label in PARTS.items() if approved.get(part) != now[part]]
    before, after = approved.get("evidence") or {}, now["evidence"]
    for what, ids in (
        ("added", after.keys() - before.keys()),
        ("removed", before.keys() - after.keys()),
        ("edited", {pk for pk in before.keys() & after.keys() if before[pk] != after[pk]}),
    ):
        changed += [f"evidence #{pk} ({what})" for pk in sorted(ids, key=int)]
    return changed
