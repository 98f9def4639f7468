"""The VS Code package: its manifest points at files that exist, its grammar is valid
JSON with the scopes the manifest names, and a built .vsix holds the client."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "editors" / "vscode"


def test_manifest_and_grammar_agree() -> None:
    manifest = json.loads((PACKAGE / "package.json").read_text())
    assert manifest["main"] == "./out/extension.js"
    assert "vscode-languageclient" in manifest["dependencies"]
    (language,) = manifest["contributes"]["languages"]
    assert ".argdown" in language["extensions"]
    assert (PACKAGE / language["configuration"]).is_file()
    (grammar,) = manifest["contributes"]["grammars"]
    tm = json.loads((PACKAGE / grammar["path"]).read_text())
    assert tm["scopeName"] == grammar["scopeName"] == "source.argdown"
    for include in tm["patterns"]:
        assert include["include"].lstrip("#") in tm["repository"]
    source = (PACKAGE / "src" / "extension.ts").read_text()
    assert '"argmap", "lsp"' in source
    for key in ("semantics", "evidence", "debounceMs", "samples"):
        assert f"argmap.{key}" in manifest["contributes"]["configuration"]["properties"]
        assert f'settings.get("{key}")' in source


def test_a_built_vsix_holds_the_client_and_the_grammar() -> None:
    vsix = PACKAGE / "argmap-argdown.vsix"
    if not vsix.exists():
        pytest.skip("no editors/vscode/argmap-argdown.vsix: scripts/test.sh builds it when npm is present")
    names = set(zipfile.ZipFile(vsix).namelist())
    assert {"extension/out/extension.js", "extension/syntaxes/argdown.tmLanguage.json"} <= names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert "extension/src/extension.ts" not in names
