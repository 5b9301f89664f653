"""The word diff of two revisions (annotations/revision_diff.py): a pure module, no database."""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from annotations import revision_diff
from annotations.revision_diff import DELETE, EQUAL, INSERT, diff_words


def ops(old, new):
    return [(s.op, s.text) for s in diff_words(old, new).segments]


def rebuilt(segments, keep):
    return "".join(s.text for s in segments if s.op in (EQUAL, keep))


def test_a_changed_word_is_deleted_and_inserted_alone():
    assert ops("Russia is among the top five exporters.", "Russia is among the top three exporters.") == [
        (EQUAL, "Russia is among the top "),
        (DELETE, "five"),
        (INSERT, "three"),
        (EQUAL, " exporters."),
    ]


def test_added_and_removed_paragraphs_are_whole_lines():
    old = "First paragraph.\n\nSecond paragraph.\n"
    new = "First paragraph.\n\nA new one.\n\nSecond paragraph.\n"
    assert ops(old, new) == [
        (EQUAL, "First paragraph.\n\n"),
        (INSERT, "A new one.\n\n"),
        (EQUAL, "Second paragraph.\n"),
    ]
    assert ops(new, old) == [
        (EQUAL, "First paragraph.\n\n"),
        (DELETE, "A new one.\n\n"),
        (EQUAL, "Second paragraph.\n"),
    ]


def test_punctuation_and_run_on_sentences_are_compared_on_their_own():
    assert ops("Putin underscored.The interest", "Putin underscored. The interest") == [
        (EQUAL, "Putin underscored."),
        (INSERT, " "),
        (EQUAL, "The interest"),
    ]


def test_words_put_before_the_first_word_of_the_text_are_only_an_insertion():
    assert ops("Russia continues.", "MOSCOW, 16 May. Russia continues.") == [
        (INSERT, "MOSCOW, 16 May. "),
        (EQUAL, "Russia continues."),
    ]


def test_word_counts_and_the_same_text():
    diff = diff_words("one two three", "one 2 3 three four")
    assert (diff.words_inserted, diff.words_deleted) == (3, 1)
    same = diff_words("Same text.", "Same text.")
    assert same.unchanged and (same.words_inserted, same.words_deleted) == (0, 0)
    assert diff_words("", "").segments == []


def test_a_huge_changed_block_is_shown_whole_instead_of_compared_word_by_word(monkeypatch):
    monkeypatch.setattr(revision_diff, "MAX_BLOCK_TOKENS", 10)
    assert ops("a b c d e f", "a b c d e g") == [(DELETE, "a b c d e f"), (INSERT, "a b c d e g")]


texts = st.text(alphabet=st.sampled_from("ab \n.,éß🚀\r"), max_size=60)


@given(texts, texts)
def test_the_segments_give_back_both_texts(old, new):
    segments = diff_words(old, new).segments
    assert rebuilt(segments, DELETE) == old and rebuilt(segments, INSERT) == new
    assert all(s.text for s in segments)
    assert all(a.op != b.op for a, b in pairwise(segments))
