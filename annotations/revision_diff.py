"""A word-level diff of two revisions of an article, for the revision diff page.

difflib does the matching. Lines are matched first and only the lines that changed are compared word by word: an
article's edits are local, so this keeps the word comparison small (SequenceMatcher's cost grows with the product of
the two lengths) and the result readable (a changed word never matches a word three paragraphs away).
"""

import difflib
import re
from dataclasses import dataclass

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Words, runs of whitespace, and runs of other characters (punctuation) are the units of comparison, so that a
# changed comma or a changed line break shows as itself rather than as the whole word beside it.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")

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
        if tag in ("delete", "replace"):
            yield DELETE, "".join(a[i1:i2])
        if tag in ("insert", "replace"):
            yield INSERT, "".join(b[j1:j2])


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
