"""The page's small print: quotes rendered as Markdown with raw HTML kept as text, section
titles without their tags, evidence badges that never cover the credence, and `check` /
`score` never loading the Markdown renderer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.render.html_map import EVIDENCE_BADGES, VALUE_END, _badge_svg, section_label
from argmap.render.layout import NODE_WIDTH
from argmap.render.quotes import quote_html
from tests.conftest import EXAMPLE, ROOT

QUOTES = [
    # (quote as written in the map, HTML expected; derived from the CommonMark spec)
    ("We **propose** a *new* method", "<p>We <strong>propose</strong> a <em>new</em> method</p>"),
    ("- by 4 beats;", "<ul>\n<li>by 4 beats;</li>\n</ul>"),
    ("1. first", "<ol>\n<li>first</li>\n</ol>"),
    ("call `f(x) < 1` first", "<p>call <code>f(x) &lt; 1</code> first</p>"),
    ("a & b < c", "<p>a &amp; b &lt; c</p>"),
    (
        '<script>alert("x")</script> then',
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; then</p>",
    ),
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    ("<b>bold</b> **bold**", "<p>&lt;b&gt;bold&lt;/b&gt; <strong>bold</strong></p>"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](DATA:text/html;base64,PHNjcmlwdD4=)", "<p>[x](DATA:text/html;base64,PHNjcmlwdD4=)</p>"),
    (
        "[the trial](https://example.org/t)",
        '<p><a href="https://example.org/t" target="_blank" rel="noopener noreferrer">the trial</a></p>',
    ),
    # images are never loaded: the page may request nothing
    (
        "![chart](https://example.org/c.png)",
        '<p>!<a href="https://example.org/c.png" target="_blank" rel="noopener noreferrer">chart</a></p>',
    ),
]


@pytest.mark.parametrize(("quote", "expected"), QUOTES)
def test_quotes_render_as_markdown_without_raw_html(quote: str, expected: str) -> None:
    assert quote_html(quote) == expected


def test_example_quotes_carry_their_html() -> None:
    from argmap.grammar import parse_file
    from argmap.render.html_map import collect

    data = collect(parse_file(str(EXAMPLE)), samples=0)
    forecast = data.evidence["Forecast"][0]
    assert "**20 percent**" in forecast["quote"]
    assert "<strong>20 percent</strong>" in forecast["html"]


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Part 35 #(part 35)", "Part 35"),
        ("#(part 35)", "part 35"),
        ("1. Intro #(part 35) #core › 2. Second #plain", "1. Intro › 2. Second"),
        ("Step #2 of three", "Step #2 of three"),
        ("C# in practice", "C# in practice"),
        ("Rank Debate", "Rank Debate"),
    ],
)
def test_section_titles_lose_their_tags_not_their_numbers(title: str, label: str) -> None:
    assert section_label(title) == label


@pytest.mark.parametrize("status", sorted(EVIDENCE_BADGES))
@pytest.mark.parametrize("width", [NODE_WIDTH, NODE_WIDTH * 1.25])
def test_badge_starts_right_of_the_credence(status: str, width: float) -> None:
    badge = _badge_svg(status, width, 40.0)
    left = float(re.search(r"translate\(([0-9.]+),", badge).group(1))  # type: ignore[union-attr]
    box = float(re.search(r'<rect width="([0-9.]+)"', badge).group(1))  # type: ignore[union-attr]
    assert left >= VALUE_END
    assert left + box <= width - 8 + 0.05
    assert EVIDENCE_BADGES[status][0] in badge


def test_check_and_score_do_not_load_markdown() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom argmap.cli.app import app\n"
        f"CliRunner().invoke(app, ['check', {str(EXAMPLE)!r}])\n"
        f"CliRunner().invoke(app, ['score', {str(EXAMPLE)!r}, '--samples', '0'])\n"
        "loaded = [m for m in sys.modules if m.startswith('markdown_it') or m == 'argmap.render.quotes']\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_page_data_carries_section_titles_without_tags(tmp_path: Path) -> None:
    from argmap.grammar import parse_file
    from argmap.render.html_map import collect, page_data

    path = tmp_path / "parts.argdown"
    path.write_text(
        "[T]: The thesis.\n  + [A]: A support.\n\n# Part 35 #(part 35)\n\n[A]: A support. {credence: 0.7}\n\n"
        "## Step #2 #detail\n\n[B]: Another.\n  +> [T]\n",
        encoding="utf-8",
    )
    data = page_data(collect(parse_file(str(path)), samples=0, evidence=False))
    assert "Part 35 › Step #2" in {g["title"] for g in data["groups"]}
    assert {t["title"] for t in data["sections"]["titles"].values()} == {"Part 35", "Step #2"}
