"""What may follow a reference `[T]` / `<T>`: tags on its own line (glued or not), then a
data block. Each case below was run through the reference CLI (`argdown json`): the
accepted ones it accepts, the rejected ones it rejects."""

from __future__ import annotations

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_text


def _errors(text: str) -> list[tuple[str, int, int]]:
    document = parse_text(text)
    return [(d.code, d.line, d.column) for d in document.diagnostics if d.level is Level.ERROR]


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("[c] #tag-3 #tag#-2\n", ["tag-3", "tag", "-2"]),
        ("[c]#a#b\n", ["a", "b"]),
        ("[c] #(x y)#z\n", ["x y", "z"]),
        ("[c] #a#b // c\n", ["a", "b"]),
        ("[c] #a <!-- c --> #b\n", ["a", "b"]),
        ("[c] #a /* c\n c */ #b\n", ["a", "b"]),  # a comment's line break is no line break
        ("[c]#a{x: 1}\n", ["a"]),
        ("[c] #a\n  {x: 1}\n", ["a"]),
        ("[c] #ethics\u2014law#x\n", ["ethics\u2014law", "x"]),
        ("[c]   #a\t#b  \n", ["a", "b"]),
    ],
)
def test_tags_after_a_statement_reference_in_every_shape(text: str, tags: list[str]) -> None:
    document = parse_text(text)
    assert _errors(text) == []
    (reference,) = document.statements["c"].references
    assert reference.is_reference
    assert reference.tags == tags


@pytest.mark.parametrize(
    "text", ["<a> #x#y\n", "<a>#x#(y z) {w: 1}\n", "* <a> #x#y\n", "[A]: a\n  + <a> #x#y\n"]
)
def test_tags_after_an_argument_reference(text: str) -> None:
    document = parse_text(text)
    assert _errors(text) == []
    (description,) = document.arguments["a"].descriptions
    assert description.is_reference
    assert "x" in description.tags


def test_glued_tags_after_references_in_a_tree_and_a_pcs() -> None:
    text = "[A]: a\n  + [c] #a#b\n  - <d> #x#y {w: 1}\n\n(1) [c] #p#q\n----\n(2) [e] #r#(s t)\n"
    assert _errors(text) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[c] #a\n#b\n", (2, 1)),
        ("<a> #x\n#y\n", (2, 1)),
        ("[c]\n#b\n", (2, 1)),
        ("[c] #a /* c */\n#b\n", (2, 1)),
        ("[c] /* x\n */\n#b\n", (3, 1)),
        ("[c]\n// comment\n#b\n", (3, 1)),
        ("[A]: a\n  + [c] #a\n    #q\n", (3, 5)),
    ],
)
def test_a_tag_below_a_reference_is_rejected_at_the_tag(text: str, where: tuple[int, int]) -> None:
    document = parse_text(text)
    (found,) = [d for d in document.diagnostics if d.level is Level.ERROR]
    assert (found.code, found.line, found.column) == ("P128", *where)
    assert "line below" in found.message
    assert found.hint is not None and "move the tag up" in found.hint


@pytest.mark.parametrize(
    "text",
    [
        "[c] #a, #b\n",  # a list delimiter is text there
        "[c] #a.b.\n",  # a special-character token
        "[c] #a:b:\n",
        "[c] ##a\n",  # a lone `#`
        "[c] #a#\n",
        "[c] #a(b)\n",
        "[c] (#a)\n",
        "[c] _#a_\n",  # an emphasis marker
        "[c] #a \\#b\n",  # an escaped character
        "[c] #a @[d]\n",  # a mention
        "[c] #a [l](http://x)\n",  # a link
        "<a> #x text\n",
    ],
)
def test_anything_but_tags_after_a_reference_is_text_after_it(text: str) -> None:
    found = [(code, line) for code, line, _ in _errors(text)]
    assert ("P128", 1) in found
    document = parse_text(text)
    p128 = next(d for d in document.diagnostics if d.code == "P128")
    assert p128.column == 4  # after the closing bracket, where the colon goes
    assert p128.hint is not None and "add a colon" in p128.hint
