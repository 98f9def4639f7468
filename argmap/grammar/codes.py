"""The codes the parser and the file stage report: one table of code, name, level
and explanation with its bad and fixed examples.

The checks run inside the parser (`argmap.grammar`), where the fix goes, and each
builds its message and hint there; this table is what `argmap rule P106` prints,
what docs/rules.md lists and what configuration may name (`argmap.rules.parser`
registers it).
"""

from __future__ import annotations

CODES: list[tuple[str, str, str, str]] = [
    (
        "F001",
        "unreadable-path",
        "error",
        """A path that does not exist or cannot be read.

    `argmap check` exits with status 2 (an I/O problem, not a finding in a map).
    Check the path and its permissions.""",
    ),
    (
        "F002",
        "binary-file",
        "error",
        """A file that looks binary (it contains NUL bytes).

    Argdown maps are UTF-8 text; argmap refuses binary files instead of reporting
    thousands of syntax errors. Exit status 2.""",
    ),
    (
        "F003",
        "invalid-utf8",
        "error",
        """A byte sequence that is not valid UTF-8.

    The byte is reported at its line and column and replaced by U+FFFD, so the
    rest of the file is still checked. Re-save the file as UTF-8.""",
    ),
    (
        "F004",
        "file-too-large",
        "error",
        """A file over the size limit (32 MiB by default, `argmap.grammar.source.MAX_BYTES_DEFAULT`).

    Split the map into several files. Exit status 2.""",
    ),
    (
        "F005",
        "empty-file",
        "warning",
        """A map file with no content.

    Write a thesis statement, e.g. `[Thesis]: ...`, or delete the file.""",
    ),
    (
        "F006",
        "no-maps-in-folder",
        "error",
        """A folder given to `argmap check` holds no `*.argdown` file.

    Usually a typo in the path. Exit status 2.""",
    ),
    (
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
    (
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
    (
        "F009",
        "unknown-cli-code",
        "error",
        """An unknown rule code in `--select` or `--ignore`.

    This is a usage error: `argmap check` exits with status 2. `argmap rule --all`
    lists the codes.""",
    ),
    (
        "F010",
        "not-argdown",
        "error",
        """A file named as a map that is not Argdown.

    Any text parses as Argdown, so a file is read as a map only when its name ends in
    `.argdown` (or `.ad`), or when its text defines a statement `[Title]:`, an argument
    `<Title>` or a numbered premise `(1)` outside Markdown code fences. Otherwise the
    command reports this and exits with status 2: `argmap check notes.txt` or
    `check README.md` is a wrong path, not a map without findings.""",
    ),
    (
        "P101",
        "unexpected-text",
        "error",
        """Text the grammar cannot place.

    Usually a missing empty line between two blocks, or a line that starts like one
    element and continues like another. Parsing resumes at the next block.""",
    ),
    (
        "P102",
        "unclosed-data-block",
        "error",
        """A data block `{...}` that is never closed.

    A data block may span lines, but not an empty line.

    ```argdown
    [A]: text {reason: "x", credence: 0.7
    [A]: text {reason: "x", credence: 0.7}
    ```""",
    ),
    (
        "P103",
        "unclosed-comment",
        "error",
        """A `/* ...` or `<!-- ...` comment that is never closed.

    Everything after it would be invisible. Add `*/` or `-->` where it should end.""",
    ),
    (
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
    ),
    (
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
    ),
    (
        "P107",
        "misnumbered-pcs",
        "warning",
        """Premise-conclusion statements not numbered (1), (2), (3)...

    Numbers are how inference rules and readers refer to statements; renumber them.""",
    ),
    (
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
    ),
    (
        "P109",
        "mixed-indentation",
        "warning",
        """Indentation that mixes tabs and spaces.

    argmap counts a tab as 4 columns; other tools may not, and the relation tree
    would change meaning. Indent with spaces only.""",
    ),
    (
        "P110",
        "frontmatter-not-first",
        "error",
        """A `===` frontmatter block that is not at the top of the file.""",
    ),
    (
        "P111",
        "inference-without-conclusion",
        "error",
        """An inference line `----` with no conclusion below it.

    Add the conclusion `(n) ...` below the line.""",
    ),
    (
        "P112",
        "pcs-too-short",
        "error",
        """A premise-conclusion structure with fewer than two statements.

    An argument needs at least one premise and a conclusion.""",
    ),
    (
        "P113",
        "relation-indentation",
        "warning",
        """A relation indented no further than its parent, or unlike its siblings.

    Indentation decides which element a relation belongs to; inconsistent
    indentation can silently attach it to the wrong one.""",
    ),
    (
        "P114",
        "pcs-starts-with-inference",
        "error",
        """A premise-conclusion structure that starts with an inference line.

    Put the premises above the `----` line.""",
    ),
    ("P115", "unknown-mode", "warning", """A frontmatter `model: mode:` other than `strict` or `loose`."""),
    (
        "P116",
        "contradiction-with-argument",
        "error",
        """`><` between an argument and something else.

    Contradiction relates two statements. Use `-` or `->` for an attack on or by an
    argument.""",
    ),
    (
        "P117",
        "second-pcs",
        "error",
        """An argument reconstructed twice.

    Give the second premise-conclusion structure its own argument title.""",
    ),
    (
        "P118",
        "double-inference",
        "error",
        """Two inference lines in a row.

    Remove one, or put an intermediary conclusion between them.""",
    ),
    (
        "P119",
        "argument-in-pcs",
        "error",
        """A numbered PCS line that is an argument `<A>` instead of a statement.

    Write a statement `[Title]: text`; refer to arguments in relations.""",
    ),
    (
        "P120",
        "unclosed-expanded-inference",
        "error",
        """An expanded inference `--` ... that is never closed by a second `--`.""",
    ),
    (
        "P121",
        "text-under-inference",
        "error",
        """Text on the lines below a one-line inference `----`.

    Write inference rules between two `--` lines, or start the conclusion with `(n)`.""",
    ),
    (
        "P122",
        "heading-inside-block",
        "error",
        """A heading directly after a block, with no empty line before it.""",
    ),
    ("P123", "inference-without-premises", "error", """An inference line with no premises above it."""),
    (
        "P124",
        "misplaced-pcs-statement",
        "error",
        """A numbered statement `(n)` where none can go.

    A premise-conclusion structure follows an argument title, after an empty line.""",
    ),
    (
        "P125",
        "list-inside-block",
        "error",
        """A list item inside another block; leave an empty line before the list.""",
    ),
    (
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
    ),
    (
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
    ),
    (
        "P128",
        "text-after-reference",
        "error",
        """Text after a reference `[T]` or `<T>` (only tags and data may follow one).

    A reference repeats an element; to give it text, make it a definition with a colon.

    ```argdown
    [Claim] prices rise.

    [Claim]: prices rise.
    ```""",
    ),
    (
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
    ),
    (
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
    ),
    (
        "P131",
        "text-after-frontmatter",
        "error",
        """Text on the line that closes the frontmatter (`=== text`).

    The closing `===` stands alone on its line, followed by an empty line.""",
    ),
    (
        "P132",
        "text-after-data",
        "error",
        """Text, a tag or a second data block after an element's data block.

    In Argdown a data block `{...}` ends its element; only relations may follow it.

    ```argdown
    [A]: Prices rise. {credence: 0.7} #economy

    [A]: Prices rise. #economy {credence: 0.7}
    ```""",
    ),
]
