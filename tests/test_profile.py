"""The plain-Argdown profile: detected from the map, or set in the configuration."""

from __future__ import annotations

from pathlib import Path

from argmap.checking import CheckOptions, check_paths
from argmap.grammar import parse_text
from argmap.profile import describe, detect_profile

PLAIN = """# Should cities ban cars from the centre?

[Ban]: Cities should ban cars from the centre.
  + <Air>: Fewer cars mean cleaner air.
  + <Safety>: Streets without cars are safer for children.
  - <Shops>: Shops lose customers who come by car.
    - <Studies>: Studies of pedestrian zones show sales rising.

<Air>

(1) Cars are the main source of inner-city air pollution.
(2) Less pollution is better for health.
----
(3) [Ban]
"""

VARGDOWN = """[T]: Thesis.

<A>

(1) [P]: Premise. #observation {reason: "seen", credence: 0.8}
----
(2) [T]
"""


def _check(tmp_path: Path, text: str, config: str = "") -> tuple[int, list[str], str]:
    (tmp_path / "argmap.toml").write_text(config)
    path = tmp_path / "map.argdown"
    path.write_text(text)
    report = check_paths([str(path)])
    ((profile, _),) = report.profiles.values()
    return report.exit_code, [d.code for d in report.diagnostics], profile


def test_plain_argdown_without_defects_is_clean(tmp_path: Path) -> None:
    # Sketched arguments (no PCS) and no credences: no V, C5 or G309 findings.
    assert _check(tmp_path, PLAIN) == (0, [], "argdown")


def test_plain_argdown_reports_only_its_real_defect(tmp_path: Path) -> None:
    broken = PLAIN.replace("(3) [Ban]", "(4) [Ban]")  # misnumbered PCS line
    code, codes, _ = _check(tmp_path, broken)
    assert (code, codes) == (0, ["P107"])  # a warning: the map still passes
    broken = PLAIN.replace("  - <Shops>", " - <Shops>")  # dedent to a level no line has
    code, codes, _ = _check(tmp_path, broken)
    assert (code, codes) == (1, ["P130"])


def test_detection() -> None:
    assert detect_profile(parse_text(PLAIN)) == "argdown"
    assert detect_profile(parse_text(VARGDOWN)) == "vargdown"
    assert detect_profile(parse_text("[T]: t. {credence: 0.5}\n")) == "vargdown"


def test_configured_profile_wins(tmp_path: Path) -> None:
    _, codes, profile = _check(tmp_path, PLAIN, 'profile = "vargdown"\n')
    assert profile == "vargdown" and "G309" in codes
    _, _, profile = _check(tmp_path, VARGDOWN, 'profile = "argdown"\n')
    assert profile == "argdown"


def test_unknown_profile_is_a_config_finding(tmp_path: Path) -> None:
    _, codes, _ = _check(tmp_path, PLAIN, 'profile = "markdown"\n')
    assert "F008" in codes


def test_one_line_in_human_output() -> None:
    assert describe([("argdown", True)]) == (
        "Profile: argdown (detected): vargdown rules, coherence rules and G309 are off; G307 warns."
    )
    assert describe([("vargdown", False)]) == "Profile: vargdown (configured)."


# A reconstructed argument whose own relation points elsewhere than its conclusion's
# (the reference accepts it and moves the relation to the conclusion).
TREE_AND_CONCLUSION = """[Ban]: Cities should ban cars from the centre.

[Health]: Public health improves.

<Air>: Fewer cars mean cleaner air.
  +> [Ban]

(1) Cars are the main source of inner-city air pollution.
----
(2) [Cleaner]: Cleaner air follows a ban.
  +> [Health]
"""


def _levels(tmp_path: Path, text: str, config: str = "") -> list[tuple[str, str]]:
    (tmp_path / "argmap.toml").write_text(config)
    path = tmp_path / "map.argdown"
    path.write_text(text)
    report = check_paths([str(path)], CheckOptions(evidence=False))
    return [(d.code, d.level.value) for d in report.diagnostics if d.code == "G307"]


def test_g307_warns_under_the_plain_profile(tmp_path: Path) -> None:
    assert _levels(tmp_path, TREE_AND_CONCLUSION) == [("G307", "warning")]
    assert _levels(tmp_path, TREE_AND_CONCLUSION, 'profile = "vargdown"\n') == [("G307", "error")]
    configured = 'profile = "argdown"\n[levels]\nG307 = "error"\n'
    assert _levels(tmp_path, TREE_AND_CONCLUSION, configured) == [("G307", "error")]
