"""A comment's text as HTML: paragraphs, clickable links and @mentions of desk members, sanitised by nh3.

The text is escaped first, so nothing typed becomes markup; nh3 (the Ammonia sanitiser) then allows only the few
tags this module makes, links only to http, https and mailto, with rel="nofollow noopener noreferrer". The two
layers mean a bug in one still leaves no script, handler or javascript: link in a thread."""

import html
import re

import nh3

URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
TAGS = {"a", "p", "br", "span"}
ATTRIBUTES = {"a": {"href"}, "span": {"class", "data-user"}}


def mentioned_names(text: str) -> list[str]:
    """The @names in a comment, in order, each once (usernames as typed; the caller keeps the desk's members)."""
    seen = []
    for name in MENTION.findall(text):
        name = name.rstrip(".")
        if name and name not in seen:
            seen.append(name)
    return seen


def _inline(line: str, members: dict[str, int]) -> str:
    out, last = [], 0
    for match in URL.finditer(line):
        out.append(_mentions(line[last : match.start()], members))
        url = match.group(0)
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        last = match.end()
    out.append(_mentions(line[last:], members))
    return "".join(out)


def _mentions(text: str, members: dict[str, int]) -> str:
    out, last = [], 0
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name not in members:
            continue
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<span class="mention" data-user="{members[name]}">@{html.escape(name)}</span>')
        last = match.start() + 1 + len(name)
    out.append(html.escape(text[last:]))
    return "".join(out)


def render(text: str, members: dict[str, int]) -> str:
    """HTML for `text`; `members` maps the usernames that may be mentioned to their ids."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    built = "".join(
        "<p>" + "<br>".join(_inline(line, members) for line in paragraph.strip().split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return nh3.clean(
        built,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
