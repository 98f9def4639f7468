"""The published JSON schema of a result file (`argmap results schema`)."""

from __future__ import annotations

from typing import Any

from argmap.results import FORMAT

SCHEMA_ID = "https://argmap.dev/schemas/argmap-result-1.json"


def result_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `argmap.results.model.Result`."""
    from argmap.results.model import Result

    schema = Result.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"argmap experimental result ({FORMAT})"
    return schema
