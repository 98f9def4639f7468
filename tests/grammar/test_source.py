"""The comment pre-pass: where an opener is protected (inside a link's URL or a data
block), checked against a plain reading of the rule on random text, both ways the pass
answers: by reading the line, and (past its budget) by binary searches over marks it
lists once."""

from __future__ import annotations

import random

import pytest

from argmap.grammar import parse_text
from argmap.grammar import source as source_module
from argmap.grammar.source import _plainly_in_link_url, _Protection, decode_source


def _by_slices(text: str, line_start: int, at: int, last_close: int) -> bool:
    """The rule read literally: a `](` earlier on the line with no `)` since and a `)`
    later on the line; or more `{` than `}` before the opener in its line (or, when
    the line has none, in its block since the last empty line), counting only the
    `{` that a later `}` can close."""
    prefix = text[line_start:at]
    link = prefix.rfind("](")
    if link != -1 and ")" not in prefix[link + 2 :] and _label_before(text, line_start + link):
        line_end = text.find("\n", at)
        if ")" in text[at : len(text) if line_end == -1 else line_end]:
            return True
    block_start = line_start
    if "{" not in prefix:
        block_start = text.rfind("\n\n", 0, line_start) + 1
        if "{" not in text[block_start:line_start]:
            return False
        prefix = text[block_start:at]
    live = prefix[: max(last_close + 1 - block_start, 0)]
    return live.count("{") > prefix.count("}")


def _label_before(text: str, close: int) -> bool:
    """A link label ends at `close`: the block holds a `[` before it, with a character or
    more and no `]` between."""
    block = text.rfind("\n\n", 0, close) + 1
    opener = text.rfind("[", block, max(close - 1, block))
    return opener != -1 and "]" not in text[opener:close]


def test_protection_agrees_with_the_rule_on_random_text() -> None:
    rng = random.Random(14)
    pieces = ["](", ")", "(", "{", "}", "\n", "\n\n", "//", "a", " ", "[x]", "/*", "[", "]", "[y"]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        last_close = text.rfind("}")
        reading = _Protection(text, last_close)
        indexed = _Protection(text, last_close)
        indexed.budget = 0  # answers from the listed marks at once
        for at in range(len(text)):
            if text.startswith(("//", "/*"), at):
                line_start = text.rfind("\n", 0, at) + 1
                # inside a title or reference token (tests/grammar/test_brackets.py) or by the rule
                in_title = _Protection(text, last_close)._in_title(line_start, at)
                expected = in_title or _by_slices(text, line_start, at, last_close)
                assert reading(line_start, at) == expected, (text, at)
                assert indexed(line_start, at) == expected, (text, at)


def _random_text_with_comments(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """Random text with `//` and `/* */` comments (no empty line inside one) holding
    braces, and the comments' spans."""
    pieces = ["](", ")", "{", "}", "\n", "\n\n", "a", " ", "//", "/*"]
    inside = ["{", "}", "a", " ", "{a: 1", "}"]
    text, spans = "", []
    for _ in range(rng.randint(1, 12)):
        if rng.random() < 0.3:
            body = "".join(rng.choice(inside) for _ in range(rng.randint(0, 4)))
            comment = f"// {body}\n" if rng.random() < 0.5 else f"/* {body}\n{body} */"
            spans.append((len(text), len(text) + len(comment) - comment.endswith("\n")))
            text += comment
        else:
            text += "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
    return text, spans


def test_braces_inside_comments_open_and_close_nothing() -> None:
    rng = random.Random(7)
    for _ in range(1500):
        text, spans = _random_text_with_comments(rng)
        last_close = text.rfind("}")
        reading, indexed = _Protection(text, last_close), _Protection(text, last_close)
        indexed.budget = 0
        registered = 0
        for at in range(len(text)):
            while registered < len(spans) and spans[registered][1] <= at:
                start, end = spans[registered]
                for protection in (reading, indexed):
                    protection.comment(text[start:end], start, end)
                registered += 1
            if not text.startswith(("//", "/*"), at) or any(a <= at < b for a, b in spans):
                continue
            # the rule read literally on the text with the comments found so far blanked
            masked = list(text)
            for start, end in spans[:registered]:
                masked[start:end] = [c if c == "\n" else " " for c in text[start:end]]
            line_start = text.rfind("\n", 0, at) + 1
            expected = _by_slices("".join(masked), line_start, at, last_close)
            assert reading(line_start, at) == expected, (text, at)
            assert indexed(line_start, at) == expected, (text, at)


def test_a_brace_left_open_in_a_comment_keeps_later_comments() -> None:
    # @argdown/cli 1.7.5 reads both statements and nothing else: every `//` line is a comment
    text = "// blocks look like {credence: 0.8\n// === a rule line\n[A]: Text. {x: 1}\n"
    document = parse_text(text)
    assert document.diagnostics == []
    assert [m.text for m in document.statements["A"].members] == ["Text."]


def test_unclosed_openers_on_one_line_are_each_reported() -> None:
    document = parse_text("[A]: " + "x /* " * 200 + "\n")
    assert sum(1 for d in document.diagnostics if d.code == "P103") == 200
    assert document.statements["A"].members[0].text.count("/*") == 200


def test_a_frontmatter_after_comments_keeps_its_yaml_whole() -> None:
    # the reference skips the comments, then reads `===` to `===` as one token: a `//`
    # inside the YAML is no comment (`argdown json` reads `url` and `note` as written)
    for lead in ("// lead comment\n", "/* block\ncomment */\n<!-- html -->\n", "\n  // a\n// b\n\n"):
        document = parse_text(lead + "===\nurl: https://x.org/a\nnote: q//uestion\n===\n\n[A]: a\n")
        assert [d.code for d in document.diagnostics if d.level.value == "error"] == [], lead
        assert document.frontmatter == {"url": "https://x.org/a", "note": "q//uestion"}


def test_an_escaped_comment_opener_opens_no_comment() -> None:
    # the escape token takes the opener's first character (`\//` reads "//"); an escaped
    # backslash before `//` escapes nothing of it; texts as `argdown json` writes them
    cases = {
        "[A]: text \\// not a comment\n": "text // not a comment",
        "[A]: text \\<!-- y --> z\n": "text <!-- y --> z",
        "[A]: text \\\\// a comment\n": "text \\",
        "[A]: a\n\n\\// line\n": "// line",
    }
    for text, expected in cases.items():
        document = parse_text(text)
        texts = [m.text for ec in document.statements.values() for m in ec.members]
        assert texts[-1] == expected, text


def test_a_fence_on_the_rules_line_of_an_inference_is_rules_text() -> None:
    # the line under a bare `--` that opens an inference is lexed in the reference's
    # inference mode, where `===` is no frontmatter token (`argdown json` reads the rule
    # "=== x ==="); after an empty line the `--` is a relation sign and `===` a token (P110)
    document = parse_text("<A1>\n\n(1) A\n--\n=== x ===\n--\n(2) B\n")
    assert [d.code for d in document.diagnostics if d.level.value == "error"] == []
    inference = document.arguments["A1"].pcs[-1].inference
    assert inference is not None and inference.rules == ["=== x ==="]
    codes = [d.code for d in parse_text("[A]: a\n\n--\n=== x ===\n--\n").diagnostics]
    assert "P110" in codes


def test_the_plain_link_url_answer_is_the_protection_answer() -> None:
    # `_plainly_in_link_url` answers the common `[label](https://...)` without reading
    # the line: where it says yes, `_Protection` (both ways) says yes too
    rng = random.Random(21)
    pieces = ["[a](https://x.org)", "[a](http:", "](", "//", ")", "(", "[", "]", "\n", "\n\n", " "]
    pieces += ["{", "}", "a"]
    agreed = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        last_close = text.rfind("}")
        for at in range(len(text)):
            if text.startswith("//", at) and _plainly_in_link_url(text, at):
                line_start = text.rfind("\n", 0, at) + 1
                indexed = _Protection(text, last_close)
                indexed.budget = 0
                assert _Protection(text, last_close)(line_start, at), (text, at)
                assert indexed(line_start, at), (text, at)
                agreed += 1
    assert agreed > 300  # the shapes it answers do come up


@pytest.mark.parametrize(
    "line",
    [
        "[A]: see [paper](https://x.org/a) // a comment\n",
        "[A]: [paper](https://x.org/a//b) [b](http://y.org)\n",
        "[A]: [pa]per](https://x.org) // ]\n",  # a `]` after the label's `[`: a comment
        "[A]: [paper\n](https://x.org) more\n",  # label and URL on two lines
        "[A]: [paper](https://x.org\n) more\n",  # the `)` on the next line
        "[A]: Models](https://x.org) no label\n",
        "[A]: [" + "a" * 300 + "](https://x.org) far label\n",
        "[A]: [a](https://x.org/" + "b" * 300 + ") far closer\n",
    ],
)
def test_a_link_url_masks_as_the_line_reading_does(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def masked() -> tuple[str, object, object]:
        source = decode_source(line.encode("utf-8"), "m.argdown")
        return source.text, source.comment_only_lines, [d.code for d in source.diagnostics]

    fast = masked()
    monkeypatch.setattr(source_module, "_plainly_in_link_url", lambda text, at: False)
    assert masked() == fast
