"""Markdown to safe HTML, and an article's plain text for the search index.

Articles may hold raw HTML (tables pasted from elsewhere); whatever the Markdown
renders to passes through an allow-list sanitiser, so ``<script>``, event handlers and
``javascript:`` links never reach a reader.

>>> to_html("**Bold** <script>alert(1)</script><a href='javascript:x()' onclick='y()'>link</a>")
'<p><strong>Bold</strong> <a rel="noopener noreferrer">link</a></p>\\n'
>>> plain_text("# Title\\n\\nSome *text* & <b>more</b>")
'Title\\nSome text & more'
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# ``[text](/kb/42)``: a link to another article, recorded so both ends can show it.
ARTICLE_LINK = re.compile(r"\]\(/kb/(\d{1,9})\)")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def to_html(markdown: str) -> str:
    """Sanitised HTML of ``markdown``: safe to insert into a page as it is."""
    return nh3.clean(
        _parser().render(markdown),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
    )


def plain_text(markdown: str) -> str:
    """What a reader sees of ``markdown``, without markup: the text that is indexed."""
    text = nh3.clean(to_html(markdown), tags=set())
    return re.sub(r"\n+", "\n", unescape(text)).strip()


def linked_article_ids(markdown: str) -> set[int]:
    return {int(found) for found in ARTICLE_LINK.findall(markdown)}
