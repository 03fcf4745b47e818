"""Markdown of the legal pages to HTML that cannot carry markup of its own.

CommonMark with raw HTML switched off: `<script>` or `<img onerror=…>` typed by an admin is
shown as text. markdown-it's `validateLink` refuses `javascript:`, `vbscript:`, `file:` and
`data:` targets, so such a link stays plain text. Images are off as well: the
Content-Security-Policy allows no image from elsewhere, and an image needs an alternative
text that a legal text rarely gives. Tables stay off: they do not reflow on a 320 px phone
(WCAG 1.4.10), lists do. A line break is a new line (`breaks`): an address typed line by
line appears line by line."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

PLACEHOLDER = re.compile(r"\[([^\[\]\n]{2,120})\](?![(\[:])")
"""A bracketed text that is not a link, like `[Name der Stadtverwaltung]`: what the shipped
texts leave for the admin to fill in."""

LINK_CLASS = "kern-link"


def _page_styles(state: StateCore) -> None:
    """The page has its own `<h1>` (the page title), so a `#` heading becomes `<h2>`; links
    get the design system's class."""
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("class", LINK_CLASS)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")
    parser.core.ruler.push("page_styles", _page_styles)
    return parser


_PARSER = _parser()


def render_markdown(text: str) -> Markup:
    """HTML for the page; safe to mark as such because no input reaches it unescaped."""
    return Markup(_PARSER.render(text))  # noqa: S704 - html is off, links are validated


def placeholders(text: str) -> list[str]:
    """The placeholders still in `text`, each once, in order of appearance."""
    return list(dict.fromkeys(match.group(0) for match in PLACEHOLDER.finditer(text)))
