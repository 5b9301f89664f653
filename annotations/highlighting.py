"""Render an article's text with its claims as highlights, keeping the text content identical to the stored text.

The browser computes selections as offsets into the container's text, so the HTML must add no character of its own:
the text is cut at every claim boundary and each piece that some claim covers is wrapped in one <span>. Overlapping
claims therefore need no nesting: a piece lists every claim that covers it.
"""

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    css: str  # class that colours the highlight (status or rating)


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[Span, ...]  # covering claims, shortest first (the one drawn on top)


def segments(length: int, spans: list[Span]) -> list[Segment]:
    cuts = {0, length}
    for span in spans:
        if 0 <= span.start < span.end <= length:
            cuts.update((span.start, span.end))
    points = sorted(cuts)
    ordered = sorted(spans, key=lambda s: (s.end - s.start, s.start))
    out = []
    for left, right in itertools.pairwise(points):
        covering = tuple(s for s in ordered if s.start <= left and right <= s.end)
        out.append(Segment(left, right, covering))
    return out


def render(text: str, spans: list[Span], selected: int | None = None) -> SafeString:
    parts = []
    for segment in segments(len(text), spans):
        # A raw CR would be folded into the following LF by the HTML parser, shifting every later offset.
        piece = escape(text[segment.start : segment.end]).replace("\r", "&#13;")
        if not segment.spans:
            parts.append(piece)
            continue
        top = segment.spans[0]
        ids = " ".join(str(s.id) for s in segment.spans)
        classes = ["hl", top.css]
        if len(segment.spans) > 1:
            classes.append("overlap")
        if selected is not None and any(s.id == selected for s in segment.spans):
            classes.append("selected")
        parts.append(f'<span class="{" ".join(classes)}" data-claims="{ids}">{piece}</span>')
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)
