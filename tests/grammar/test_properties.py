"""Property-based guard for the parser: whatever the text, parsing returns a
`Document` whose problems are `Diagnostic`s; it never raises anything else.

Documents are built from the grammar's real pieces (titles, relation symbols, PCS
lines, inference lines, data blocks, comments, frontmatter, indentation) and then
mutated (pieces dropped, duplicated, truncated, bytes flipped), so the fuzzing
reaches deep into the block grammar instead of failing at the first character.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.diagnostics import Diagnostic
from argmap.grammar import parse_bytes, parse_text
from argmap.model import Document

WORDS = st.sampled_from(["rain", "sun", "Forecast", "A", "b c", "x_y", "**bold**", "_it_", "é", "∆W", "1.5"])
TITLE = st.builds(lambda ws: " ".join(ws), st.lists(WORDS, min_size=1, max_size=3))
TAG = st.sampled_from(["#observation", "#(two words)", "#crux", "#", "#("])
DATA = st.sampled_from(
    [
        '{reason: "r", credence: 0.7}',
        "{inference: 0.5}",
        "{a: [1, 2], b: {c: d}}",
        "{",
        "}",
        "{x: }",
        '{reason: "unterminated',
        "{\nsources:\n  - a\n}",
        '{math: "1 + 1 == 2"}',
        "{credence: 1e400}",
    ]
)
SYMBOL = st.sampled_from(["+", "-", "_", "><", "+>", "->", "_>", "<+", "<-", "<_"])
HEAD = st.one_of(
    TITLE.map(lambda t: f"[{t}]: some text"),
    TITLE.map(lambda t: f"[{t}]"),
    TITLE.map(lambda t: f"<{t}>: desc"),
    TITLE.map(lambda t: f"<{t}>"),
    WORDS,
    TITLE.map(lambda t: f"@[{t}] mention"),
    st.just("[label](docs/a.md#L3-L1)"),
    st.just("> a quote"),
)
INDENT = st.sampled_from(["", "  ", "    ", "\t", " \t", "        "])
LINE = st.one_of(
    HEAD,
    st.builds(lambda i, s, h: f"{i}{s} {h}", INDENT, SYMBOL, HEAD),
    st.builds(lambda n, h: f"({n}) {h}", st.integers(0, 12), HEAD),
    st.sampled_from(["----", "--", "-- rule {uses: [1]} --", "---", "-----"]),
    st.builds(lambda h, t, d: f"{h} {t} {d}", HEAD, TAG, DATA),
    st.sampled_from(
        [
            "# Heading",
            "## Sub #tag {isGroup: true}",
            "* item",
            "1. item",
            "===",
            "",
            "// comment",
            "/* open",
            "*/",
            "<!--",
            "-->",
            "\\[escaped\\]",
            ".A. :+1:",
        ]
    ),
    DATA,
)
DOCUMENT = st.lists(LINE, max_size=40).map(lambda lines: "\n".join(lines))
FRONTMATTER = st.sampled_from(["", "===\nmodel:\n    mode: strict\n===\n\n", "===\n: bad yaml [\n===\n\n"])


def assert_clean(document: Document) -> None:
    assert isinstance(document, Document)
    assert all(isinstance(d, Diagnostic) for d in document.diagnostics)
    for d in document.diagnostics:
        assert d.line >= 1 and d.column >= 1
        assert (d.end_line, d.end_column) >= (d.line, d.column)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONTMATTER, DOCUMENT)
def test_grammar_built_documents_never_raise(front: str, body: str) -> None:
    assert_clean(parse_text(front + body))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT, st.data())
def test_mutated_documents_never_raise(body: str, data: st.DataObject) -> None:
    raw = bytearray(body.encode("utf-8"))
    for _ in range(data.draw(st.integers(0, 6))):
        if not raw:
            break
        position = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        if action == "flip":
            raw[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[position]
        elif action == "insert":
            raw[position:position] = data.draw(
                st.sampled_from([b"\n", b"{", b"[", b"<", b"(1) ", b"\t", b"\r"])
            )
        else:
            raw = raw[:position]
    assert_clean(parse_bytes(bytes(raw)))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    assert_clean(parse_bytes(data))
