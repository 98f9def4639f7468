"""SARIF 2.1.0 (OASIS), the format GitHub code scanning and many IDEs read.

One run; the driver lists every registered rule (code, name, summary, the full
explanation as help text and markdown, default level), each result points at its
rule by id and index, and at its file and region. Levels map error -> error,
warning -> warning, info -> note. Paths under the working directory become
relative URIs with `uriBaseId: %SRCROOT%`, others absolute `file://` URIs. Columns
are Unicode code points, 1-based, `endColumn` exclusive, as in the spec.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from argmap import jsonout
from argmap.diagnostics import Diagnostic, Level
from argmap.version import __version__

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def _location(path: str) -> dict[str, str]:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:
        relative = ".."
    if not relative.startswith(".."):
        return {"uri": quote(relative.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(absolute).as_uri()}


def _rules() -> tuple[list[dict[str, Any]], dict[str, int]]:
    from argmap.rules.registry import all_rules

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for entry in all_rules():
        index[entry.code] = len(rules)
        text = f"{entry.summary}\n\n{entry.explanation}".strip()
        rules.append(
            {
                "id": entry.code,
                "name": entry.name,
                "shortDescription": {"text": entry.summary},
                "fullDescription": {"text": entry.summary},
                "help": {"text": text, "markdown": text},
                "defaultConfiguration": {"level": _LEVEL[entry.level]},
                "properties": {"family": entry.family},
            }
        )
    return rules, index


def render_sarif(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> str:
    """The SARIF log for one `argmap check` run over `files`."""
    rules, rule_index = _rules()
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}

    def artifact(path: str) -> int:
        if path not in artifact_index:
            artifact_index[path] = len(artifacts)
            artifacts.append({"location": _location(path)})
        return artifact_index[path]

    for name in files:
        artifact(name)
    results: list[dict[str, Any]] = []
    for d in diagnostics:
        location = dict(_location(d.file), index=artifact(d.file))
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line}
        if d.end_column >= 1 and (d.end_line > d.line or d.end_column > d.column):
            region["endColumn"] = d.end_column
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.level],
            "message": {"text": d.message if not d.hint else f"{d.message}\nhint: {d.hint}"},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        }
        if d.code in rule_index:
            result["ruleIndex"] = rule_index[d.code]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "argmap",
                        "version": __version__,
                        "informationUri": "https://github.com/argmap/argmap",
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "artifacts": artifacts,
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return jsonout.dumps(log)
