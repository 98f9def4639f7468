"""Patterns the model builder's modules share (one place, so elements, relations, PCS
and the builder read the same marks)."""

from __future__ import annotations

import re

# A character of a tag's name as the reference lexer reads it:
# `[a-zA-z0-9\-\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]`. Its class is written `a-zA-z`
# (sic), which also takes the characters between `Z` and `a` ([ \\ ] ^ _ and the
# backtick), and U+00A0-U+D7FF holds dashes and typographic quotes too. Written as the
# negation of its complement: `re` builds a class by visiting every character of its
# ranges below U+10000, 57,000 for the class as written (2.4 ms per pattern, at every
# start of argmap), 8,500 for this one (tests/grammar/test_patterns.py compares the two
# on every code point).
TAG_CHAR = "[^\\x00-\\x2c./\\x3a-\\x40\\x7b-\\x9f\\ud800-\\uf8ff\\ufdd0-\\ufdef\\ufff0-\\U0010ffff]"
# The same with `A-Z` for `A-z`: what argmap's comment pass takes for a tag before `//`.
TAG_CHAR_ASCII_LETTERS = (
    "[^\\x00-\\x2c./\\x3a-\\x40\\x5b-\\x60\\x7b-\\x9f\\ud800-\\uf8ff\\ufdd0-\\ufdef\\ufff0-\\U0010ffff]"
)

RELATION_SYMBOL = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)[ \t]*")
PCS_NUMBER = re.compile(r"\((\d+)\)[ \t]*")
FENCE = re.compile(r"-{2,3}[ \t]*$")
COLLAPSED = re.compile(r"-{4,}")
EVIDENCE_FRAGMENT = re.compile(r"L(\d+)(?:-L?(\d+))?")
# A `> ...` quote line: one at the start of a line token, and one after a line break
# (a literal first character lets the engine skip to each break at C speed; the
# `(?:\A|\n)` alternation tried every position of a premise: 4 us instead of 0.8).
QUOTE_START = re.compile(r"[ \t]*(?P<gt>>)(?=[ \t]|\n|\Z)")
QUOTE_LINE = re.compile(r"\n[ \t]*(?P<gt>>)(?=[ \t]|\n|\Z)")
HEADING_MARK = re.compile(r"#+ ")
INFERENCE_MARK = re.compile(r"-{4,}[ \t]*$|--[ \t]*\S.*--[ \t]*$")
REFERENCE_PIECES = frozenset({"statement-reference", "argument-reference"})
# The reference lexer's frontmatter token: `===` (or more) up to the next `===`.
FRONTMATTER_TOKEN = re.compile(r"===+[\s\S]*?===+")
FRONTMATTER_CLOSE = re.compile(r"={3,}\s*\Z")
LIST_OR_PCS_MARK = re.compile(r"(?:\*|\d+\.)(?=[ \t\n]|$)|\(\d+\)")
# A list item's marker and the blanks after it (a marker alone on its line is an item too)
LIST_MARKER = re.compile(r"(?:\*|\d+\.)(?:[ \t]+|(?=\n))")
