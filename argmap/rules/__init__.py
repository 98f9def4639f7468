"""Registered rules: every code `argmap check` can report, with its explanation.

`run_rules(document, options)` runs the selected rules over a parsed document; the
registry and the `@rule` decorator live in `argmap.rules.registry`; one module per
family (`vargdown`, `graph`; documentation-only entries for parser codes in
`parser`). See `registry` for how another family registers its rules.
"""

from argmap.rules.registry import Context, Rule, all_rules, get_rule, rule, run_rules

__all__ = ["Context", "Rule", "all_rules", "get_rule", "rule", "run_rules"]
