"""Behaviour of the pure anchoring matcher (no Django needed)."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.anchoring import MIN_SCORE, Match, Selector, anchor, anchor_many, find_quote
from annotations.textquote import context

SEED_FILE = Path(__file__).resolve().parents[1] / "annotations" / "demo_data" / "seed_article.txt"

WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "the government said officials report economy growth percent budget defense industry exports military country "
    "security council agreement policy election voters court evidence statement data analysts prices inflation "
    "energy sanctions trade companies workers health study researchers climate water farmers police border city "
    "mayor residents schools technology online network announced confirmed denied warned expected increased fell "
    "nearly about after before while because during against between under over into with from would could should"
).split()


def sentences(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        words.insert(rng.randint(1, len(words) - 1), str(rng.randint(2, 2025)))
        out.append(" ".join(words).capitalize() + ".")
    return out


def article(seed: int = 1, paragraphs: int = 6) -> str:
    rng = random.Random(seed)
    return "\n\n".join(" ".join(sentences(rng, rng.randint(3, 6))) for _ in range(paragraphs))


@pytest.fixture(scope="module")
def seed_article() -> str:
    """The demo article body (first line is a header, then the title)."""
    return SEED_FILE.read_text(encoding="utf-8").split("\n", 1)[1]


def selector_for(text: str, quote: str, occurrence: int = 0) -> tuple[str, str, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    prefix, suffix = context(text, start, start + len(quote))
    return prefix, suffix, start


def assert_at(match: Match | None, text: str, start: int, end: int) -> None:
    assert match is not None
    assert (match.start, match.end) == (start, end), repr(text[match.start : match.end])


# ------------------------------------------------------------------------------------------------------- basics


def test_unchanged_text_anchors_exactly_at_the_hint(seed_article):
    quote = "Russia continues to be among the top five arms exporters in the world"
    prefix, suffix, start = selector_for(seed_article, quote)
    match = anchor(seed_article, quote, prefix, suffix, hint=start)
    assert match == Match(start, start + len(quote), 1.0, True)


def test_unchanged_text_without_hint_or_context(seed_article):
    quote = "The interest in Russian defense industry products is growing"
    start = seed_article.index(quote)
    assert anchor(seed_article, quote) == Match(start, start + len(quote), 1.0, True)


def test_context_returns_32_chars_either_side_clipped_at_the_edges():
    text = "x" * 40 + "QUOTE" + "y" * 10
    assert context(text, 40, 45) == ("x" * 32, "y" * 10)
    assert context(text, 0, 3) == ("", "x" * 32)


def test_text_inserted_before_the_quote_moves_the_anchor(seed_article):
    quote = "Putin pointed out the need to strengthen Russia's position in the arms export market."
    prefix, suffix, start = selector_for(seed_article, quote)
    inserted = "An editor's note was added at the top of the article, several sentences long. " * 5
    new = inserted + seed_article
    match = anchor(new, quote, prefix, suffix, hint=start)
    assert_at(match, new, start + len(inserted), start + len(inserted) + len(quote))
    assert match.exact and match.score > 0.95


def test_a_word_edited_inside_the_quote_anchors_approximately(seed_article):
    quote = "The stock of orders for Russian military products is very serious and amounts to about tens of billions"
    prefix, suffix, start = selector_for(seed_article, quote)
    new = seed_article.replace("very serious", "quite serious", 1)
    match = anchor(new, quote, prefix, suffix, hint=start)
    assert_at(match, new, start, start + len(quote) + 1)
    assert not match.exact
    assert MIN_SCORE <= match.score < 1.0


def test_edited_quote_is_found_without_a_hint_too(seed_article):
    quote = "The president also expressed confidence that Russia has significant growth potential"
    prefix, suffix, start = selector_for(seed_article, quote)
    new = "Breaking. " + seed_article.replace("significant growth", "significant economic growth", 1)
    match = anchor(new, quote, prefix, suffix)
    assert_at(match, new, start + 10, start + 10 + len(quote) + len(" economic"))


# ---------------------------------------------------------------------------------------------------- orphaning


LOOKALIKE_TEXT = (
    "Officials met in the capital on Monday to discuss the budget. "
    "The finance ministry said the economy grew by 3 percent last year, citing preliminary data. "
    "Opposition lawmakers questioned the figures during a heated session. "
    "Later in the week, a government spokesman said the economy grew by 5 percent this year, "
    "a claim that analysts found hard to verify. Markets were calm."
)


def test_deleted_quote_is_orphaned_not_attached_to_a_similar_sentence():
    quote = "the economy grew by 3 percent last year"
    prefix, suffix, start = selector_for(LOOKALIKE_TEXT, quote)
    new = LOOKALIKE_TEXT.replace("The finance ministry said the economy grew by 3 percent last year, citing ", "")
    assert "the economy grew by 5 percent this year" in new
    assert anchor(new, quote, prefix, suffix, hint=start) is None
    assert anchor(new, quote, prefix, suffix) is None


def test_deleted_quote_in_a_long_article_is_orphaned(seed_article):
    quote = "Most of Russia's weapons and equipment samples are promptly and constantly improved and modernized"
    prefix, suffix, start = selector_for(seed_article, quote)
    sentence_end = seed_article.index(".", start) + 1
    new = seed_article[:start] + seed_article[sentence_end:]
    assert anchor(new, quote, prefix, suffix, hint=start) is None


def test_similar_sentence_still_anchors_while_the_original_exists():
    quote = "the economy grew by 3 percent last year"
    prefix, suffix, start = selector_for(LOOKALIKE_TEXT, quote)
    new = LOOKALIKE_TEXT.replace("3 percent", "3.1 percent")
    match = anchor(new, quote, prefix, suffix, hint=start)
    assert_at(match, new, start, start + len(quote) + 2)


# --------------------------------------------------------------------------------------------------- repetition

REPEATED = (
    "In March the council voted to raise the tax. Critics said the decision was rushed. "
    "In June the council voted to raise the tax. Supporters said the decision was overdue."
)


@pytest.mark.parametrize("occurrence", [0, 1])
def test_repeated_quote_is_disambiguated_by_context(occurrence):
    quote = "the council voted to raise the tax"
    prefix, suffix, start = selector_for(REPEATED, quote, occurrence)
    assert_at(anchor(REPEATED, quote, prefix, suffix), REPEATED, start, start + len(quote))


@pytest.mark.parametrize("occurrence", [0, 1])
def test_repeated_quote_context_beats_a_misleading_hint(occurrence):
    quote = "the council voted to raise the tax"
    prefix, suffix, start = selector_for(REPEATED, quote, occurrence)
    other = selector_for(REPEATED, quote, 1 - occurrence)[2]
    assert_at(anchor(REPEATED, quote, prefix, suffix, hint=other), REPEATED, start, start + len(quote))


def test_repeated_quote_with_context_edited_still_follows_the_remaining_context():
    quote = "the council voted to raise the tax"
    prefix, suffix, start = selector_for(REPEATED, quote, 1)
    new = REPEATED.replace("Supporters said", "Its backers argued")
    assert_at(anchor(new, quote, prefix, suffix), new, start, start + len(quote))


# ----------------------------------------------------------------------------------------------- normalisation


def test_nfd_accents_map_back_to_original_offsets():
    original = "Le président Macron a déclaré que la réforme était nécessaire."
    quote = "président Macron a déclaré"
    prefix, suffix, _ = selector_for(original, quote)
    new = "Intro. " + unicodedata.normalize("NFD", original)
    match = anchor(new, quote, prefix, suffix)
    expected_start = new.index(unicodedata.normalize("NFD", quote))
    assert_at(match, new, expected_start, expected_start + len(unicodedata.normalize("NFD", quote)))
    assert unicodedata.normalize("NFC", new[match.start : match.end]) == quote


def test_nbsp_runs_of_whitespace_and_newlines_map_back_to_original_offsets():
    quote = "the ministry said on Friday that prices would rise"
    new = "Earlier, the\u00a0ministry  said on\nFriday that\r\n\tprices would rise again."
    match = anchor(new, quote)
    start = new.index("the\u00a0ministry")
    assert_at(match, new, start, new.index(" again"))
    assert not match.exact


def test_curly_quotes_are_matched_against_straight_ones():
    new = "He called it \u201ca total disaster\u201d and left; it\u2019s over."
    match = anchor(new, 'called it "a total disaster" and left; it\'s over')
    assert_at(match, new, new.index("called"), new.index("."))


def test_quote_in_nfd_against_nfc_text():
    text = "Die Bürgermeisterin äußerte sich später zur Lage."
    quote = unicodedata.normalize("NFD", "Bürgermeisterin äußerte")
    match = anchor(text, quote)
    assert_at(match, text, text.index("Bürger"), text.index(" sich"))


# ------------------------------------------------------------------------------------------------- short / long


def test_very_short_quote_is_placed_by_context():
    text = "Plan A failed. Plan B worked. Plan A was later revived."
    prefix, suffix, start = selector_for(text, "A", 1)
    assert_at(anchor(text, "A", prefix, suffix), text, start, start + 1)
    prefix, suffix, start = selector_for(text, "B")
    new = "Update: " + text
    assert_at(anchor(new, "B", prefix, suffix, hint=start), new, start + 8, start + 9)


def test_very_short_quote_is_never_matched_approximately():
    assert anchor("The tax rose by 5%.", "7%", "rose by ", ".") is None
    assert anchor("Its GDP grew.", "GNP") is None


def test_very_short_quote_without_agreeing_context_is_orphaned():
    text = "Plan C was adopted by the board."
    assert anchor(text, "A", prefix="Plan ", suffix=" failed. Plan B") is None


def test_quote_of_several_thousand_characters():
    text = article(seed=7, paragraphs=30)
    start = text.index(" ", 2000) + 1
    end = text.index(" ", start + 6000)
    quote = text[start:end]
    prefix, suffix = context(text, start, end)
    assert len(quote) > 6000
    # Edit ~1% of the quote's characters and insert text before it.
    rng = random.Random(3)
    chars = list(quote)
    for pos in rng.sample(range(len(chars)), len(chars) // 100):
        chars[pos] = "#"
    new = "A new lead paragraph. " * 20 + text[:start] + "".join(chars) + text[end:]
    shift = len("A new lead paragraph. ") * 20
    match = anchor(new, quote, prefix, suffix, hint=start)
    assert_at(match, new, start + shift, end + shift)
    assert 0.95 < match.score < 1.0


def test_empty_quote_is_not_anchored():
    assert anchor("anything", "") is None
    assert find_quote("anything", "   ") is None


# --------------------------------------------------------------------------------------------------- anchor_many


def test_anchor_many_agrees_with_anchor():
    rng = random.Random(5)
    old = article(seed=5, paragraphs=12)
    selectors = []
    for _ in range(40):
        start = old.index(" ", rng.randrange(len(old) - 400)) + 1
        end = old.index(" ", start + rng.randint(20, 200))
        selectors.append(Selector(old[start:end], *context(old, start, end), start, end))
    chars = list(old)
    for pos in sorted(rng.sample(range(len(chars)), len(chars) // 50), reverse=True):
        chars[pos : pos + 1] = rng.choice(["", "x", "yz", chars[pos].upper()])
    new = "A correction was appended above the story. " + "".join(chars)
    expected = [anchor(new, s.exact, s.prefix, s.suffix, s.start) for s in selectors]
    assert anchor_many(old, new, selectors) == expected
    assert all(m is not None for m in expected)


def test_anchor_many_finds_many_edited_quotes_that_moved_far():
    old = article(seed=8, paragraphs=40)
    starts = [m for m in range(1, len(old) - 200) if old[m - 1] == " "][::37][:60]
    selectors = []
    for start in starts:
        end = old.index(" ", start + 40)
        selectors.append(Selector(old[start:end], *context(old, start, end), start, end))
    lead = "Editor's note: this story has been substantially updated with new reporting. " * 40
    # One character in 50 replaced: every quote is edited, so only approximate search can find it.
    new = lead + "".join("#" if i % 50 == 25 else c for i, c in enumerate(old))
    results = anchor_many(old, new, selectors)
    assert results == [anchor(new, s.exact, s.prefix, s.suffix, s.start) for s in selectors]
    for sel, match in zip(selectors, results, strict=True):
        assert match is not None
        assert abs(match.start - (len(lead) + sel.start)) <= 1
        assert abs(match.end - (len(lead) + sel.end)) <= 1


def test_anchor_many_without_positions_falls_back_to_quote_and_context(seed_article):
    quote = "Putin stressed"
    prefix, suffix, _ = selector_for(seed_article, quote)
    [match] = anchor_many(seed_article, seed_article, [Selector(quote, prefix, suffix)])
    assert seed_article[match.start : match.end] == quote


# ----------------------------------------------------------------------------------------------------- find_quote


def test_find_quote_exact(seed_article):
    quote = "Russia's defense industry complex continues to operate"
    start = seed_article.index(quote)
    assert find_quote(seed_article, quote) == Match(start, start + len(quote), 1.0, True)


def test_find_quote_ignores_case_punctuation_and_spacing():
    page = "WASHINGTON \u2014 The Senate voted, 52-48, to confirm the nominee on Tuesday."
    match = find_quote(page, "the senate voted 52 48 to confirm the nominee")
    assert match is not None
    assert page[match.start : match.end] == "The Senate voted, 52-48, to confirm the nominee"
    assert not match.exact


def test_find_quote_tolerates_a_small_typo_and_rejects_unrelated_text():
    page = "According to the report, unemployment fell to 3.9 percent in April, the lowest in years."
    match = find_quote(page, "unemployment fell to 3.9 per cent in april")
    assert match is not None
    assert page[match.start : match.end].startswith("unemployment fell to 3.9 percent in April")
    assert find_quote(page, "inflation rose sharply in the euro area") is None


# ------------------------------------------------------------------------------------------------ property tests

BASE = article(seed=11, paragraphs=5)
EDIT_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.", min_size=0, max_size=12)


def unique_quote_spans(text: str) -> list[tuple[int, int]]:
    """Word-aligned spans whose quote-plus-context is unique, so 'the right place' is well defined."""
    spans = []
    for start in range(40, len(text) - 140, 23):
        start = text.index(" ", start) + 1
        end = text.index(" ", start + 30)
        if text.count(text[start - 32 : end + 32]) == 1:
            spans.append((start, end))
    return spans


SPANS = unique_quote_spans(BASE)


@st.composite
def edits_outside_quote(draw):
    start, end = draw(st.sampled_from(SPANS))
    lo, hi = max(0, start - 32), min(len(BASE), end + 32)
    outside = st.one_of(st.integers(0, lo), st.integers(hi, len(BASE)))
    edits = draw(st.lists(st.tuples(outside, st.integers(0, 8), EDIT_TEXT), max_size=12))
    return start, end, edits


def apply_edits(text: str, start: int, end: int, edits) -> tuple[str, int]:
    """Apply (position, deleted length, inserted text) edits right to left; returns the text and the quote's start."""
    lo, hi = max(0, start - 32), min(len(text), end + 32)
    new_start = start
    for pos, length, insert in sorted(edits, reverse=True):
        if pos <= lo:
            length = min(length, lo - pos)  # stop before the protected context
        else:
            pos = max(pos, hi)
        text = text[:pos] + insert + text[pos + length :]
        if pos <= lo:
            new_start += len(insert) - length
            lo += len(insert) - length
            hi += len(insert) - length
    return text, new_start


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits_outside_quote(), st.booleans())
def test_edits_outside_quote_and_context_never_lose_or_misplace_it(case, use_hint):
    start, end, edits = case
    quote = BASE[start:end]
    prefix, suffix = context(BASE, start, end)
    new, new_start = apply_edits(BASE, start, end, edits)
    assert new[new_start : new_start + len(quote)] == quote
    match = anchor(new, quote, prefix, suffix, hint=start if use_hint else None)
    assert match is not None
    assert (match.start, match.end) == (new_start, new_start + len(quote))
    [batch] = anchor_many(BASE, new, [Selector(quote, prefix, suffix, start, end)])
    assert batch == match or (batch.start, batch.end) == (match.start, match.end)
