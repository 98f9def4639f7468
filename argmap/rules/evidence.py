"""The evidence checks (`E4xx`): every quote verified against its frozen source.

One evidence run per map (`argmap.evidence.check.check_document`, shared by all the
rules below through `ctx.cached`) resolves each `[evidence](path#La-Lb)` link inside
the project root, reads each file once per `argmap check` run however many quotes
cite it, and matches each quote; each rule then reports the findings of its own
status. The rules run only when evidence checks are on (`argmap check` default;
`--no-evidence` skips them). Thresholds and the file size limit come from
`[tool.argmap.evidence]` (see docs/evidence.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from argmap.diagnostics import Diagnostic
from argmap.model import Document
from argmap.rules.registry import Context, rule

_SYNTAX_RANGE_CODE = "V213"


def _findings(ctx: Context) -> dict[str, list[Diagnostic]]:
    """Every evidence finding of the map, by code (computed once per map)."""

    def compute() -> dict[str, list[Diagnostic]]:
        if not _has_evidence_links(ctx.document):
            return {}  # nothing to check: the checker (and rapidfuzz) are not even imported
        from argmap.evidence.check import check_document, diagnostics

        report = check_document(ctx.document, ctx.settings.evidence_thresholds())
        by_code: dict[str, list[Diagnostic]] = {}
        syntax_reported = ctx.settings.is_enabled(_SYNTAX_RANGE_CODE)
        for result in report.results:
            if syntax_reported and _range_is_malformed(result):
                # V213 already points at a missing, malformed or reversed range;
                # E403 is kept for ranges that are well formed but past the end.
                result.statuses = [s for s in result.statuses if s != "bad-range"]
        for finding in diagnostics(report):
            by_code.setdefault(finding.code, []).append(finding)
        return by_code

    found: dict[str, list[Diagnostic]] = ctx.cached("evidence", compute)
    return found


def _has_evidence_links(document: Document) -> bool:
    """Whether any statement of the map cites an evidence file (every finding of the
    checker, double counting included, is about such a link)."""
    for statements in document.statements.values():
        if any(member.evidence for member in statements.members):
            return True
    return any(pcs.statement.evidence for argument in document.arguments.values() for pcs in argument.pcs)


def _range_is_malformed(result: Any) -> bool:
    cited = result.cited
    return cited is None or cited[0] < 1 or cited[1] < cited[0]


def _report(ctx: Context, code: str) -> Iterator[Diagnostic]:
    level = ctx.levels.get(code)
    for finding in _findings(ctx).get(code, []):
        yield (finding if level is None or level is finding.level else finding.with_level(level))


@rule(code="E401", name="evidence-file-missing", level="error", when="evidence")
def evidence_file_missing(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence link to a file that does not exist.

    **What it checks.** The path of each `[evidence](path#La-Lb)` link, resolved
    relative to the map's folder, names an existing file.

    **Why it matters.** The quote cannot be verified against a source that is not
    there; usually the file was renamed, or never frozen into the repository.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/lost-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```

    (with no `docs/lost-log.md` next to the map). Freeze the source
    (`argmap evidence fetch https://example.org/log --to docs/`) or correct the path.

    Fixed:

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E401")


@rule(code="E402", name="evidence-file-unreadable", level="error", when="evidence")
def evidence_file_unreadable(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence file that is refused or cannot be used.

    **What it checks.** The evidence path stays inside the project root (no absolute
    paths, no URLs, no `../` or symlink that leaves it), names a regular file, is
    not binary and is not over the size limit (20 MB by default, `max-bytes` in
    `[tool.argmap.evidence]`). Refused files are never opened.

    **Why it matters.** Evidence must be a frozen text copy that travels with the
    map; a PDF, a file outside the repository or a path like `../../etc/passwd`
    cannot be checked, and reading it would be unsafe.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](../../papers/observation-log.pdf#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```

    Fixed (a frozen text copy inside the project):

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E402")


@rule(code="E403", name="evidence-range-past-end", level="error", when="evidence", fixable=True)
def evidence_range_past_end(ctx: Context) -> Iterator[Diagnostic]:
    """A cited line range that the evidence file does not have.

    **What it checks.** The range `#La-Lb` ends at or before the file's last line.
    Missing, malformed and reversed ranges are reported by `V213`; when `V213` is
    not selected they are reported here too. When the quote is found elsewhere the
    message gives its true range, and `argmap check --fix` writes it.

    **Why it matters.** A range past the end means the link points at another
    version of the file (or a typo); the quote is checked against nothing.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L170-L171)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```

    (the log has 26 lines).

    Fixed:

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E403")


@rule(code="E404", name="quote-not-found", level="error", when="evidence")
def quote_not_found(ctx: Context) -> Iterator[Diagnostic]:
    """A quote that is not in its evidence file.

    **What it checks.** Each elision-separated segment of the `> quote` is found in
    the file after normalisation (see docs/evidence.md) with a similarity of at
    least `found` (80 by default). The message names the closest passage, its lines
    and its score; `argmap evidence MAP` shows it with the differing words marked.

    **Why it matters.** An observation's quote is its proof; a quote that is not in
    the source is a paraphrase, a misremembering or the wrong file.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > The barometer fell sharply all morning.
    ```

    Fixed (the log's own words):

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E404")


@rule(code="E405", name="quote-moved", level="warning", when="evidence", fixable=True)
def quote_moved(ctx: Context) -> Iterator[Diagnostic]:
    """A quote found in its evidence file, but outside the cited lines.

    **What it checks.** Every segment of the quote lies inside the cited range
    `#La-Lb`. When it does not, the message gives the smallest range that holds the
    whole quote; `argmap check --fix` (or `argmap evidence MAP --fix`) rewrites the
    range in place, `--diff` shows the change.

    **Why it matters.** A reader following the link lands on the wrong lines; after
    the source is re-frozen the range silently points at other text.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L1-L5)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```

    Fixed:

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E405")


@rule(code="E406", name="quote-drift", level="warning", when="evidence")
def quote_drift(ctx: Context) -> Iterator[Diagnostic]:
    """A quote found in its source with words dropped or changed.

    **What it checks.** After normalisation the quote equals the source passage.
    When it is found (similarity at least `found`) but differs, the message lists
    the source words the quote leaves out (`dropped`), the rewrites (`changed`,
    as `source -> quote`) and the similarity score. Differences that are only math
    symbols or citation markers are `E407` instead.

    **Why it matters.** A changed word can change the claim ("propose" is not
    "introduce", 77.1 is not 77.7); left-out words must be marked with `(...)` so a
    reader knows the quote is cut.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.5 hPa over the last three hours.
    ```

    Fixed:

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E406")


@rule(code="E407", name="quote-minor-drift", level="info", when="evidence")
def quote_minor_drift(ctx: Context) -> Iterator[Diagnostic]:
    """A quote that only leaves out math symbols or citation markers.

    **What it checks.** Like `E406`, but every difference is a math symbol or
    expression (`∈ Rm×n`), a page or footnote number, or a citation marker
    (`[ 11 ]`, `(Salimans & Kingma, 2016)`) standing inside the quoted passage.

    **Why it matters.** These cuts do not change what the source says, but they are
    still cuts; an info-level finding keeps the record honest without failing CI.

    ```argdown
    [Faster]: Normalised weights converge faster. #observation
        [Wide Nets Paper](https://example.org/papers/wide-nets)
        [evidence](docs/paper.md#L7-L7)
        > Drawing on Weight Normalization, which achieves faster convergence
    ```

    (line 7 of `docs/paper.md` reads "Drawing on Weight Normalization (Salimans & Kingma,
    2016), which achieves faster convergence, we ...").

    Fixed (or leave it, it is only reported):

    ```argdown
    [Faster]: Normalised weights converge faster. #observation
        [Wide Nets Paper](https://example.org/papers/wide-nets)
        [evidence](docs/paper.md#L7-L7)
        > Drawing on Weight Normalization (Salimans & Kingma, 2016), which achieves faster convergence
    ```
    """
    yield from _report(ctx, "E407")


@rule(code="E408", name="evidence-source-mismatch", level="warning", when="evidence")
def evidence_source_mismatch(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence file whose recorded source is not the observation's source link.

    **What it checks.** When the evidence file starts with a `URL Source:` (or
    `Source:`) header line, that URL is one of the observation's source links.
    arXiv `abs`/`pdf`/`html` URLs and versions count as one paper; the scheme,
    `www.`, the fragment and a trailing slash do not count.

    **Why it matters.** The quote is verified in one document while the map cites
    another: either the link or the frozen file is wrong.

    ```argdown
    [Rose]: The barometer rose. #observation
        [Station log](https://example.org/hollin-bay-wx/log/2025-08-24)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```

    (the file says `URL Source: https://example.org/hollin-bay-wx/log/2025-08-23`).
    Cite the file's own source, or freeze the right day.

    Fixed:

    ```argdown
    [Rose]: The barometer rose. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
    ```
    """
    yield from _report(ctx, "E408")


@rule(code="E409", name="evidence-invalid-utf8", level="warning", when="evidence")
def evidence_invalid_utf8(ctx: Context) -> Iterator[Diagnostic]:
    """An evidence file with bytes that are not valid UTF-8.

    **What it checks.** The evidence file decodes as UTF-8. When it does not, the
    bad bytes are replaced (U+FFFD), the quotes are still checked, and the first
    bad line is reported once per file.

    **Why it matters.** Replaced bytes can hide the very characters a quote needs;
    the file should be re-saved as UTF-8.

    ```argdown
    [Naive]: The baseline is naive. #observation
        [Baseline Note](https://example.org/notes/baseline)
        [evidence](docs/latin1-note.md#L3-L3)
        > a naïve baseline
    ```

    (with `docs/latin1-note.md` saved as Latin-1, so `ï` is the single byte `0xEF`).
    Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`); the map stays as it is.

    Fixed (`docs/paper.md` is UTF-8 and says the same on its line 3):

    ```argdown
    [Naive]: The baseline is naive. #observation
        [Baseline Note](https://example.org/notes/baseline)
        [evidence](docs/paper.md#L3-L3)
        > a naïve baseline
    ```
    """
    yield from _report(ctx, "E409")


@rule(code="E410", name="evidence-double-counted", level="warning", when="evidence")
def evidence_double_counted(ctx: Context) -> Iterator[Diagnostic]:
    """One passage backing premises of two arguments that reach the same target.

    **What it checks.** Two arguments whose premises cite overlapping line ranges of
    one evidence file both reach one statement or argument (through support,
    entailment, or a conclusion used as a premise).

    **Why it matters.** The scoring treats arguments as independent, so the same
    passage behind both is counted twice and inflates the target's support.

    ```argdown
    [Dry Afternoon]: The afternoon stays dry.
      + <Pressure Rises>
      + <Barometer Climbs>

    <Pressure Rises>

    (1) [Rising]: Rising holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [High Pressure]: High Pressure follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]

    <Barometer Climbs>

    (1) [Climbing]: Climbing holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [Settled]: Settled follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]
    ```

    Fixed: merge `<A>` and `<B>` into one argument, or lower the credence of one
    premise to what it adds beyond the other:

    ```argdown
    [Dry Afternoon]: The afternoon stays dry.
      + <Pressure Rises>

    <Pressure Rises>

    (1) [Rising]: Rising holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [High Pressure]: High Pressure follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]
    ```
    """
    yield from _report(ctx, "E410")


@rule(code="E411", name="evidence-file-shared", level="info", when="evidence")
def evidence_file_shared(ctx: Context) -> Iterator[Diagnostic]:
    """One evidence file (different passages) behind two arguments with a common target.

    **What it checks.** As `E410`, for different passages of the same file.

    **Why it matters.** Passages of one paper are rarely independent evidence (same
    authors, same data); worth a look, but often fine, so info level.

    ```argdown
    [Dry Afternoon]: The afternoon stays dry.
      + <Pressure Rises>
      + <Barometer Climbs>

    <Pressure Rises>

    (1) [Rising]: Rising holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [High Pressure]: High Pressure follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]

    <Barometer Climbs>

    (1) [Climbing]: Climbing holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L14-L14)
        > 07:00 Barometer 1019.8 hPa.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [Settled]: Settled follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]
    ```

    Fixed: nothing to change when the passages report independent results; otherwise
    merge the arguments, or cite an independent record:

    ```argdown
    [Dry Afternoon]: The afternoon stays dry.
      + <Pressure Rises>
      + <Barometer Climbs>

    <Pressure Rises>

    (1) [Rising]: Rising holds. #observation
        [Hollin Bay Observation Log](https://example.org/hollin-bay-wx/log/2025-08-23)
        [evidence](docs/observation-log.md#L17-L17)
        > 08:10 Barometer 1021.0 hPa, rising 1.2 hPa over the last three hours.
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [High Pressure]: High Pressure follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]

    <Barometer Climbs>

    (1) [Climbing]: Climbing holds. #observation
        [Harbour Barograph](https://example.org/hollin-bay-wx/barograph/2025-w34)
        [evidence](docs/barograph-record.md#L16-L16)
        > | 08:00 | 1020.8 | +1.2 |
        {reason: "Station log.", credence: 0.9}
    ----
    (2) [Settled]: Settled follows. {reason: "...", inference: 0.8}
      +> [Dry Afternoon]
    ```
    """
    yield from _report(ctx, "E411")
