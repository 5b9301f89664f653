"""How much a sentence deserves a check: a logistic regression over features.features, in plain Python.

A model is a small JSON-serialisable object (weights by feature name, a bias, and what it was trained on), scored
in tens of microseconds per sentence: a few regular expressions and a dictionary look-up per feature. training.py
makes models. No Django here: the bench, the command and the tests use it directly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .features import features
from .sentences import split

FORMAT = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "default_model.json"


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass
class Model:
    weights: dict[str, float]
    bias: float = 0.0
    about: dict = field(default_factory=dict)  # what it was trained on (counts, source), shown nowhere it matters

    def margin(self, text: str) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in features(text).items())

    def score(self, text: str) -> float:
        """The sentence's check-worthiness, 0..1 (higher first; comparable between sentences, not a probability
        of anything, since training weighs the rare positives up)."""
        return sigmoid(self.margin(text))

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "bias": round(self.bias, 6),
            "about": self.about,
            "weights": {name: round(w, 5) for name, w in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a check-worthiness model of format {FORMAT}")
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(isinstance(w, int | float) for w in weights.values()):
            raise ValueError("the model's weights must be an object of numbers")
        return cls({str(k): float(v) for k, v in weights.items()}, float(data.get("bias", 0.0)), data.get("about", {}))


def load_default() -> Model:
    return Model.from_json(json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float


def rank(model: Model, text: str) -> list[Suggestion]:
    """Every sentence of `text`, best first (ties in text order), with code-point offsets into `text`."""
    scored = [Suggestion(s.start, s.end, s.text, model.score(s.text)) for s in split(text)]
    return sorted(scored, key=lambda s: (-s.score, s.start))
