"""Agreement on ratings (Krippendorff's alpha): the package against the literature's worked examples, our conversion of
units to reliability data, and the dashboard's pairs read from the database.

The examples are from Klaus Krippendorff, "Computing Krippendorff's Alpha-Reliability" (Annenberg School for
Communication, University of Pennsylvania, 2011):
- section A, two observers, binary data, 10 units, no missing values: alpha = 0.095;
- section C, four observers, 12 units, values 1 to 5 with missing values: alpha = 0.743 nominal, and for the same
  data 0.815 ordinal, 0.849 interval, 0.797 ratio (the values the `krippendorff` package's docstring also cites).
With two values only, every metric's differences are one and the same constant, so the binary example's 0.095 holds
for ordinal data too: that is how it checks the dashboard's ordinal alpha end to end, from SecondReview rows.
"""

import datetime

import krippendorff
import numpy as np
import pytest

from annotations.models import Claim, SecondReview
from dashboard import agreement, metrics
from dashboard.period import Period

from . import dashboard_data as data
from .conftest import make_user

N = None
# Section C: observers A-D (rows) by units 1-12 (columns); None where an observer gave no value.
SECTION_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
SECTION_C_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
# Section A: observers A and B by units 1-10.
SECTION_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
SECTION_A_ALPHA = 0.095


def as_nan(rows):
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@pytest.mark.parametrize("level", list(SECTION_C_ALPHA))
def test_the_package_reproduces_krippendorffs_four_observer_example(level):
    assert (
        round(krippendorff.alpha(reliability_data=as_nan(SECTION_C), level_of_measurement=level), 3)
        == (SECTION_C_ALPHA[level])
    )


def test_our_units_to_reliability_data_reproduces_the_ordinal_alpha_of_0_815():
    units = [[row[unit] for row in SECTION_C] for unit in range(12)]  # each unit's values, in observer order
    matrix = agreement.reliability_data(units)
    assert matrix.shape == (4, 12)
    np.testing.assert_array_equal(np.isnan(matrix), np.isnan(as_nan(SECTION_C)))
    result = agreement.ordinal_alpha(units)
    # Unit 12 has one value only (observer B's 3): it is not pairable and does not count.
    assert result.units == 11 and result.note == ""
    assert round(result.alpha, 3) == 0.815


def test_units_of_unequal_length_are_padded():
    matrix = agreement.reliability_data([[1, 2], [3], [None, 4, 5]])
    assert matrix.shape == (3, 3)
    assert np.isnan(matrix[1, 1]) and np.isnan(matrix[0, 2]) and matrix[2, 2] == 5


def test_binary_example_gives_0_095_whatever_the_level():
    units = list(zip(*SECTION_A, strict=True))
    assert round(agreement.ordinal_alpha(units).alpha, 3) == SECTION_A_ALPHA
    for level in ("nominal", "interval"):
        assert round(krippendorff.alpha(reliability_data=SECTION_A, level_of_measurement=level), 3) == 0.095


@pytest.mark.parametrize(
    "units, note",
    [
        ([], "not enough data"),
        ([(1, 2)], "not enough data"),  # one pair: alpha would be 0 whatever the ratings
        ([(3, None), (2, None)], "not enough data"),  # no pairable unit
        ([(4, 4), (4, 4), (4, 4)], "not enough data: every rating is the same"),  # the package would raise
    ],
)
def test_too_little_data_is_said_so_rather_than_a_nan_or_an_error(units, note):
    result = agreement.ordinal_alpha(units)
    assert result.alpha is None and result.note == note


def test_pairs_counted_in_the_database_make_the_same_reliability_data():
    counted = agreement.counted_pairs([(1, 1, 2), (3, 2, 1)])
    np.testing.assert_array_equal(counted, agreement.reliability_data([(1, 1), (1, 1), (3, 2)]))
    assert agreement.counted_pairs([]).shape == (2, 0)
    assert agreement.alpha_of(agreement.counted_pairs([])).note == "not enough data"


def test_perfect_and_opposite_agreement():
    assert agreement.ordinal_alpha([(1, 1), (5, 5)]).alpha == 1.0
    assert agreement.ordinal_alpha([(1, 5), (5, 1)]).alpha < 0


# --- From the database ---------------------------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return {name: make_user(name, "Reviewers") for name in ("ana", "ben", "cai")}


def test_the_dashboards_pairs_from_the_database_reproduce_the_binary_example(people):
    """Ten claims, each rated by its verdict's author (observer A) and independently by a second checker (B), on a
    scale whose two labels have the values 0 and 1: the dashboard's overall alpha is the published 0.095."""
    ratings = data.scale()
    no, yes = ratings["False"], ratings["Mostly false"]
    no.value, yes.value = 0, 1
    no.save()
    yes.save()
    period = Period.last(12)
    week = period.week_starts[-3]
    revision = data.article()
    for first, second in zip(*SECTION_A, strict=True):
        claim = data.claim(revision, people["ana"], data.at(week, 1))
        data.verdict(claim, people["ana"], yes if first else no)
        data.second_rating(claim, people["ben"], yes if second else no, data.at(week, 5))
    result = metrics.rating_agreement(period)
    assert result.level == "ordinal" and result.left_out == 0
    assert result.overall.units == 10 and round(result.overall.alpha, 3) == SECTION_A_ALPHA
    assert [(pair.checkers, round(pair.result.alpha, 3)) for pair in result.by_pair] == [(("ana", "ben"), 0.095)]


def test_pairs_off_the_scale_are_left_out_and_counted_and_periods_and_pairs_are_separate(people):
    ratings = data.scale()
    period = Period.last(12)
    old, recent = period.week_starts[0], period.week_starts[-1]
    revision = data.article()

    def rated(first_by, first, second_by, second, when):
        claim = data.claim(revision, first_by, when - datetime.timedelta(hours=1))
        data.verdict(claim, first_by, ratings[first])
        data.second_rating(claim, second_by, ratings[second], when)

    ana, ben, cai = people["ana"], people["ben"], people["cai"]
    # ana and ben: in agreement, in the oldest week (their claims both ways round: one pair)
    rated(ana, "True", ben, "True", data.at(old, 2))
    rated(ben, "False", ana, "False", data.at(old, 3))
    rated(ana, "Half true", ben, "Half true", data.at(old, 4))
    # ana and cai: opposed, in the newest week
    rated(ana, "True", cai, "False", data.at(recent, 2))
    rated(cai, "True", ana, "False", data.at(recent, 3))
    # ben and cai: one pair only
    rated(ben, "Mostly true", cai, "Half true", data.at(recent, 4))
    # off the numeric scale: left out
    rated(ana, "Unproven", ben, "True", data.at(recent, 5))
    rated(cai, "False", ben, "Unproven", data.at(recent, 6))
    # before the range: not counted at all
    rated(ana, "True", ben, "False", data.at(old, -2))

    result = metrics.rating_agreement(period)
    assert result.left_out == 2
    assert result.overall.units == 6
    pairs = {pair.checkers: pair.result for pair in result.by_pair}
    assert set(pairs) == {("ana", "ben"), ("ana", "cai"), ("ben", "cai")}
    assert pairs[("ana", "ben")].alpha == 1.0 and pairs[("ana", "ben")].units == 3
    assert pairs[("ana", "cai")].alpha < 0
    assert pairs[("ben", "cai")].alpha is None and pairs[("ben", "cai")].note == "not enough data"
    months = {row.month: row.result for row in result.by_month}
    assert list(months) == period.months
    assert months[old.replace(day=1)].units == 3 and months[old.replace(day=1)].alpha == 1.0
    # the overall alpha is the one of all six pairs together
    expected = agreement.ordinal_alpha([(5, 5), (1, 1), (3, 3), (5, 1), (5, 1), (4, 3)])
    assert result.overall.alpha == pytest.approx(expected.alpha)


def test_withdrawn_claims_and_unrated_second_reviews_do_not_count(people):
    ratings = data.scale()
    period = Period.last(4)
    week = period.week_starts[1]
    revision = data.article()
    for n in range(3):
        claim = data.claim(revision, people["ana"], data.at(week, n))
        data.verdict(claim, people["ana"], ratings["True"])
        data.second_rating(claim, people["ben"], ratings["False"], data.at(week, n + 1))
    withdrawn = claim
    Claim.objects.filter(pk=withdrawn.pk).update(withdrawn_at=data.at(week, 9), withdrawal_reason="Duplicate")
    unrated = data.claim(revision, people["ana"], data.at(week, 1))
    data.verdict(unrated, people["ana"], ratings["True"])
    SecondReview.objects.create(claim=unrated, required=True)
    assert metrics.rating_agreement(period).overall.units == 2
