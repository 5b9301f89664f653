"""How long re-anchoring takes at the size that annotations.services.reanchoring.INLINE_BUDGET allows in a request.

Run from the repository root: ``.venv/bin/python bench/reanchor_inline.py``. Deterministic (seeded). Articles of
several lengths get as many claims as the budget allows, then a revision with 1% character edits (every quote needs
the approximate search, the worst case for the matcher). The floor is one plain edlib infix search per claim over
the new text, measured in the same run. Prints the matching time (no database) for each size.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import django
import edlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1/unused")  # no query is made
django.setup()  # the budget lives in the services, which import the models

from anchoring import char_edits, make_article, pick_claims  # noqa: E402

from annotations.anchoring import Selector, anchor_many  # noqa: E402
from annotations.services.reanchoring import INLINE_BUDGET  # noqa: E402
from annotations.textquote import context  # noqa: E402


def main() -> None:
    rng = random.Random(12)
    print(f"budget {INLINE_BUDGET:,} (claims x characters)")
    print(f"{'chars':>8} {'claims':>7} {'anchor_many s':>14} {'floor s':>8} {'ratio':>6}")
    for length in (5_000, 20_000, 50_000, 200_000):
        text = make_article(rng, length)
        count = max(1, min(400, INLINE_BUDGET // len(text)))
        claims = pick_claims(rng, text, count)
        new_text, _mapping = char_edits(rng, text, 0.01)
        selectors = [Selector(text[c.start : c.end], *context(text, c.start, c.end), c.start) for c in claims]
        began = time.perf_counter()
        anchor_many(text, new_text, selectors)
        took = time.perf_counter() - began
        began = time.perf_counter()
        for c in claims:
            quote = text[c.start : c.end]
            edlib.align(quote, new_text, mode="HW", task="locations", k=len(quote) // 4)
        floor = time.perf_counter() - began
        print(f"{len(text):>8} {len(claims):>7} {took:>14.3f} {floor:>8.3f} {took / floor:>6.1f}")


if __name__ == "__main__":
    main()
