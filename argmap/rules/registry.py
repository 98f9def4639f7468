"""The rule registry: every diagnostic code argmap can report, and how to run them.

A rule is a function that reads a parsed `Document` and yields `Diagnostic`s. It is
registered with the `@rule` decorator, which records its code, name, default level,
family (from the code's letter) and its docstring, the explanation that
`argmap rule CODE` prints and `docs/rules.md` is generated from::

    from argmap.rules.registry import Context, rule

    @rule(code="E401", name="quote-not-found", level="error")
    def quote_not_found(ctx: Context) -> Iterator[Diagnostic]:
        '''A quote that is not in the evidence file.

        ...what it checks, why it matters, a bad and a fixed example...
        '''
        for statement in ...:
            yield ctx.diagnostic("E401", statement.span, "message", hint="...")

To add a family, write such a module and append its dotted name to `RULE_MODULES`
below (or call `load_module("package.module")`); `run_rules` imports them all on
first use. A third party adds a family without touching argmap: an entry point in
the group `argmap.rules` naming the module (docs/rules.md, "Plugins").

Codes that other stages report themselves (the parser's `P1xx`, file
problems `F0xx`) are registered with `document_code(...)` so they can be explained
and configured too, but they have no function to run.

A rule that only makes sense when an option is on (the evidence checks need
`--no-evidence` off) names that option in `when=`: `@rule(..., when="evidence")`.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from argmap import config
from argmap.config import Settings
from argmap.diagnostics import Diagnostic, Level
from argmap.memory import paused_gc
from argmap.model import Document, Span

if TYPE_CHECKING:
    from argmap.profile import Profile

RULE_MODULES: list[str] = [
    "argmap.rules.parser",
    "argmap.rules.vargdown",
    "argmap.rules.graph",
    "argmap.rules.coherence",
    "argmap.rules.correlation",
    "argmap.rules.evidence",
    "argmap.rules.results_codes",
    "argmap.rules.training_codes",
]

FAMILIES: dict[str, str] = {
    "F": "file",
    "P": "syntax",
    "V": "vargdown",
    "G": "graph",
    "E": "evidence",
    "C": "coherence",
    "R": "results",
    "T": "training",
}

_CODE = re.compile(r"^[A-Z][0-9]{3}$")


class RuleFunction(Protocol):
    def __call__(self, ctx: Context) -> Iterable[Diagnostic]: ...


@dataclass(frozen=True)
class Rule:
    """One registered code. `check` is None for codes reported by another stage."""

    code: str
    name: str
    level: Level
    family: str
    summary: str
    explanation: str
    check: RuleFunction | None = None
    when: str | None = None
    module: str = ""
    fixable: bool = False  # `argmap check --fix` can repair what it reports

    @property
    def runnable(self) -> bool:
        return self.check is not None


_RULES: dict[str, Rule] = {}
_LOADED: set[str] = set()


def _family(code: str) -> str:
    return FAMILIES.get(code[0], "other")


def _split_doc(doc: str | None) -> tuple[str, str]:
    text = inspect.cleandoc(doc or "")
    summary, _, rest = text.partition("\n")
    return summary.strip(), rest.strip()


def _register(entry: Rule) -> None:
    if not _CODE.match(entry.code):
        raise ValueError(f"rule code {entry.code!r} must be a capital letter and three digits")
    existing = _RULES.get(entry.code)
    if existing is not None and (existing.module, existing.name) != (entry.module, entry.name):
        raise ValueError(
            f"rule code {entry.code} is already registered by {existing.module} ({existing.name})"
        )
    _RULES[entry.code] = entry


def rule(
    *,
    code: str,
    name: str,
    level: Level | str = Level.ERROR,
    when: str | None = None,
    fixable: bool = False,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as rule `code`; its docstring is the explanation
    (first line: a one-line summary; then what it checks, why, a bad and a fixed example)."""

    def decorate(function: RuleFunction) -> RuleFunction:
        if not _split_doc(function.__doc__)[0]:
            raise ValueError(f"rule {code} needs a docstring")
        document_code(
            code,
            name,
            level,
            function.__doc__ or "",
            getattr(function, "__module__", ""),
            check=function,
            when=when,
            fixable=fixable,
        )
        return function

    return decorate


def document_code(
    code: str,
    name: str,
    level: Level | str,
    doc: str,
    module: str = "",
    *,
    check: RuleFunction | None = None,
    when: str | None = None,
    fixable: bool = False,
) -> None:
    """Register a code: one another stage reports (no `check` to run: the parser's, the
    files'), for `argmap rule CODE`, the docs and configuration; `@rule` registers its
    function through here too."""
    summary, explanation = _split_doc(doc)
    _register(
        Rule(
            code=code,
            name=name,
            level=Level(level),
            family=_family(code),
            summary=summary,
            explanation=explanation,
            check=check,
            when=when,
            module=module,
            fixable=fixable,
        )
    )


def load_module(name: str) -> None:
    """Import a rule module (its `@rule`s register on import) and remember it."""
    if name not in RULE_MODULES:
        RULE_MODULES.append(name)
    if name not in _LOADED:
        importlib.import_module(name)
        _LOADED.add(name)


PLUGIN_GROUP = "argmap.rules"
_PLUGIN_SCAN: list[tuple[str, ...]] = []  # the sys.path the plugins were last looked up on


def load_rules() -> None:
    """Import argmap's rule modules and every installed plugin's (entry point group
    `argmap.rules`, whose value names a module of `@rule`s, e.g.
    `my-rules = "my_package.rules"` under `[project.entry-points."argmap.rules"]`)."""
    for name in list(RULE_MODULES):
        load_module(name)
    scanned = tuple(sys.path)
    if _PLUGIN_SCAN[-1:] != [scanned]:
        _PLUGIN_SCAN[:] = [scanned]
        if may_declare_entry_points(PLUGIN_GROUP):
            from importlib.metadata import entry_points

            for entry in entry_points(group=PLUGIN_GROUP):
                load_module(entry.module)


def may_declare_entry_points(group: str) -> bool:
    """Whether some distribution on sys.path may declare entry points in `group`: its
    name in a `*.dist-info` or `*.egg-info` folder's `entry_points.txt` (where
    `importlib.metadata` reads them). A look at a few small files, so that
    `importlib.metadata`, whose import and scan of every installed distribution took a
    tenth of checking the real map, runs only then. What the look cannot see into (a
    zip file or unlistable folder on sys.path, an import hook that finds distributions)
    answers yes."""
    from importlib.machinery import PathFinder

    if any(
        finder is not PathFinder and getattr(finder, "find_distributions", None) is not None
        for finder in sys.meta_path
    ):
        return True
    wanted = group.encode()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            if os.path.exists(folder):
                return True
            continue
        egg = os.path.basename(folder).lower().endswith(".egg")
        for name in names:
            lower = name.lower()
            if lower.endswith((".dist-info", ".egg-info")) or (egg and lower == "egg-info"):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                        if wanted in handle.read():
                            return True
                except OSError:
                    continue
    return False


def forget_module(name: str) -> None:
    """Unregister a module's rules (a plugin uninstalled while the process runs: tests)."""
    for code in [code for code, entry in _RULES.items() if entry.module == name]:
        del _RULES[code]
    _LOADED.discard(name)
    if name in RULE_MODULES:
        RULE_MODULES.remove(name)
    _PLUGIN_SCAN.clear()


def all_rules() -> list[Rule]:
    """Every registered code, sorted by code."""
    load_rules()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule | None:
    load_rules()
    return _RULES.get(code.upper())


def known_codes() -> set[str]:
    load_rules()
    return set(_RULES)


def matches_known(selector: str) -> bool:
    """Is `selector` (a code, a prefix like `V2`, or `ALL`) the name of something?"""
    selector = selector.upper()
    return selector == "ALL" or any(code.startswith(selector) for code in known_codes())


def suggest_codes(selector: str) -> list[str]:
    """Known codes close to a mistyped one (O for 0 and I/l for 1 first)."""
    import difflib

    known = sorted(known_codes())
    upper = selector.upper()
    fixed = upper[:1] + upper[1:].replace("O", "0").replace("I", "1").replace("L", "1")
    first = [fixed] if fixed in known and fixed != upper else []
    close = difflib.get_close_matches(upper, known, n=3, cutoff=0.5)
    return [*first, *(c for c in close if c not in first)][:3]


def _suggest(selector: str) -> str:
    close = suggest_codes(selector)
    listing = "`argmap rule --all` lists the codes"
    return f"did you mean {', '.join(close)}? {listing}" if close else listing


def unknown_cli_codes(select: Sequence[str], ignore: Sequence[str]) -> list[str]:
    """`--select` / `--ignore` values that name no code (a usage error, F009)."""
    return [code for code in [*select, *ignore] if not matches_known(code)]


def settings_for(document_path: str, options: Any = None) -> Settings:
    """The map's settings (argmap/config.py) with rule selection resolved here, in one
    place: every code the configuration file names must exist (`F007` at its line)."""
    settings = config.settings_for(document_path, options)
    if settings.path is None:
        return settings
    for selector in config_selectors(settings):
        if not matches_known(selector):
            settings.diagnostics.append(
                settings.problem(
                    "F007", f"unknown rule code {selector!r} in configuration", selector, _suggest(selector)
                )
            )
    return settings


def config_selectors(settings: Settings) -> list[str]:
    """The codes the configuration file names (select, ignore, levels), in file order."""
    named = settings.selectors()
    positions = {selector: settings.locate(selector) for selector in named}
    return sorted(dict.fromkeys(named), key=lambda selector: positions[selector])


# ---- running ------------------------------------------------------------------------


@dataclass
class Context:
    """What a rule sees: the document, the settings, and shared derived facts that
    several rules need (computed once, on first use)."""

    document: Document
    settings: Settings
    levels: dict[str, Level] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    def diagnostic(
        self, code: str, span: Span | None, message: str, hint: str | None = None, level: Level | None = None
    ) -> Diagnostic:
        """A finding of rule `code` at `span` (line 1 when None). `level` overrides the
        rule's default level for this finding (a level set in configuration wins)."""
        level = self.levels.get(code, level)
        if level is None:
            entry = _RULES.get(code)
            level = entry.level if entry is not None else Level.ERROR
        return Diagnostic.at(code, level, message, self.document.path, span, hint)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def run_rules(
    document: Document, options: Any = None, profile: Profile | None = None
) -> Iterator[Diagnostic]:
    """Run every selected rule over `document`, yielding its findings.

    `options` is a `config.Settings`, or anything with `select`/`ignore`/`evidence`
    attributes (the CLI's `CheckOptions`): then the configuration file nearest to the
    document is read and the options are applied on top of it. `profile` is the one
    the caller already resolved for this document and these settings (detecting it
    walks a plain Argdown map to its end); None: resolved here.
    """
    from argmap.profile import applies, profile_levels, resolve_profile

    settings = options if isinstance(options, Settings) else settings_for(document.path, options)
    load_rules()
    if profile is None:
        profile, _ = resolve_profile(document, getattr(settings, "profile", None))
    configured = {code: level for code, level in settings.levels.items() if level is not None}
    ctx = Context(document=document, settings=settings, levels={**profile_levels(profile), **configured})
    findings: list[Diagnostic] = []
    # The rules allocate little and make no reference cycles, but on a large map a
    # garbage collection pass walks the whole parsed document; pause it meanwhile.
    with paused_gc():
        for entry in [_RULES[code] for code in sorted(_RULES)]:
            if entry.check is None or not settings.is_enabled(entry.code) or not applies(profile, entry.code):
                continue
            if entry.when is not None and not getattr(settings, entry.when, True):
                continue
            findings.extend(entry.check(ctx))
    yield from findings
