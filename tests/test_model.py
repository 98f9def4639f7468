"""The model's classes are plain slotted dataclasses and `Span` a slotted value: what
every later stage relies on (value equality, fresh defaults, no stray attributes)."""

from __future__ import annotations

import dataclasses
import weakref

import pytest

from argmap.model import Argument, Document, EvidenceLink, Quote, Span, Statement, make_span


def test_span_compares_and_hashes_by_value() -> None:
    assert make_span(1, 2, 1, 9) == Span(line=1, column=2, end_line=1, end_column=9)
    assert make_span(1, 2, 1, 9) != make_span(1, 2, 1, 8)
    assert make_span(1, 2, 1, 9) != (1, 2, 1, 9)
    assert len({make_span(1, 2, 1, 9), make_span(1, 2, 1, 9)}) == 1
    assert repr(make_span(1, 2, 3, 4)) == "Span(line=1, column=2, end_line=3, end_column=4)"


def test_models_compare_by_value_and_type() -> None:
    first = Quote(text="a", span=make_span(1, 1, 1, 2))
    assert first == Quote(text="a", span=make_span(1, 1, 1, 2))
    assert first != Quote(text="a", span=make_span(2, 1, 2, 2))
    link = EvidenceLink(label="evidence", url="docs/a.md#L1", span=make_span(1, 1, 1, 9), path="docs/a.md")
    assert (link.fragment, link.line_start, link.line_end) == (None, None, None)


def test_defaults_are_fresh_per_object() -> None:
    argument = Argument(title="A")
    other = Argument(title="B")
    argument.descriptions.append(None)  # type: ignore[arg-type]
    assert other.descriptions == [] and argument.pcs is not other.pcs
    assert (
        Statement(title="x", span=make_span(1, 1, 1, 2)).tags
        is not Statement(title="y", span=make_span(1, 1, 1, 2)).tags
    )


def test_constructors_are_keyword_only_and_slotted() -> None:
    with pytest.raises(TypeError):
        Quote("a", make_span(1, 1, 1, 2))  # type: ignore[misc]
    quote = Quote(text="a", span=make_span(1, 1, 1, 2))
    with pytest.raises(AttributeError):
        quote.misspelt = 1  # type: ignore[attr-defined]
    assert not hasattr(quote, "__dict__")


def test_a_copy_with_changes_leaves_the_original() -> None:
    statement = Statement(title="x", text="old", span=make_span(1, 1, 1, 2))
    copy = dataclasses.replace(statement, text="new")
    assert (statement.text, copy.text, copy.span) == ("old", "new", statement.span)


def test_a_document_can_be_weakly_referenced() -> None:
    document = Document(path="a.argdown")
    assert weakref.ref(document)() is document
