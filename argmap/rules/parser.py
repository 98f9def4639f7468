"""Registers the codes the parser and the file stage report (the table is
`argmap.grammar.codes`, next to the parser that reports them).

These checks run inside the parser (`argmap.grammar`), where the fix goes; here
they are only registered, so that `argmap rule P106` explains them, the docs list
them and configuration may name them. Parser and file errors cannot be silenced
by configuration (a map that does not parse cannot pass); their warnings can.
"""

from __future__ import annotations

from argmap.grammar.codes import CODES
from argmap.rules.registry import document_code

_MODULE = __name__

for _entry in CODES:
    document_code(_entry.code, _entry.name, _entry.level, _entry.doc, module=_MODULE)
