"""Benchmark of annotations.quotecheck.check_quote on a ~100 KB source page.

Run from the repository root: ``.venv/bin/python bench/quotecheck.py``. Deterministic (seeded). The page is the
synthetic article of bench/anchoring.py with the SIPRI fact-sheet sentences in its middle; the quotes are of every
kind the checker meets (verbatim, typographic, with ellipsis and brackets, misquoted, absent). The floor is one bare
edlib infix search of the same quote over the page (``edlib.align(..., mode="HW", k=len // 4)``), the least an
approximate search costs, measured in the same run; the old ``anchoring.find_quote`` is shown for comparison.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import edlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.anchoring import make_article  # noqa: E402

SIPRI = (
    "The five largest arms exporters in 2020-24 were the United States, France, Russia, China and Germany. "
    "The United States accounted for 43 per cent of global arms exports. Russia's arms exports fell by 64 per "
    "cent between 2015-19 and 2020-24."
)
QUOTES = [
    ("verbatim", "The United States accounted for 43 per cent of global arms exports."),
    ("typography", "“russia’s arms exports fell by 64 per\ncent between 2015–19 and 2020–24”"),
    ("ellipsis+brackets", "The five largest arms exporters … were [the US], France, Russia, China and Germany."),
    ("number changed", "The United States accounted for 34 per cent of global arms exports."),
    ("country changed", "The five largest arms exporters in 2020-24 were the United States, Russia, France, China"),
    ("not in the page", "Arms imports by European states more than doubled between the two periods."),
]
REPEAT = 5


def best_of(fn, clear=lambda: None, repeat: int = REPEAT) -> float:
    """Best of ``repeat`` runs (the machine is shared, the minimum is stable); ``clear`` runs before each one."""
    best = float("inf")
    for _ in range(repeat):
        clear()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    from annotations import anchoring, quotecheck, textnorm

    rng = random.Random(20250523)
    half = make_article(rng, 50_000)
    page = f"{half}\n\n{SIPRI}\n\n{make_article(rng, 50_000)}"

    def clear():
        quotecheck._document.cache_clear()
        textnorm.normalise.cache_clear()

    print(f"page {len(page):,} chars, {len(page.split()):,} words; times are the best of {REPEAT} runs\n")
    header = (
        f"{'quote':<18} {'status':<9} {'cold ms':>8} {'warm ms':>8} {'floor ms':>8} {'warm/floor':>10} {'old ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, quote in QUOTES:
        result = quotecheck.check_quote(page, quote)
        cold = best_of(lambda q=quote: quotecheck.check_quote(page, q), clear)
        quotecheck.check_quote(page, quote)
        warm = best_of(lambda q=quote: quotecheck.check_quote(page, q))
        floor = best_of(lambda q=quote: edlib.align(q, page, mode="HW", task="locations", k=len(q) // 4))
        old = best_of(lambda q=quote: anchoring.find_quote(page, q))
        print(
            f"{name:<18} {result.status:<9} {cold * 1e3:>8.2f} {warm * 1e3:>8.2f} {floor * 1e3:>8.2f} "
            f"{warm / floor:>10.2f} {old * 1e3:>7.2f}"
        )
    print("\ncold = the page's word index and loose normalisation built in the call (the first quote of a capture);")
    print("warm = both cached (every further quote of the same capture, as in capture_extract and recheck_quotes);")
    print("floor = one bare edlib HW search of the quote over the page; old = anchoring.find_quote (warm).")


if __name__ == "__main__":
    main()
