"""`Span` is a plain slotted value, yet models that hold one read and write it as before."""

from __future__ import annotations

import pydantic
import pytest

from argmap.model import Argument, Quote, Span, construct, make_span


def test_span_round_trips_through_a_model() -> None:
    quote = Quote(text="words", span={"line": 3, "column": 5, "end_line": 4, "end_column": 1})
    assert quote.span == Span(3, 5, 4, 1)
    assert quote.model_dump() == {
        "text": "words",
        "span": {"line": 3, "column": 5, "end_line": 4, "end_column": 1},
    }
    assert Quote.model_validate_json(quote.model_dump_json()) == quote


def test_span_compares_and_hashes_by_value() -> None:
    assert make_span(1, 2, 1, 9) == Span(line=1, column=2, end_line=1, end_column=9)
    assert make_span(1, 2, 1, 9) != make_span(1, 2, 1, 8)
    assert len({make_span(1, 2, 1, 9), make_span(1, 2, 1, 9)}) == 1
    assert repr(make_span(1, 2, 3, 4)) == "Span(line=1, column=2, end_line=3, end_column=4)"


@pytest.mark.parametrize(
    "bad", [{"line": 1}, {"line": "1", "column": 1, "end_line": 1, "end_column": 2}, [1, 2, 3, 4], None]
)
def test_a_malformed_span_is_a_validation_error(bad: object) -> None:
    with pytest.raises(pydantic.ValidationError):
        Quote(text="x", span=bad)


def test_json_schema_describes_the_four_numbers() -> None:
    span = Quote.model_json_schema()["properties"]["span"]
    assert span["required"] == ["line", "column", "end_line", "end_column"]
    assert {field["type"] for field in span["properties"].values()} == {"integer"}


def test_fully_built_models_share_one_field_set_safely() -> None:
    first = construct(Quote, text="a", span=make_span(1, 1, 1, 2))
    second = construct(Quote, text="b", span=make_span(2, 1, 2, 2))
    assert first.model_fields_set is second.model_fields_set  # one set, not one per object
    first.text = "changed"  # pydantic adds the name on assignment: already there
    copied = second.model_copy(update={"text": "copy"})
    assert first.model_fields_set == second.model_fields_set == copied.model_fields_set == {"text", "span"}
    assert second.text == "b" and copied.text == "copy"


def test_a_partly_given_model_records_only_what_was_given() -> None:
    argument = construct(Argument, title="A")
    assert argument.model_fields_set == {"title"}
    assert (
        argument.descriptions == []
        and argument.descriptions is not construct(Argument, title="B").descriptions
    )
    argument.section = "s1"
    assert argument.model_fields_set == {"title", "section"}
    assert construct(Argument, title="C").model_fields_set == {"title"}
