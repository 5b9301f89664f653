"""Agreement between checkers on ratings: Krippendorff's alpha for ordinal data, from the `krippendorff` package.

Plain Python and numpy (no Django): the dashboard's metrics hand it the pairs of ratings they read from the database,
and the tests hand it worked examples from the literature.

A unit is one claim; its values are the ratings its checkers gave it, on the scale's numeric values (Rating.value),
in coder order (the verdict's author first, then the second checker). Alpha only looks at the values within each
unit, never at who gave them (Krippendorff 2011, the coincidence matrix), so for pairs which coder is "first" does
not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

LEVEL = "ordinal"
MIN_UNITS = 2  # one pair says nothing about chance agreement: alpha of a single pair is 0 or 1 whatever happens
NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class Alpha:
    """Alpha over some units, or None with the reason (fewer than MIN_UNITS pairable units, or no variation: with
    one value in the data, expected disagreement is 0 and alpha is undefined)."""

    alpha: float | None
    units: int
    note: str = ""


def reliability_data(units: Iterable[Sequence[float | None]]) -> np.ndarray:
    """Krippendorff's reliability data: a coders-by-units matrix, NaN where a coder gave the unit no value.

    Each unit is its values in coder order (None for a coder who did not rate it); units of different lengths are
    padded with NaN, so the 4-coder example of the literature and our 2-coder pairs go through the same code."""
    units = [list(unit) for unit in units]
    coders = max((len(unit) for unit in units), default=0)
    data = np.full((coders, len(units)), np.nan)
    for column, unit in enumerate(units):
        for row, value in enumerate(unit):
            if value is not None:
                data[row, column] = value
    return data


def pairable(data: np.ndarray) -> int:
    """Units with at least two values: the only ones alpha counts."""
    return int((np.sum(~np.isnan(data), axis=0) >= 2).sum()) if data.size else 0


def counted_pairs(pairs: Iterable[tuple[float, float, int]]) -> np.ndarray:
    """Reliability data (2 coders by units) from pairs of values counted in the database: (first, second, how many),
    repeated by numpy rather than one Python object per claim."""
    pairs = list(pairs)
    counts = [n for _, _, n in pairs]
    return np.vstack([np.repeat([p[0] for p in pairs], counts), np.repeat([p[1] for p in pairs], counts)]).astype(
        float
    )


def ordinal_alpha(units: Iterable[Sequence[float | None]]) -> Alpha:
    """Alpha for ordinal data over these units, or None and NOT_ENOUGH rather than a NaN or the package's error."""
    return alpha_of(reliability_data(units))


def alpha_of(data: np.ndarray) -> Alpha:
    """Alpha for ordinal data over reliability data (coders by units, NaN for no value)."""
    count = pairable(data)
    if count < MIN_UNITS:
        return Alpha(None, count, NOT_ENOUGH)
    # Only the values of pairable units count; one value among them means no variation.
    paired = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    if np.unique(paired[~np.isnan(paired)]).size < 2:
        return Alpha(None, count, f"{NOT_ENOUGH}: every rating is the same")
    value = float(krippendorff.alpha(reliability_data=paired, level_of_measurement=LEVEL))
    if not np.isfinite(value):  # not expected once there is variation; never hand a NaN on
        return Alpha(None, count, NOT_ENOUGH)
    return Alpha(value, count)
