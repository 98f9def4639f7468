"""Quotes as the page shows them: their Markdown rendered, safely.

A quote is copied from a paper converted to Markdown, so it carries `**emphasis**`,
lists, code and links. markdown-it-py renders it as CommonMark with raw HTML switched
off: `<script>` or `<img onerror=...>` in a quote comes out as text, and markdown-it's
own link check refuses `javascript:`, `vbscript:`, `file:` and `data:` links. Images are
not rendered (the page may not load anything; `![x](y)` stays a link to y), and links
open in a new tab without telling the target where they came from.

Only the HTML renderer imports this module (`check` and `score` never load markdown-it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("target", "_blank")
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


def quote_html(text: str) -> str:
    """The quote's Markdown as HTML (CommonMark, no raw HTML, no images)."""
    return str(_parser().render(text)).strip()
