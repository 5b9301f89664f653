"""Benchmark of the check-worthiness scorer (checkworthiness/) on the CLEF 2020 CheckThat! Task 5 debates.

Run from the repository root: ``.venv/bin/python bench/checkworthiness.py [FOLDER]`` (default
../shared/data/check-worthiness/debates, read in place: "free for general research use", never copied here).
Trains the default model's way (checkworthiness.training.train_default) on 40 transcripts and ranks the sentences
of the 10 held out (every fifth by name: checkworthiness.debates.held_out), printing the task's MAP and P@10 beside
random order measured in the same run (mean of 20 shuffles), then the same over 5 folds (each transcript held out
once), then the scoring time per sentence (splitting the text into sentences included). Deterministic.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This script's own folder first on the path would make `checkworthiness` this file, not the package.
sys.path[0] = str(ROOT)

from checkworthiness import debates, scorer, training  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "check-worthiness" / "debates"


def rows_of(transcripts: dict, names) -> list[tuple[str, int]]:
    return [row for name in names for row in transcripts[name]]


def line(label: str, result: dict) -> str:
    return (
        f"{label:<34} MAP {result['map']:.4f}   P@10 {result['p@10']:.3f}   ({result['transcripts']:.0f} transcripts)"
    )


def main(folder: Path) -> None:
    transcripts = debates.read_debates(folder)
    names = sorted(transcripts)
    held = debates.held_out(names)
    train_names = [n for n in names if n not in held]
    print(f"{len(names)} transcripts, {sum(len(t) for t in transcripts.values())} sentences, "
          f"{sum(label for t in transcripts.values() for _, label in t)} check-worthy")  # fmt: skip
    print("held out:", ", ".join(n.removesuffix(".tsv") for n in held))

    started = time.perf_counter()
    model = training.train_default(rows_of(transcripts, train_names))
    trained_in = time.perf_counter() - started
    test = {n: transcripts[n] for n in held}
    print(line("scorer, held-out transcripts", debates.evaluate(test, model.score)))
    print(line("random order, same transcripts", debates.random_order()(test)))

    folds = {"map": [], "p@10": []}
    randoms = {"map": [], "p@10": []}
    for k in range(5):
        fold = [n for i, n in enumerate(names) if i % 5 == k]
        fitted = training.train_default(rows_of(transcripts, [n for n in names if n not in fold]))
        part = {n: transcripts[n] for n in fold}
        for key, value in debates.evaluate(part, fitted.score).items():
            if key in folds:
                folds[key].append(value * len(fold))
        for key, value in debates.random_order(seed=k)(part).items():
            if key in randoms:
                randoms[key].append(value * len(fold))
    mean = lambda values: sum(values) / len(names)  # noqa: E731 - every transcript has a positive
    print(line("scorer, 5 folds (all transcripts)", {"map": mean(folds["map"]), "p@10": mean(folds["p@10"]),
                                                     "transcripts": len(names)}))  # fmt: skip
    print(line("random order, 5 folds", {"map": mean(randoms["map"]), "p@10": mean(randoms["p@10"]),
                                         "transcripts": len(names)}))  # fmt: skip

    # Time: each held-out transcript as one text, split into sentences and every sentence scored and ranked.
    texts = [" ".join(text for text, _ in transcripts[n]) for n in held]
    count = 0
    started = time.perf_counter()
    for text in texts:
        count += len(scorer.rank(model, text))
    elapsed = time.perf_counter() - started
    print(f"time: {1000 * elapsed / count:.3f} ms/sentence ({count} sentences ranked in {elapsed:.2f} s); "
          f"training on {len(train_names)} transcripts {trained_in:.1f} s")  # fmt: skip
    print("model:", ", ".join(f"{n}={w:+.2f}" for n, w in sorted(model.weights.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER)
