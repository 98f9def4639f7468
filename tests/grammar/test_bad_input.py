"""Hostile and broken input: every case is a diagnostic, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.diagnostics import Level
from argmap.grammar import parse_bytes, parse_file, parse_text


def codes(document: object) -> list[str]:
    return [d.code for d in document.diagnostics]  # type: ignore[attr-defined]


def test_empty_file_is_an_error_as_in_the_reference() -> None:
    # @argdown/cli 1.7.5 on an empty file: "JSON export canceled: Missing input.", exit 1
    for data in (b"", b"\n\n", b"  \n\t\n"):
        document = parse_bytes(data, "empty.argdown")
        assert codes(document) == ["F005"]
        assert document.diagnostics[0].level is Level.ERROR
        assert document.statements == {}


def test_comments_or_frontmatter_only_is_an_empty_map_at_its_end() -> None:
    # the reference rejects both: "expecting at least one iteration" / "Expecting Empty Line"
    for text, end in (
        ("\n  \n// nothing here\n/* nor here */\n", (4, 15)),
        ("===\ntitle: x\n===\n", (3, 4)),
    ):
        document = parse_text(text)
        assert [(d.code, d.line, d.column) for d in document.diagnostics] == [("P134", *end)]
        assert document.statements == {} and document.arguments == {}
    assert codes(parse_text("# A heading only\n")) == []  # the reference accepts a heading alone


def test_binary_file_is_refused() -> None:
    document = parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.argdown")
    assert codes(document) == ["F002"]


def test_invalid_utf8_is_located_and_the_rest_still_parses() -> None:
    data = b"[A]: fine.\n\n[B]: caf" + b"\xe9" + b" au lait.\n\n[C]: also fine.\n"
    document = parse_bytes(data, "latin1.argdown")
    assert codes(document) == ["F003"]
    diagnostic = document.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (3, 9)
    # a warning: @argdown/cli 1.7.5 accepts the file, with U+FFFD in the text
    assert diagnostic.level.value == "warning"
    assert document.statements["B"].members[0].text == "caf\ufffd au lait."
    assert set(document.statements) == {"A", "B", "C"}


def test_a_byte_order_mark_is_text_as_the_reference_reads_it() -> None:
    # @argdown/cli 1.7.5 reads U+FEFF as a character of the first line: `[Title]:` after
    # it is a definition inside text ("Expecting token of type EOF" at 1:2), and a
    # heading or frontmatter after it is an untitled statement; F012 says why
    document = parse_bytes(b"\xef\xbb\xbf[Title]: text\n")
    assert [(d.code, d.line, d.column) for d in document.diagnostics] == [("F012", 1, 1), ("P126", 1, 2)]
    heading = parse_bytes(b"\xef\xbb\xbf# Heading\n\n[A]: text\n")
    assert codes(heading) == ["F012"]
    assert heading.sections == []
    assert heading.statements["Untitled 1"].members[0].text == "\ufeff# Heading"
    frontmatter = parse_bytes(b"\xef\xbb\xbf===\ntitle: T\n===\n\n[A]: text\n")
    assert frontmatter.frontmatter == {}
    assert frontmatter.statements["Untitled 1"].members[0].text == "\ufeff=== title: T ==="
    assert codes(parse_bytes(b"[Title]: text \xef\xbb\xbf\n")) == []  # only at the start


def test_crlf_and_lone_cr() -> None:
    document = parse_bytes(b"[A]: one\r\n  + [B]: two\r\n\r\n[C]: three\r\r[D]: four\r\n")
    assert codes(document) == []
    assert {"A", "B", "C"} <= set(document.statements)
    assert document.relations[0].span.line == 2


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.argdown"
    big.write_bytes(b"[A]: x\n" * (50 * 1024 * 1024 // 7))  # about 50 MB
    document = parse_file(big)
    assert codes(document) == ["F004"]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert codes(parse_file(tmp_path / "nope.argdown")) == ["F001"]
    assert codes(parse_file(tmp_path)) == ["F001"]


def test_thousand_deep_relations() -> None:
    lines = ["[N0]: root"] + [f"{'  ' * (i + 1)}+ [N{i + 1}]: level {i + 1}" for i in range(1000)]
    document = parse_text("\n".join(lines) + "\n")
    assert codes(document) == []
    assert len(document.relations) == 1000
    assert document.relations[-1].source == "N1000" and document.relations[-1].target == "N999"


def test_unterminated_data_block_is_reported_where_it_opens() -> None:
    # a `}` further on: the reference reads a data block across the empty line (up to
    # that `}`, swallowing [B]) and fails on its YAML; argmap reads it so too and says
    # where the unclosed block opens
    document = parse_text('[A]: text {reason: "x", credence: 0.5\n\n[B]: next }\n')
    assert codes(document) == ["P102"]
    assert (document.diagnostics[0].line, document.diagnostics[0].column) == (1, 11)
    assert "B" not in document.statements


def test_a_data_block_may_hold_an_empty_line() -> None:
    document = parse_text("[A]: text {\nsources:\n\n  - a report\n}\n\n[B]: next\n")
    assert codes(document) == []
    assert document.statements["A"].members[0].data.values == {"sources": ["a report"]}  # type: ignore[union-attr]
    assert "B" in document.statements


def test_a_brace_nothing_closes_is_text_with_a_warning() -> None:
    # no `}` anywhere after it: the reference reads the brace as text and accepts the map
    document = parse_text('[A]: text {reason: "x", credence: 0.5\n\n[B]: next // {\n')
    assert [(d.code, d.level.value, d.line, d.column) for d in document.diagnostics] == [
        ("P135", "warning", 1, 11)
    ]
    assert document.statements["A"].members[0].text == 'text {reason: "x", credence: 0.5'
    assert document.statements["A"].members[0].data is None


def test_invalid_yaml_in_data_block() -> None:
    document = parse_text('[A]: text {reason: "x", credence: [0.5}\n')
    assert codes(document) == ["P105"]
    assert document.diagnostics[0].line == 1


def test_unterminated_comments_are_text_with_a_warning() -> None:
    # the reference reads a `/*` or `<!--` that nothing closes as text
    for opener, closer in (("/*", "*/"), ("<!--", "-->")):
        document = parse_text(f"[A]: text {opener} never closed\n\n[B]: shown\n")
        assert [(d.code, d.level.value, d.line, d.column) for d in document.diagnostics] == [
            ("P103", "warning", 1, 11)
        ], opener
        assert closer in (document.diagnostics[0].hint or "")
        assert document.statements["A"].members[0].text == f"text {opener} never closed"
        assert "B" in document.statements


def test_line_comment_needs_a_line_break_after_it() -> None:
    # the reference's `//` comment ends at a line break; on a last line without one it is text
    assert parse_text("[A]: a // b").statements["A"].members[0].text == "a // b"
    assert parse_text("[A]: a // b\n").statements["A"].members[0].text == "a"


def test_backslash_at_the_end_of_a_line_is_an_error() -> None:
    for text in ("[A]: ends in \\\nnext line\n", "[A]: ends in \\"):
        document = parse_text(text)
        assert [(d.code, d.line, d.column) for d in document.diagnostics] == [("P136", 1, 14)], text
    assert codes(parse_text("[A]: a literal \\\\\nnext\n")) == []


def test_a_backslash_escapes_any_character() -> None:
    member = parse_text("[A]: C:\\Users\\tom \\1 \\*\n").statements["A"].members[0]
    assert member.text == "C:Userstom 1 *"


def test_duplicate_yaml_keys_are_errors() -> None:
    document = parse_text("===\nmodel:\n  mode: strict\nmodel:\n  mode: loose\n===\n\n[A]: a\n")
    assert [(d.code, d.line) for d in document.diagnostics] == [("P105", 4)]
    document = parse_text("[A]: a {x: 1, y: {z: 2, z: 3}}\n")
    assert codes(document) == ["P105"]
    assert "duplicated" in document.diagnostics[0].message


def test_frontmatter_that_is_not_a_mapping_is_a_warning() -> None:
    document = parse_text("===\n- a\n- b\n===\n\n[A]: a\n")
    assert [(d.code, d.level.value, d.line) for d in document.diagnostics] == [("P137", "warning", 1)]
    assert "list" in document.diagnostics[0].message


def test_unterminated_frontmatter_is_not_fatal() -> None:
    document = parse_text("===\ntitle: x\n\n[A]: text\n")
    assert "A" in document.statements


def test_tabs_mixed_with_spaces_warn_and_still_nest() -> None:
    document = parse_text("[A]: a\n \t+ [B]: b\n")
    assert codes(document) == ["P109"]
    assert document.diagnostics[0].level is Level.WARNING
    assert document.relations[0].source == "B"


def test_tab_indentation_counts_as_four_columns() -> None:
    document = parse_text("[A]: a\n\t+ [B]: b\n\t\t- [C]: c\n")
    assert codes(document) == []
    assert [(r.source, r.target) for r in document.relations] == [("B", "A"), ("C", "B")]


def test_f004_documents_the_limit_the_code_uses() -> None:
    from argmap.grammar.source import MAX_BYTES_DEFAULT
    from argmap.rules.registry import get_rule, load_rules

    load_rules()
    entry = get_rule("F004")
    assert entry is not None and MAX_BYTES_DEFAULT == 32 * 1024 * 1024
    assert "32 MiB by default" in entry.summary


def test_a_nul_byte_anywhere_is_binary() -> None:
    """Issue 16, F15: F002 holds for the whole file, not only its first 8 KiB."""
    text = b"[A]: fine.\n\n" + b"[B]: padding.\n\n" * 2000  # about 32 KB
    for offset in (0, 100, 8191, 8192, 8200, len(text) // 2, len(text)):
        document = parse_bytes(text[:offset] + b"\x00" + text[offset:], "n.argdown")
        assert codes(document) == ["F002"], offset
        assert document.statements == {}
    assert codes(parse_bytes(text + b"\x00\x01\x02", "tail.argdown")) == ["F002"]


def test_an_over_large_file_is_refused_unread_with_its_real_size(tmp_path: Path) -> None:
    """Issue 16, F15: the size comes from stat (a 40 MiB sparse file is 40 MiB, not the
    limit plus one), and nothing is read."""
    sparse = tmp_path / "sparse.argdown"
    with sparse.open("wb") as handle:
        handle.truncate(40 * 1024 * 1024)
    document = parse_file(sparse, max_bytes=1000)
    assert codes(document) == ["F004"]
    assert f"{40 * 1024 * 1024:,} bytes" in document.diagnostics[0].message
    small = tmp_path / "small.argdown"
    small.write_bytes(b"[A]: x\n" * 200)  # 1,400 bytes
    assert "1,400 bytes, over the limit of 1,000" in parse_file(small, max_bytes=1000).diagnostics[0].message


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("{\n- x\n- y\n}", "list"),  # the YAML block form of Argdown's data
        ("{\n  - 0.8\n  - forecast\n}", "list"),
        ("{\n5\n}", "scalar"),
        ('{\n"just a reason"\n}', "scalar"),
    ],
)
def test_a_data_block_that_is_no_mapping_is_a_warning(block: str, kind: str) -> None:
    # the reference accepts it (and keeps the list or value as the element's data)
    document = parse_text(f"[A]: a text. {block}\n  + [B]: b text.\n")
    assert [(d.code, d.level.value, d.line, d.column) for d in document.diagnostics] == [
        ("P142", "warning", 1, 14)
    ]
    assert kind in document.diagnostics[0].message
    member = document.statements["A"].members[0]
    assert (member.text, member.data) == ("a text.", None)
    assert [(r.source, r.target) for r in document.relations] == [("B", "A")]


def test_a_data_block_no_mapping_on_a_premise_and_a_heading_is_a_warning() -> None:
    text = "# Part {\n- a\n}\n\n<A>\n\n(1) [P]: p. {\n- 0.9\n}\n----\n(2) [C]: c.\n"
    document = parse_text(text)
    assert [(d.code, d.line) for d in document.diagnostics] == [("P142", 1), ("P142", 7)]
    assert document.sections[0].data is None
    assert len(document.arguments["A"].pcs) == 2
