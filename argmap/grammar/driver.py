"""A lean loop over Lark's own LALR tables and contextual lexers, for maps that parse
without a syntax error.

Lark's loop pays, per token and per reduction, for generality argmap never uses: a
rule hashed and compared in Python on every reduction, short-lived trees for the
repetition helpers (`pcs_line+`) that the rule above unpacks again, two generator
layers between the lexer and the parser. This loop reads the same analysed tables,
the same compiled terminal patterns of each parser state and the same rule callbacks
(`blocks.BlockCollector`), so it makes the same tokens and the same reductions in the
same order. The first token Lark would reject (or text no terminal matches) ends it:
`parse` returns None and the caller parses again with Lark, whose error recovery stays
the only one. A Lark whose shape this module does not know (a token callback, a rule
without a callback) is likewise left to Lark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark, Token

    from argmap.grammar.lexing import ArgdownPostLexer

# A reduction: (how many values it pops, what makes its value, the rule's name)
Reduce = tuple[int, Callable[[list[Any]], Any], str]
# Per state: token type -> the state to shift to (an int) or a reduction
Actions = dict[int, dict[str, "int | Reduce"]]
Matcher = Callable[[str, int, int], "re.Match[str] | None"]
# Per state: the `match` of its compiled terminal alternation (and of any more Lark made),
# the ignored and the multi-line token types
StateLexer = tuple[Matcher, tuple[Matcher, ...], frozenset[str], frozenset[str]]
# As kept on disk: a reduction (size, callback name, inlined, kept children: (index,
# inlined), rule name) and a state's lexer (patterns, flags, ignored and multi-line types)
RuleForm = tuple[int, str, bool, tuple[tuple[int, bool], ...], str]
LexerForm = tuple[tuple[str, ...], int, tuple[str, ...], tuple[str, ...]]


class _Rejected(Exception):
    """The text holds a syntax error (or a shape this loop does not know): Lark's turn."""


@dataclass(frozen=True, slots=True)
class Tables:
    actions: Actions
    lexers: dict[int, StateLexer]
    start: int
    end: int


def parse(tables: Tables, text: str, postlexer: ArgdownPostLexer) -> list[Any] | None:
    """The value of the grammar's start rule for `text`, as Lark's `parse` gives it; None
    when the text holds a token Lark would reject (the caller asks Lark then)."""
    stack = [tables.start]
    try:
        return _run(tables, stack, postlexer.process(_lex(tables.lexers, stack, text)))
    except _Rejected:
        return None


def _run(tables: Tables, stack: list[int], tokens: Iterator[Token]) -> list[Any]:
    """`ParserState.feed_token` over the token stream, then over `$END`."""
    actions = tables.actions
    values: list[Any] = []
    for token in tokens:
        kind = token.type
        while True:
            action = actions[stack[-1]].get(kind)
            if action.__class__ is int:
                stack.append(action)
                values.append(token)
                break
            if action is None:
                raise _Rejected
            size, build, origin = action  # type: ignore[misc]
            if size == 1:  # most reductions: replace the top in place
                values[-1] = build(values[-1:])
                stack[-1] = actions[stack[-2]][origin]  # type: ignore[assignment]
            elif build is _append_second:  # a repetition's next item: append it in place
                item = values.pop()
                values[-1].append(item)
                del stack[-1]
                stack[-1] = actions[stack[-2]][origin]  # type: ignore[assignment]
            else:
                _reduce(actions, stack, values, action)  # type: ignore[arg-type]
    while True:
        action = actions[stack[-1]].get("$END")
        if action is None or action.__class__ is int:
            raise _Rejected
        _reduce(actions, stack, values, action)  # type: ignore[arg-type]
        if stack[-1] == tables.end:
            return values[-1]  # type: ignore[no-any-return]


def _reduce(actions: Actions, stack: list[int], values: list[Any], reduction: Reduce) -> None:
    size, build, origin = reduction
    children = values[-size:] if size else []
    if size:
        del stack[-size:]
        del values[-size:]
    values.append(build(children))
    stack.append(actions[stack[-1]][origin])  # type: ignore[arg-type]


def _match_more(matchers: tuple[Matcher, ...], text: str, pos: int, end: int) -> re.Match[str]:
    """Lark splits a lexer's terminals over several patterns past a hundred of them."""
    for match in matchers:
        found = match(text, pos, end)
        if found:
            return found
    raise _Rejected  # no terminal matches here: Lark reports it


def _lex(lexers: dict[int, StateLexer], stack: list[int], text: str) -> Iterator[Token]:
    """`ContextualLexer.lex`: each token by the terminals of the parser's state when it
    is asked for (the post-lexer asks after the parser took the one before)."""
    from lark import Token

    # Token(...) without its keyword checks (the plain constructor if a Lark lacks it)
    make: Callable[..., Token] = getattr(Token, "_future_new", Token)
    line = 1
    pos = line_start = 0
    end = len(text)
    while pos < end:
        match, more, ignored, multiline = lexers[stack[-1]]
        found = match(text, pos, end) or _match_more(more, text, pos, end)
        value = found.group()
        kind = found.lastgroup
        first_line = line
        column = pos - line_start + 1
        if kind in multiline and (breaks := value.count("\n")):
            line += breaks
            line_start = pos + value.rindex("\n") + 1
        after = pos + len(value)
        if kind not in ignored:
            yield make(kind, value, pos, first_line, column, line, after - line_start + 1, after)
        pos = after


def load_tables(path: str | None, transformer: object, make_lark: Callable[[], Lark]) -> Tables | None:
    """The tables for `transformer`'s callbacks, from the file at `path` (written from
    `make_lark()`'s tables the first time, or when the file is unreadable): a run that
    meets no syntax error never loads Lark's parser (2% of the instructions of checking a
    two-line map). None for a Lark set up in a way this loop does not reproduce."""
    import pickle

    try:
        if path is not None:  # (None: no folder is safe to keep the tables in)
            with open(path, "rb") as handle:
                saved = pickle.load(handle)
            return tables_from(saved, transformer)
    except Exception:  # a missing, partly written or foreign file: build it again
        pass
    try:
        saved = saved_form(make_lark())
    except (AttributeError, KeyError, TypeError):  # a Lark whose insides moved: Lark parses
        return None
    if saved is None:
        return None
    if path is not None:
        _save(path, saved)
    return tables_from(saved, transformer)


def _save(path: str, saved: dict[str, Any]) -> None:
    """Write `saved` to `path` whole or not at all (a parallel run reads either file)."""
    import os
    import pickle
    import tempfile

    try:
        folder = os.path.dirname(path) or "."
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tables-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(saved, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # an unwritable cache: the next run builds the tables again


def saved_form(lark: Lark) -> dict[str, Any] | None:
    """Lark's analysed tables as plain data: per state, each token type's shift target or
    reduction (how many values, the callback's name, which children are kept and
    inlined, the rule's name); per state, its lexer's patterns and token kinds."""
    from lark.lexer import ContextualLexer
    from lark.parsers.lalr_analysis import Shift

    options = lark.options
    lexer = getattr(lark.parser.lexer, "lexer", None)
    if options.maybe_placeholders or options.propagate_positions or not isinstance(lexer, ContextualLexer):
        return None
    if options.lexer_callbacks or any(terminal.pattern.type != "re" for terminal in lark.terminals):
        return None  # a token callback (`lexer_callbacks`, a keyword among the terminals)
    table = lark.parser.parser.parser.parse_table
    actions: dict[int, dict[str, Any]] = {}
    for state, row in table.states.items():
        actions[state] = {}
        for kind, (action, target) in row.items():
            if action is not Shift and target.options.expand1:
                return None
            actions[state][kind] = target if action is Shift else _rule_form(target)
    lexers = {state: _lexer_form(basic) for state, basic in lexer.lexers.items()}
    if None in lexers.values():
        return None
    start, end = table.start_states["start"], table.end_states["start"]
    return {"actions": actions, "lexers": lexers, "start": start, "end": end}


def _rule_form(rule: Any) -> RuleForm:
    """(size, callback name, inlined, kept children, rule name): what Lark's tree builder
    reads of a rule. Terminals Lark filters out (`_BLANK`) are not kept; a child whose
    rule is inlined (`_block`, the repetition helpers) gives its children."""
    options = rule.options
    keep = options.keep_all_tokens
    include = tuple(
        (index, not symbol.is_term and symbol.name.startswith("_"))
        for index, symbol in enumerate(rule.expansion)
        if keep or not (symbol.is_term and symbol.filter_out)
    )
    name = rule.alias or options.template_source or rule.origin.name
    origin = rule.origin.name
    return len(rule.expansion), name, origin.startswith("_"), include, origin


def _lexer_form(basic: Any) -> LexerForm | None:
    patterns = tuple(pattern.pattern for pattern in basic.scanner._mres)
    if basic.callback or not patterns or any(not isinstance(p, str) for p in patterns):
        return None
    flags = basic.scanner._mres[0].flags & ~re.UNICODE  # the flags it was compiled with
    return patterns, flags, tuple(sorted(basic.ignore_types)), tuple(sorted(basic.newline_types))


def tables_from(saved: dict[str, Any], transformer: object) -> Tables | None:
    """The loop's tables from `saved_form`'s data, with `transformer`'s callbacks."""
    reductions: dict[Any, Reduce] = {}
    actions: Actions = {}
    for state, row in saved["actions"].items():
        actions[state] = {}
        for kind, target in row.items():
            if isinstance(target, tuple) and target not in reductions:
                reduction = _reduction(target, transformer)
                if reduction is None:
                    return None
                reductions[target] = reduction
            actions[state][kind] = reductions[target] if isinstance(target, tuple) else target
    return Tables(actions, _StateLexers(saved["lexers"]), saved["start"], saved["end"])


class _StateLexers(dict[int, StateLexer]):
    """Each parser state's lexer, compiled when a parse first needs it, as Lark compiles
    its own: a map visits a few of the states, and each compilation costs a millisecond."""

    def __init__(
        self, forms: dict[int, tuple[tuple[str, ...], int, tuple[str, ...], tuple[str, ...]]]
    ) -> None:
        super().__init__()
        self.forms = forms

    def __missing__(self, state: int) -> StateLexer:
        patterns, flags, ignored, multiline = self.forms[state]
        first, *more = (re.compile(pattern, flags).match for pattern in patterns)
        found = self[state] = (first, tuple(more), frozenset(ignored), frozenset(multiline))
        return found


def _reduction(
    form: tuple[int, str, bool, tuple[tuple[int, bool], ...], str], transformer: object
) -> Reduce | None:
    """What Lark's tree builder does for a rule, on lists: the kept children (an inlined
    child's spread out) go to the transformer's method for the rule, and an inlined
    rule's value is its list of children."""
    size, name, inlined, include, origin = form
    method = getattr(transformer, name, None)
    if (method is None and not inlined) or getattr(method, "visit_wrapper", None) is not None:
        return None
    children = _children_maker(list(include), size)
    if method is None:
        return size, children or list, origin
    if children is None:
        return size, method, origin
    return size, lambda values: method(children(values)), origin


def _children_maker(include: list[tuple[int, bool]], size: int) -> Callable[[list[Any]], list[Any]] | None:
    """`ChildFilterLALR_NoPlaceholders` on lists (None: the popped values as they are).
    As there, an inlined child's list is reused when nothing is kept before it (left
    recursion appends to it)."""
    inlined = [inline for _, inline in include]
    if len(include) == size and not any(inlined):
        return None
    if not include:
        return itemgetter(slice(0, 0))  # a new empty list (`_BLANK` alone)
    if include == [(0, True)]:
        return itemgetter(0)
    if include == [(0, True), (1, False)]:
        return _append_second
    if len(include) == size and all(inlined):
        return _joined

    def children(values: list[Any]) -> list[Any]:
        kept: list[Any] = []
        for index, inline in include:
            if not inline:
                kept.append(values[index])
            elif kept:
                kept += values[index]
            else:
                kept = values[index]
        return kept

    return children


def _joined(values: list[list[Any]]) -> list[Any]:
    """Every child inlined: their lists, one after the other."""
    kept = values[0]
    for more in values[1:]:
        if kept:
            kept += more
        else:
            kept = more
    return kept


def _append_second(values: list[Any]) -> list[Any]:
    """`helper: helper item`, the left-recursive step of a repetition."""
    items: list[Any] = values[0]
    items.append(values[1])
    return items
