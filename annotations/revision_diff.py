"""A word-level diff of two revisions of an article, for the revision diff page.

difflib does the matching. Lines are matched first and only the lines that changed are compared word by word: an
article's edits are local, so this keeps the word comparison small (SequenceMatcher's cost grows with the product of
the two lengths) and the result readable (a changed word never matches a word three paragraphs away).
"""

import difflib
import re
from dataclasses import dataclass

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Words and runs of other characters (punctuation), each with the whitespace before it, are the units of comparison:
# a changed comma shows as itself rather than as the whole word beside it. Whitespace is not a unit of its own, as
# it is the most common one by far, and SequenceMatcher without its "junk" heuristic slows down with every repeat
# (a 20 KB paragraph took 11 s with separate spaces, 0.05 s this way; autojunk would treat words as junk instead).
# Before, not after: the last word of a text has no space after it, and would differ from itself followed by more.
_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]+|\s+")

# Past this many tokens in one changed block, the word comparison would take seconds: the block is shown as
# deleted and inserted as a whole instead.
MAX_BLOCK_TOKENS = 20_000


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class Diff:
    segments: list[Segment]
    words_inserted: int
    words_deleted: int

    @property
    def unchanged(self) -> bool:
        return all(s.op == EQUAL for s in self.segments)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


_WORD = re.compile(r"\w+")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _words(old: str, new: str):
    a, b = _tokens(old), _tokens(new)
    if len(a) + len(b) > MAX_BLOCK_TOKENS:
        yield DELETE, old
        yield INSERT, new
        return
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield EQUAL, "".join(a[i1:i2])
            continue
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace" and before and after and (after.endswith(before) or before.endswith(after)):
            # A word that only gained or lost what comes before it ("Russia" -> "MOSCOW. Russia" at the start of
            # the text, where the first word has no space before it; "said.The" -> "said. The") stays unmarked.
            grew = after.endswith(before)
            yield (INSERT if grew else DELETE), (after[: -len(before)] if grew else before[: -len(after)])
            yield EQUAL, before if grew else after
            continue
        if tag == "replace":
            # " five" -> " three": the space both start with is unchanged; only the words are marked.
            shared = _leading_space(before, after)
            yield EQUAL, before[:shared]
            before, after = before[shared:], after[shared:]
        yield DELETE, before
        yield INSERT, after


def _leading_space(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n] and a[n].isspace():
        n += 1
    return n


def _pieces(old: str, new: str):
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            yield EQUAL, before
        elif tag == "delete":
            yield DELETE, before
        elif tag == "insert":
            yield INSERT, after
        else:
            yield from _words(before, after)


def diff_words(old: str, new: str) -> Diff:
    """The segments that turn `old` into `new` (equal text, deletions, insertions), adjacent ones merged.

    Joining the equal and deleted segments gives `old` back; the equal and inserted ones give `new`.
    """
    segments: list[Segment] = []
    for op, text in _pieces(old, new):
        if not text:
            continue
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))
    inserted = sum(_word_count(s.text) for s in segments if s.op == INSERT)
    deleted = sum(_word_count(s.text) for s in segments if s.op == DELETE)
    return Diff(segments, inserted, deleted)
