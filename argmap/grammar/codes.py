"""The codes the parser and the file stage report: one table of code, name, level,
explanation with its bad and fixed examples, and the message and hint of each case
in which the parser reports the code.

The checks run inside the parser (`argmap.grammar`), where the fix goes; they name
the code and the case and fill in the details (`diagnostic`). This table is also what
`argmap rule P106` prints, what docs/rules.md lists and what configuration may name
(`argmap.rules.parser` registers it). Messages and hints are `string.Template`s:
`$name` is filled from the keyword arguments of `diagnostic`.
"""

from __future__ import annotations

from string import Template
from typing import NamedTuple

from argmap.diagnostics import Diagnostic, Level, Located


class ParserCode(NamedTuple):
    code: str
    name: str
    level: str
    doc: str
    # case -> (message, hint); the case "" is the code's usual one. Empty for the
    # file-stage codes reported outside the parser (F006-F009).
    messages: dict[str, tuple[str, str]] = {}  # noqa: RUF012 (never mutated)


CODES: list[ParserCode] = [
    ParserCode(
        "F001",
        "unreadable-path",
        "error",
        """A path that does not exist or cannot be read.

    `argmap check` exits with status 2 (an I/O problem, not a finding in a map).
    Check the path and its permissions.""",
        {
            "": (
                "cannot read file: $reason",
                "check the path and its permissions",
            ),
        },
    ),
    ParserCode(
        "F002",
        "binary-file",
        "error",
        """A file that looks binary (it contains NUL bytes).

    Argdown maps are UTF-8 text; argmap refuses binary files instead of reporting
    thousands of syntax errors. Exit status 2.""",
        {
            "": (
                "file looks binary (it contains NUL bytes), not an Argdown text",
                "check that the path names an .argdown file",
            ),
        },
    ),
    ParserCode(
        "F003",
        "invalid-utf8",
        "warning",
        """A byte sequence that is not valid UTF-8.

    The first such byte is reported at its line and column; every invalid byte is
    replaced by U+FFFD and the whole file is still read, as the reference Argdown
    parser reads it (its CLI accepts the file, with the replacement characters in its
    texts): `check` checks it, `score`, `export`, `render` and `evidence` go on with
    it. Other findings at a replaced byte (an argument name that no longer matches,
    say) come from the replacement and go away with it. Re-save the file as UTF-8; to
    fail CI on such a file, raise the level (`[tool.argmap.levels] F003 = "error"`).""",
        {
            "": (
                "invalid UTF-8 byte 0x$byte; the file must be UTF-8",
                "re-save the file as UTF-8; the rest was read with U+FFFD in place of each "
                "invalid byte, so findings there may come from it",
            ),
        },
    ),
    ParserCode(
        "F004",
        "file-too-large",
        "error",
        """A file over the size limit (32 MiB by default, `argmap.grammar.source.MAX_BYTES_DEFAULT`).

    Split the map into several files. Exit status 2.""",
        {
            "": (
                "file is $size bytes, over the limit of $limit",
                "split the map into several files; `argmap check` accepts a folder",
            ),
        },
    ),
    ParserCode(
        "F005",
        "empty-file",
        "error",
        """A map file with no content (nothing, or only whitespace).

    The reference parser rejects it ("Missing input"), and so does argmap. Write a
    thesis statement, e.g. `[Thesis]: ...`, or delete the file. A file with content
    but no element (only comments or frontmatter) is `P134`.""",
        {
            "": (
                "file is empty",
                "write a thesis statement, e.g. `[Thesis]: ...`",
            ),
        },
    ),
    ParserCode(
        "F006",
        "no-maps-in-folder",
        "error",
        """A folder given to `argmap check` holds no `*.argdown` file.

    Usually a typo in the path. Exit status 2.""",
    ),
    ParserCode(
        "F007",
        "unknown-config-code",
        "error",
        """An unknown rule code in the configuration.

    A typo in `select`, `ignore` or `levels` would otherwise silently do nothing.
    The finding points at the code in the configuration file.

    ```toml
    [tool.argmap]
    ignore = ["G31O"]   # bad: letter O, not zero
    ignore = ["G310"]   # fixed
    ```""",
    ),
    ParserCode(
        "F008",
        "invalid-config",
        "error",
        """A configuration file that is not valid TOML, or a key with a wrong value.

    argmap falls back to the default for that key and reports where the problem is.

    ```toml
    [tool.argmap.levels]
    V205 = "warn"      # bad
    V205 = "warning"   # fixed: error, warning, info or off
    ```""",
    ),
    ParserCode(
        "F009",
        "unknown-cli-code",
        "error",
        """An unknown rule code in `--select` or `--ignore`.

    This is a usage error: `argmap check` exits with status 2. `argmap rule --all`
    lists the codes.""",
    ),
    ParserCode(
        "F012",
        "byte-order-mark",
        "warning",
        """The file starts with a byte order mark (U+FEFF), as some Windows editors save UTF-8.

    The reference Argdown parser reads the mark as a character of text, so the first
    line is no element start: `[Title]:` or `<Title>:` there is rejected ("Expecting
    token of type EOF"), a heading or a frontmatter becomes an untitled statement. argmap
    reads the file as the reference does and says why here (the mark is invisible in
    an editor). Save the file as UTF-8 without a byte order mark.""",
        {
            "": (
                "the file starts with a byte order mark (U+FEFF), which Argdown reads as text: "
                "its first line starts no element",
                'save the file as UTF-8 without a byte order mark ("UTF-8", not "UTF-8 with BOM")',
            ),
        },
    ),
    ParserCode(
        "F010",
        "not-argdown",
        "error",
        """A file named as a map that is not Argdown.

    Any text parses as Argdown, so a file is read as a map only when its name ends in
    `.argdown` (or `.ad`), or when its text defines a statement `[Title]:`, an argument
    `<Title>` or a numbered premise `(1)` outside Markdown code fences. Otherwise the
    command reports this and exits with status 2: `argmap check notes.txt` or
    `check README.md` is a wrong path, not a map without findings.""",
        {
            "": (
                "$reason",
                "name the map *.argdown; argmap reads Argdown, not Markdown or plain text",
            ),
        },
    ),
    ParserCode(
        "F011",
        "unwritable-path",
        "error",
        """An output file (`-o/--output-file`, a default output path) that cannot be written.

    argmap writes only to a regular file or a new path in an existing folder: a
    device, a FIFO, a socket, a folder or `/dev/stdout` is refused before anything is
    created (an atomic write renames a new file over the path, which would replace a
    device with a plain file). Exit status 2. Leave out `-o` to write to stdout.

    Standard output that cannot take what a command writes (redirected to a full disk,
    or to `/dev/full`) is reported the same way, at `<stdout>`, with exit status 2. A
    reader that leaves early (`| head`) is no error of this kind: the command stops
    quietly with exit status 1.""",
        {
            "": (
                "cannot write file: $reason",
                "check that the folder exists and that you may write to it",
            ),
            "not-regular": (
                "cannot write file: it is $reason",
                "name a regular file or a new path; leave out -o to write to stdout",
            ),
            "no-folder": (
                "cannot write file: no such folder $folder",
                "create the folder first, or name a file in an existing one",
            ),
            "stdout": (
                "cannot write to standard output: $reason",
                "make room where the output goes (a full disk, a quota), or write it to a file with -o",
            ),
        },
    ),
    ParserCode(
        "P101",
        "unexpected-text",
        "error",
        """Text the grammar cannot place.

    Usually a missing empty line between two blocks, or a line that starts like one
    element and continues like another. Parsing resumes at the next block.""",
        {
            "": (
                "unexpected text",
                "check the line above for a missing empty line or marker",
            ),
        },
    ),
    ParserCode(
        "P102",
        "unclosed-data-block",
        "error",
        """A data block `{...}` that is never closed.

    A data block may span lines, empty ones too; one that a `}` only closes after an
    empty line and that is then not valid YAML was most likely never closed. (A `{`
    that no `}` follows at all is text, P135.)

    ```argdown
    [A]: text {reason: "x", credence: 0.7
    [A]: text {reason: "x", credence: 0.7}
    ```""",
        {
            "": (
                "data block is never closed",
                "add the closing `}` where the data ends",
            ),
        },
    ),
    ParserCode(
        "P103",
        "unclosed-comment",
        "warning",
        """A `/* ...` or `<!-- ...` that no `*/` or `-->` closes.

    The reference parser reads an opener that is never closed as plain text (and
    everything after it as usual), so argmap does too, and warns: the author most
    likely forgot the closer. Add `*/` or `-->` where the comment should end.

    ```argdown
    [A]: Roads first. /* counted in May
    ```

    Fixed:

    ```argdown
    [A]: Roads first. /* counted in May */
    ```""",
        {
            "": (
                "`$opener` opens a comment that nothing closes; it is read as text",
                "add `$closer` where the comment should end",
            ),
        },
    ),
    ParserCode(
        "P105",
        "invalid-data",
        "error",
        """A data block or frontmatter that is not valid YAML.

    Data blocks are YAML flow mappings: put a space after each colon and quote text
    that contains commas or colons.

    ```argdown
    [A]: text {reason: because: x, credence:0.7}
    [A]: text {reason: "because: x", credence: 0.7}
    ```""",
        {
            "data": (
                "data block is not valid: $error",
                'write YAML flow style, e.g. {reason: "...", credence: 0.7}; '
                "put a space after each colon and quote text with commas or colons",
            ),
            "frontmatter": (
                "frontmatter is not valid YAML: $error",
                "frontmatter holds YAML key: value lines",
            ),
        },
    ),
    ParserCode(
        "P106",
        "missing-inference-line",
        "error",
        """A conclusion with no inference line `----` above it.

    Without the line the numbered statement is read as one more premise, the
    argument has no conclusion, and `@argdown/cli` rejects the file. The hint names
    the two statements the line goes between.

    ```argdown
    (1) [P]: A premise. #observation
    (2) [C]: The conclusion.

    (1) [P]: A premise. #observation
    ----
    (2) [C]: The conclusion.
    ```""",
        {
            "": (
                "conclusion ($number) has no inference line `----` above it",
                "insert a line `----` between ($premise) and ($number) (above line $line)",
            ),
        },
    ),
    ParserCode(
        "P107",
        "misnumbered-pcs",
        "warning",
        """Premise-conclusion statements not numbered (1), (2), (3)...

    Numbers are how inference rules and readers refer to statements; renumber them.""",
        {
            "": (
                "premise-conclusion statement is numbered ($number), expected ($expected)",
                "renumber it ($expected)",
            ),
        },
    ),
    ParserCode(
        "P108",
        "relation-without-parent",
        "error",
        """A relation line with nothing above it to attach to.

    A relation must directly follow its parent line; an empty line ends the parent's
    block.

    ```argdown
    [Thesis]: T.

      + <A>

    [Thesis]: T.
      + <A>
    ```""",
        {
            "": (
                "relation cannot go here",
                "put the relation directly under the line it relates to",
            ),
            "after-empty-line": (
                "relation has no element above it to attach to",
                "a relation must follow its parent line directly: remove the empty line above it",
            ),
            "first-block": (
                "relation has no element above it to attach to",
                "write the statement or argument it relates to on the line above it",
            ),
        },
    ),
    ParserCode(
        "P109",
        "mixed-indentation",
        "warning",
        """Indentation that mixes tabs and spaces.

    argmap counts a tab as 4 columns; other tools may not, and the relation tree
    would change meaning. Indent with spaces only.""",
        {
            "": (
                "indentation mixes tabs and spaces",
                "indent with spaces only; argmap counts a tab as 4 columns",
            ),
        },
    ),
    ParserCode(
        "P110",
        "frontmatter-not-first",
        "error",
        """A `===` frontmatter block that is not at the top of the file.

    As in the reference lexer, `===` reads as a frontmatter block up to the next `===`
    (on the same line or further down) wherever a new token starts: at a line start,
    after punctuation, a tag or a relation sign. Inside the map that is an error.

    ```argdown
    [Ferry]: Fares stay at 2 euros, === and the timetable === is printed.
    [Ferry]: Fares stay at 2 euros, \\=== and the timetable \\=== is printed.
    ```""",
        {
            "": (
                "frontmatter must come first in the document",
                "move this `===` block to the top of the file",
            ),
            "in-text": (
                "`===` starts a frontmatter block here (up to the next `===`); only the top of a map has one",
                "escape the first `=` (`\\===`), or reword the text",
            ),
        },
    ),
    ParserCode(
        "P111",
        "inference-without-conclusion",
        "error",
        """An inference line `----` with no conclusion below it.

    Add the conclusion `(n) ...` below the line.""",
        {
            "": (
                "inference line is not followed by a conclusion",
                "add the conclusion `(n) ...` below the inference line",
            ),
        },
    ),
    ParserCode(
        "P112",
        "pcs-too-short",
        "error",
        """A premise-conclusion structure with fewer than two statements.

    An argument needs at least one premise and a conclusion.""",
        {
            "": (
                "premise-conclusion structure needs at least one premise and a conclusion",
                "add the premises above the inference line",
            ),
        },
    ),
    ParserCode(
        "P113",
        "relation-indentation",
        "warning",
        """A relation indented no further than its parent, or unlike its siblings.

    Indentation decides which element a relation belongs to; inconsistent
    indentation can silently attach it to the wrong one.""",
        {
            "": (
                "relation is dedented to a level no line above it has",
                "indent it by $columns columns; it is attached to the relations at that level",
            ),
        },
    ),
    ParserCode(
        "P114",
        "pcs-starts-with-inference",
        "error",
        """A premise-conclusion structure that starts with an inference line.

    Put the premises above the `----` line.""",
        {
            "": (
                "premise-conclusion structure starts with an inference line",
                "put the premises `(1) ...` above the `----` line",
            ),
        },
    ),
    ParserCode(
        "P115",
        "unknown-mode",
        "warning",
        """A frontmatter `model: mode:` other than `strict` or `loose`.""",
        {
            "": (
                "unknown model mode $mode",
                "use `mode: strict` or `mode: loose`",
            ),
        },
    ),
    ParserCode(
        "P116",
        "contradiction-with-argument",
        "error",
        """`><` between an argument and something else.

    Contradiction relates two statements. Use `-` or `->` for an attack on or by an
    argument.""",
        {
            "": (
                "`><` (contradiction) relates two statements, not an argument",
                "use `-` or `->` for an attack on or by an argument",
            ),
        },
    ),
    ParserCode(
        "P117",
        "second-pcs",
        "error",
        """An argument reconstructed twice.

    Give the second premise-conclusion structure its own argument title.""",
        {
            "": (
                "argument <$title> already has a premise-conclusion structure",
                "an argument is reconstructed once; give this one its own title",
            ),
        },
    ),
    ParserCode(
        "P118",
        "double-inference",
        "error",
        """Two inference lines in a row.

    Remove one, or put an intermediary conclusion between them.""",
        {
            "": (
                "two inference lines in a row",
                "remove one of them, or put a conclusion between them",
            ),
        },
    ),
    ParserCode(
        "P119",
        "argument-in-pcs",
        "error",
        """A numbered PCS line that is an argument `<A>` instead of a statement.

    Write a statement `[Title]: text`; refer to arguments in relations.""",
        {
            "": (
                "a premise-conclusion statement must be a statement, not an argument",
                "write a statement `[Title]: text`; refer to arguments in relations",
            ),
        },
    ),
    ParserCode(
        "P120",
        "unclosed-expanded-inference",
        "error",
        """An expanded inference `--` ... that is never closed by a second `--`.""",
        {
            "": (
                "expanded inference is never closed",
                "end the inference rules with a second `--` line",
            ),
        },
    ),
    ParserCode(
        "P121",
        "text-under-inference",
        "error",
        """Text on the lines below a one-line inference `----`.

    Write inference rules between two `--` lines, or start the conclusion with `(n)`.""",
        {
            "": (
                "text under an inference line",
                "write inference rules between two `--` lines, or start the conclusion with `(n)`",
            ),
        },
    ),
    ParserCode(
        "P122",
        "heading-inside-block",
        "error",
        """A heading directly after a block, with no empty line before it.""",
        {
            "": (
                "heading inside a block",
                "leave an empty line before the heading",
            ),
        },
    ),
    ParserCode(
        "P123",
        "inference-without-premises",
        "error",
        """An inference line with no premises above it.""",
        {
            "": (
                "inference line without premises above it",
                "an inference line `----` goes between the premises `(1) ...` and the conclusion",
            ),
            "under-title": (
                "inference line without premises above it",
                "an inference line `----` goes between the premises `(1) ...` and the conclusion; "
                "leave an empty line between an argument's title and its premises",
            ),
        },
    ),
    ParserCode(
        "P124",
        "misplaced-pcs-statement",
        "error",
        """A numbered statement `(n)` where none can go.

    A premise-conclusion structure follows an argument title, after an empty line.""",
        {
            "": (
                "numbered statement `(n)` cannot go here",
                "a premise-conclusion structure follows an argument title; leave an empty line above it",
            ),
        },
    ),
    ParserCode(
        "P125",
        "list-inside-block",
        "error",
        """A list item inside another block; leave an empty line before the list.""",
        {
            "": (
                "list item inside another block",
                "leave an empty line before the list",
            ),
        },
    ),
    ParserCode(
        "P126",
        "reference-in-text",
        "error",
        """A statement reference `[T]` or argument reference `<T>` inside running text.

    The Argdown lexer reads any `[...]` (not a link) and `<...>` as a reference token,
    which may only start an element, so the reference parser rejects the map. Mention
    the element with `@[T]` / `@<T>`, or escape the bracket.

    ```argdown
    [Claim]: as <Smith> argues, prices rise.

    [Claim]: as @<Smith> argues, prices rise.
    ```""",
        {
            "number": (
                "`$reference(n)`: Argdown has no reference to a premise by its number",
                "refer to the premise by its statement title, e.g. `[Title]`",
            ),
            "in-text": (
                "`$reference` inside text reads as a reference, which only starts an element",
                "write `$mention` to mention it, or escape the opening bracket with a backslash",
            ),
        },
    ),
    ParserCode(
        "P127",
        "missing-empty-line",
        "error",
        """A new element, heading or premise-conclusion structure with no empty line above.

    Argdown separates top-level blocks by empty lines; without one, the line is read
    as part of the block above and the reference parser rejects the map.

    ```argdown
    [A]: First claim.
    [B]: Second claim.

    [A]: First claim.

    [B]: Second claim.
    ```""",
        {
            "pcs": (
                "a premise-conclusion structure starts here, but there is no empty line above it",
                "leave an empty line between the argument's title and its first premise",
            ),
            "element": (
                "$kind starts here, but there is no empty line above it",
                "leave an empty line above this line",
            ),
            "reference": (
                "`$reference` starts a new element, but there is no empty line above it",
                "leave an empty line above this line",
            ),
            "after-block": (
                "this line follows $what with no empty line between them",
                "leave an empty line above this line",
            ),
        },
    ),
    ParserCode(
        "P128",
        "text-after-reference",
        "error",
        """Text after a reference `[T]` or `<T>` (only tags and data may follow one).

    A reference repeats an element; to give it text, make it a definition with a colon.

    ```argdown
    [Claim] prices rise.

    [Claim]: prices rise.
    ```""",
        {
            "": (
                "text after the reference $reference; only tags and data may follow one",
                "add a colon to make it a definition: `$reference: ...`",
            ),
            "tag-below": (
                "a tag on a line below the reference $reference; its tags stand on its own line",
                "move the tag up to the line of $reference",
            ),
        },
    ),
    ParserCode(
        "P129",
        "nested-list",
        "error",
        """A list item indented differently from the first item of its list.

    Argdown lists do not nest. Indent every item of a list alike, or put relations
    (`+`, `-`) under an item instead.

    ```argdown
    * [A]: a.
      * [B]: b.

    * [A]: a.
    * [B]: b.
    ```""",
        {
            "": (
                "list item indented differently from the first item (Argdown lists do not nest)",
                "indent it by $columns columns like the first item, or make it a relation",
            ),
        },
    ),
    ParserCode(
        "P130",
        "relation-outside-tree",
        "error",
        """A relation indented no further than its element, or dedented below every open level.

    Indentation decides which element a relation belongs to; this one belongs to none.

    ```argdown
    [A]: a.
    + [B]: b.

    [A]: a.
      + [B]: b.
    ```""",
        {
            "": (
                "relation is not indented under any element above it",
                "indent the relation further than the line it relates to",
            ),
        },
    ),
    ParserCode(
        "P131",
        "text-after-frontmatter",
        "error",
        """Text on the line that closes the frontmatter (`=== text`).

    The closing `===` stands alone on its line, followed by an empty line.""",
        {
            "": (
                "text after the `===` that closes the frontmatter",
                "end the frontmatter with a line holding only `===`, then an empty line",
            ),
        },
    ),
    ParserCode(
        "P132",
        "text-after-data",
        "error",
        """Text, a tag or a second data block after an element's data block.

    In Argdown a data block `{...}` ends its element; only relations may follow it.

    ```argdown
    [A]: Prices rise. {credence: 0.7} #economy

    [A]: Prices rise. #economy {credence: 0.7}
    ```""",
        {
            "": (
                "text after a data block; a data block `{...}` ends its element",
                "move the data block to the end of the element",
            ),
        },
    ),
    ParserCode(
        "P133",
        "unclosed-emphasis",
        "error",
        """A `_`, `*`, `__` or `**` that opens emphasis nothing closes (`snake_case`, `2*3`).

    The reference parser reads these characters as emphasis markers wherever a
    non-space character follows them, and rejects a map that leaves a range open
    ("Incomplete italic text range"). argmap reads the character literally, as the
    author meant it, but reports it so that both tools accept the same maps. Escape it
    with a backslash, or close the range after the emphasised words. A marker that is
    the very last character of a file with no line break at its end opens a range too.

    ```argdown
    [Naming]: Python code uses snake_case names.

    [Naming]: Python code uses snake\\_case names.
    ```""",
        {
            "": (
                "`$marker` opens $kind that nothing closes (the reference parser rejects the map)",
                "write `$escaped` for a literal `$marker`, or close the range where the emphasis ends",
            ),
            "end-of-map": (
                "`$marker` at the very end of the map opens $kind (the reference parser rejects the map)",
                "end the file with a line break, or write `$escaped` for a literal `$marker`",
            ),
        },
    ),
    ParserCode(
        "P134",
        "empty-map",
        "error",
        """A map with no heading, statement or argument: empty, or only comments or frontmatter.

    The reference parser rejects it ("expecting at least one iteration"); a map checked
    in CI that holds nothing is almost always a file emptied by mistake.""",
        {
            "": (
                "the map holds no heading, statement or argument",
                "write a statement, e.g. `[Thesis]: What the map argues.`",
            ),
        },
    ),
    ParserCode(
        "P135",
        "unclosed-brace",
        "warning",
        """A `{` that no `}` anywhere after it closes.

    The reference parser reads such a brace as plain text, not as a data block, so
    argmap does too, and warns: a data block whose `}` was forgotten. (A brace that a
    later `}` closes across an empty line is an unclosed data block, P102.)

    ```argdown
    [A]: Repairs come first. {credence: 0.7
    ```

    Fixed:

    ```argdown
    [A]: Repairs come first. {credence: 0.7}
    ```""",
        {
            "": (
                "`{` is never closed, so it is read as text, not as a data block",
                "add the closing `}` if this is data, or write `\\{` for a literal brace",
            ),
        },
    ),
    ParserCode(
        "P136",
        "backslash-at-line-end",
        "error",
        """A backslash at the end of a line (or of the file), where it escapes nothing.

    A backslash escapes the character after it (`\\[`, `\\_`, `\\t`); the reference
    lexer fails on one that a line break follows ("lexing errors detected") and
    rejects the map. Remove it, or write `\\\\` for a literal backslash.

    ```argdown
    [A]: This line ends in a backslash \\
    [A]: This line ends in a backslash \\\\
    ```""",
        {
            "": (
                "a backslash at the end of a line escapes nothing (the reference parser rejects the map)",
                "remove the backslash, or write `\\\\` for a literal one",
            ),
        },
    ),
    ParserCode(
        "P137",
        "frontmatter-not-mapping",
        "warning",
        """A frontmatter whose YAML is a list or a plain value, not a mapping of settings.

    The reference parser accepts it and takes no settings from it; so does argmap.
    Write the settings as `key: value` lines.

    ```argdown
    ===
    - model: strict
    ===

    ===
    model:
        mode: strict
    ===
    ```""",
        {
            "": (
                "the frontmatter is a YAML $kind, not a mapping; it sets nothing",
                "write settings as `key: value` lines, e.g. `model:` then `    mode: strict`",
            ),
        },
    ),
    ParserCode(
        "P138",
        "unreadable-inference",
        "error",
        """An inference line the reference parser cannot read.

    After the opening `--` the reference expects, in this order: the rules (on the
    same line or the next, one line, separated by commas), a data block, and the
    closing hyphens (`--` or more) with nothing after them on their line. Rules over
    two lines, a data block before the rules, text after the closing hyphens or a
    `-- rules` line that nothing closes are rejected.

    ```argdown
    ----- Modus ponens
    -- Modus ponens --
    ```""",
        {
            "": (
                "the reference parser cannot read this inference line",
                "write `----` or `-- rules --`, or `--`, rules (one line), data, `--` on lines of their own",
            ),
            "after-end": (
                "text after the hyphens that close the inference",
                "put the rules between the hyphens: `-- rules --`",
            ),
        },
    ),
    ParserCode(
        "P139",
        "missing-text",
        "error",
        """A definition, numbered statement, list item, relation or heading with no text.

    The reference parser needs text right after `[Title]:`, `<Title>:`, `(n)`, `*`, a
    relation sign or `#`: a data block before any text, or nothing at all before an
    empty line, is rejected ("Missing text content"). Write the text; to refer to an
    element without adding text, drop the colon (`[Title]`).

    ```argdown
    [Budget]: {credence: 0.6}
    [Budget]: The budget balances. {credence: 0.6}
    ```""",
        {
            "": (
                "nothing follows `$what`; the reference parser needs text here",
                "write the text after it (or drop the colon to refer to the element: `[Title]`)",
            ),
            "data-first": (
                "a data block comes before any text",
                "write the text first, then the data block",
            ),
            "marker": (
                "nothing follows `$what`; the reference parser needs text here",
                "write the text after `$what`, on the same line",
            ),
        },
    ),
    ParserCode(
        "P140",
        "relation-under-inference",
        "error",
        """A relation other than an undercut directly under an inference line.

    What hangs from an inference line (`----` or `-- rules --`) is an undercut of that
    inference step: `<_` (or `_`), whose child attacks the step itself. The reference
    parser rejects any other relation there ("expecting `<_`"). A support or attack
    meant for the conclusion goes under the conclusion, after it.

    ```argdown
    [Thesis]: Emissions should be priced.

    <Pricing>

    (1) Emissions harm third parties.
    ----
      +> [Thesis]
    (2) [Conclusion]: Therefore they should be priced.
    ```

    Fixed:

    ```argdown
    [Thesis]: Emissions should be priced.

    <Pricing>

    (1) Emissions harm third parties.
    ----
    (2) [Conclusion]: Therefore they should be priced.
      +> [Thesis]
    ```""",
        {
            "": (
                "`$symbol` cannot hang from an inference line; only an undercut (`<_`) can",
                "move it under the conclusion below (after its text), or write `<_` to undercut this step",
            ),
        },
    ),
    ParserCode(
        "P141",
        "link-over-lines",
        "error",
        """A link whose label or address runs over a line break.

    The reference lexer reads `[label](address)` up to the first `]` and the first `)`
    after it, wherever they are; its model then reads the label and address one line
    at a time, finds no link, and stops the whole export ("Could not match link"). A
    link wrapped where a long line was broken is the usual cause.

    ```argdown
    [Adapters]: The survey [Parameter-Efficient
      Fine-Tuning](https://example.org/peft) compares them.
    ```

    Fixed (the line broken before the link):

    ```argdown
    [Adapters]: The survey
      [Parameter-Efficient Fine-Tuning](https://example.org/peft) compares them.
    ```""",
        {
            "": (
                'this link runs over a line break; the reference stops at it ("Could not match link")',
                "keep `[label](address)` on one line: break the line before `[` or after `)`",
            ),
        },
    ),
    ParserCode(
        "P142",
        "data-not-mapping",
        "warning",
        """A data block whose YAML is a list or a plain value, not a mapping of keys.

    The reference parser accepts it and keeps the list or value as the element's data.
    argmap reads numbers and reasons by key, so it takes nothing from such a block: no
    credence, inference strength or reason (and `export --to json` writes no data for
    it). Write the values as `key: value` pairs.

    ```argdown
    [Rain]: It will rain. {
    - 0.8
    - "forecast"
    }
    ```

    Fixed:

    ```argdown
    [Rain]: It will rain. {credence: 0.8, reason: "forecast"}
    ```""",
        {
            "": (
                "the data block is a YAML $kind, not a mapping; argmap reads nothing from it",
                'write `{key: value, ...}`, e.g. `{credence: 0.8, reason: "..."}`',
            ),
        },
    ),
]

_BY_CODE = {entry.code: entry for entry in CODES}


def diagnostic(code: str, path: str, where: Located, case: str = "", **fields: object) -> Diagnostic:
    """The finding `code` reports in `case`, at `where` in `path`, its message and
    hint filled in from `fields`."""
    entry = _BY_CODE[code]
    message, hint = entry.messages[case]
    quoted = {name: _cut(str(value)) for name, value in fields.items()}
    return Diagnostic.at(
        code,
        Level(entry.level),
        Template(message).substitute(quoted),
        path,
        where,
        Template(hint).substitute(quoted),
    )


QUOTE_LIMIT = 200  # characters of map text one message quotes (a title may be 100 KB)


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 3] + "..."
