"""Making check-worthiness models: the default one from labelled sentences, and a desk's on top of it.

- `train_default`: logistic regression on the ClaimBuster-style features, fitted exactly (Newton's method on the
  weighted log-loss with a small L2; a dozen and a half features, so each step solves a small linear system).
  Deterministic, no learning rate to tune; the rare positives are weighed up to balance the classes, which only
  matters for where the scores sit, not their order much.
- `train_on_top`: a desk's own decisions (claimed sentences 1, dismissed ones 0) adjust a prior model. Stochastic
  gradient descent with AdaGrad steps starts from the prior's weights and is pulled back to them (L2 towards the
  prior), over the features and the sentences' words: a few dozen decisions move what they contain, words never
  seen before get weights of their own, and everything else keeps the prior's weight.
No Django here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .features import features
from .scorer import Model, sigmoid
from .sentences import Sentence, split

Examples = Iterable[tuple[str, int]]  # (sentence, 1 if check-worthy else 0)


def train_default(examples: Examples, *, l2: float = 10.0, iterations: int = 25) -> Model:
    """A model over the "f:" features of these examples (both labels needed: ValueError otherwise)."""
    rows = [
        ({n: v for n, v in features(text).items() if n.startswith("f:")}, 1 if label else 0)
        for text, label in examples
    ]
    positives = sum(label for _, label in rows)
    negatives = len(rows) - positives
    if positives == 0 or negatives == 0:
        raise ValueError(f"training needs both labels ({positives} positives, {negatives} negatives)")
    names = sorted({name for found, _ in rows for name in found})
    column = {name: i + 1 for i, name in enumerate(names)}  # column 0 is the bias
    data = [([0, *(column[n] for n in found)], [1.0, *found.values()], label) for found, label in rows]
    up = negatives / positives
    size = len(names) + 1
    w = [0.0] * size
    for _ in range(iterations):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for columns, values, label in data:
            p = sigmoid(sum(w[c] * v for c, v in zip(columns, values, strict=True)))
            weight = up if label else 1.0
            error, curvature = weight * (p - label), weight * p * (1 - p)
            for a, va in zip(columns, values, strict=True):
                gradient[a] += error * va
                row = hessian[a]
                for b, vb in zip(columns, values, strict=True):
                    row[b] += curvature * va * vb
        for i in range(1, size):  # the bias is not shrunk
            gradient[i] += l2 * w[i]
            hessian[i][i] += l2
        hessian[0][0] += 1e-9
        step = _solve(hessian, gradient)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    weights = {name: w[column[name]] for name in names}
    return Model(weights, w[0], {"positives": positives, "negatives": negatives, "l2": l2})


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix · x = vector (Gauss-Jordan with partial pivoting; the matrix is small and positive definite)."""
    n = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        for r in range(n):
            if r != col and rows[r][col]:
                factor = rows[r][col] / lead
                target, source = rows[r], rows[col]
                for k in range(col, n + 1):
                    target[k] -= factor * source[k]
    return [rows[i][n] / rows[i][i] for i in range(n)]


@dataclass(frozen=True)
class Adjustment:
    """How a desk's decisions adjust the prior. The pull back to the prior (l2) is strong, so that a few dozen
    decisions cannot undo what thousands of debate sentences taught; the passes are many, as the examples are few."""

    epochs: int = 20
    rate: float = 0.1  # AdaGrad's base step
    l2: float = 1e-2  # per example, towards the prior's weights: for words
    feature_l2: float = 1e-1  # and for the "f:" features, which the debates taught on far more sentences
    max_positive_weight: float = 10.0  # claimed sentences weighed up by negatives / positives, at most this
    min_weight: float = 1e-3  # smaller new weights are dropped (the saved model stays small)
    max_new_features: int = 5000
    seed: int = 2020


def train_on_top(prior: Model, examples: Examples, settings: Adjustment = Adjustment()) -> Model:
    """The prior adjusted to these examples (either label may be missing); deterministic for the same input."""
    rows = [(features(text), 1 if label else 0) for text, label in examples]
    positives = sum(label for _, label in rows)
    negatives = len(rows) - positives
    base = prior.weights
    weights = dict(base)
    up = min(max(negatives, 1) / max(positives, 1), settings.max_positive_weight)
    squares: dict[str, float] = {}
    order = list(range(len(rows)))
    shuffle = random.Random(settings.seed).shuffle
    for _ in range(settings.epochs if rows else 0):
        shuffle(order)
        for index in order:
            found, label = rows[index]
            margin = prior.bias + sum(weights.get(name, 0.0) * value for name, value in found.items())
            error = (sigmoid(margin) - label) * (up if label else 1.0)
            for name, value in found.items():
                w = weights.get(name, 0.0)
                pull = settings.feature_l2 if name.startswith("f:") else settings.l2
                gradient = error * value + pull * (w - base.get(name, 0.0))
                squares[name] = squares.get(name, 0.0) + gradient * gradient
                weights[name] = w - settings.rate * gradient / math.sqrt(squares[name] + 1e-8)
    # The bias stays the prior's: a desk that dismissed more than it claimed would push every sentence down alike.
    new = sorted(
        (n for n in weights if n not in base and abs(weights[n]) >= settings.min_weight),
        key=lambda n: -abs(weights[n]),
    )
    kept = {n: weights[n] for n in base} | {n: weights[n] for n in new[: settings.max_new_features]}
    about = {"positives": positives, "negatives": negatives, "on_top_of": prior.about}
    return Model(kept, prior.bias, about)


def sentence_labels(
    text: str, claimed: Sequence[tuple[int, int]], dismissed: Sequence[tuple[int, int]]
) -> list[tuple[Sentence, int]]:
    """(sentence, label) for the sentences of `text` the desk decided about: 1 if a claimed span overlaps it, else
    0 if it was dismissed; sentences nobody decided about are left out (nobody said they were not worth a check)."""
    dismissed_spans = set(dismissed)
    out: list[tuple[Sentence, int]] = []
    for sentence in split(text):
        if any(start < sentence.end and sentence.start < end for start, end in claimed):
            out.append((sentence, 1))
        elif (sentence.start, sentence.end) in dismissed_spans:
            out.append((sentence, 0))
    return out
