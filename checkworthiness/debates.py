"""The CLEF 2020 CheckThat! Task 5 debates (sshaar/clef2020-factchecking-task5; "free for general research use"),
read in place, and the task's measures. Never copied into this repository: the default model is trained from a
folder given on the command line, and tests that need it skip when it is absent.

One transcript a file, one sentence a line: `line_number <TAB> speaker <TAB> text <TAB> label` (1: a
fact-checking organisation checked it; under 1 % are).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from pathlib import Path

Transcript = list[tuple[str, int]]  # (sentence, label), in order


def read_transcript(path: Path) -> Transcript:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(fields) < 4 or not fields[0].strip().isdigit():
                continue  # a header or a blank line
            rows.append((fields[2], 1 if fields[3].strip() == "1" else 0))
    return rows


def read_debates(folder: Path) -> dict[str, Transcript]:
    """Every transcript of the folder by file name (sorted), or ValueError if it holds none."""
    found = {path.name: read_transcript(path) for path in sorted(Path(folder).glob("*.tsv"))}
    if not found:
        raise ValueError(f"no CheckThat! transcripts (*.tsv) in {folder}")
    return found


def held_out(names: Sequence[str], every: int = 5) -> list[str]:
    """The bench's held-out transcripts: every fifth by name (10 of 50), spread over the years and speakers."""
    return [name for index, name in enumerate(sorted(names)) if index % every == every - 1]


def average_precision(labels_in_ranked_order: Sequence[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_in_ranked_order, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def precision_at(labels_in_ranked_order: Sequence[int], k: int = 10) -> float:
    return sum(labels_in_ranked_order[:k]) / k


def evaluate(transcripts: dict[str, Transcript], score: Callable[[str], float]) -> dict[str, float]:
    """MAP and mean P@10 over transcripts (those with a positive), ranking each transcript's sentences by
    `score` (ties in transcript order)."""
    aps, p10s = [], []
    for rows in transcripts.values():
        if not any(label for _, label in rows):
            continue
        scores = [score(text) for text, _ in rows]
        order = sorted(range(len(rows)), key=lambda i: (-scores[i], i))
        ranked = [rows[i][1] for i in order]
        aps.append(average_precision(ranked))
        p10s.append(precision_at(ranked))
    return {"map": sum(aps) / len(aps), "p@10": sum(p10s) / len(p10s), "transcripts": len(aps)}


def random_order(seed: int = 0, rounds: int = 20) -> Callable[[dict[str, Transcript]], dict[str, float]]:
    """The floor: the same measures over random orders (mean of `rounds` shuffles)."""

    def measure(transcripts: dict[str, Transcript]) -> dict[str, float]:
        generator = random.Random(seed)
        results = [evaluate(transcripts, lambda _text: generator.random()) for _ in range(rounds)]
        return {key: sum(r[key] for r in results) / rounds for key in ("map", "p@10", "transcripts")}

    return measure
