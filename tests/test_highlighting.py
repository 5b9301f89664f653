import re

from hypothesis import given
from hypothesis import strategies as st

from annotations.highlighting import Span, render, segments
from annotations.textquote import context, sentence_around, utf16_to_index


def text_of(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_overlapping_and_adjacent_claims_keep_the_text_intact():
    text = "Russia continues to be among the top five <arms> exporters & more."
    long_claim = Span(1, 0, text.index(" the top"), "a")  # "Russia continues to be among"
    short_claim = Span(2, text.index("continues"), text.index(" among"), "b")  # inside the long one
    adjacent = Span(3, long_claim.end, text.index(" <arms>"), "c")  # starts where the long one ends
    html = render(text, [long_claim, short_claim, adjacent], selected=2)
    assert text_of(html) == text
    assert "&lt;arms&gt;" in html and "&amp;" in html
    assert '<span class="hl b overlap selected" data-claims="2 1">continues to be</span>' in html
    assert (
        '<span class="hl a" data-claims="1"> among</span><span class="hl c" data-claims="3"> the top five</span>'
        in html
    )


def test_carriage_returns_survive_html_parsing():
    html = render("a\r\nb", [Span(1, 0, 4, "x")])
    assert "\r" not in html and "&#13;" in html and text_of(html) == "a\r\nb"


def test_segments_list_shortest_claim_first():
    result = segments(10, [Span(1, 0, 10, "x"), Span(2, 2, 4, "y")])
    assert [(s.start, s.end, [c.id for c in s.spans]) for s in result] == [
        (0, 2, [1]),
        (2, 4, [2, 1]),
        (4, 10, [1]),
    ]


def test_spans_outside_the_text_are_ignored():
    assert text_of(render("short", [Span(1, 3, 99, "x"), Span(2, 4, 2, "y")])) == "short"


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6))
def test_rendering_never_changes_the_text(text, pairs):
    spans = [Span(i, a, b, "x") for i, (a, b) in enumerate(pairs) if a < b <= len(text)]
    assert text_of(render(text, spans)) == text


def test_utf16_offsets_round_trip_with_emoji():
    text = "a🎉b👩‍👩‍👧c"
    for index in range(len(text) + 1):
        assert utf16_to_index(text, len(text[:index].encode("utf-16-le")) // 2) == index  # what a browser counts


def test_utf16_offset_inside_a_surrogate_pair_is_refused():
    import pytest

    with pytest.raises(ValueError, match="surrogate"):
        utf16_to_index("a🎉b", 2)
    with pytest.raises(ValueError, match="past the end"):
        utf16_to_index("abc", 4)


def test_context_is_32_characters_each_side():
    text = "x" * 40 + "QUOTE" + "y" * 40
    assert context(text, 40, 45) == ("x" * 32, "y" * 32)


def test_sentence_around_keeps_run_on_sentences_as_published():
    text = "First one. Putin underscored.The interest is growing, Putin said. Last."
    start = text.index("interest")
    before, quote, after = sentence_around(text, start, start + len("interest"))
    assert (before, quote, after) == ("Putin underscored.The ", "interest", " is growing, Putin said.")
