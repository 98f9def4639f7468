"""Codes for experiment specs (`argmap experiment run`): family T.

They are reported by argmap/training/spec.py (T101-T104, before anything trains) and
argmap/training/runner.py (T105, once the model is loaded and the methods' sizes are
known), not by a rule function; registered here so `argmap rule T102` explains them.
T101-T105 mean nothing was trained; T106 (a trial that failed on every attempt, reported
by the CLI after the other trials ran) means some comparisons have no result. See
docs/training.md.
"""

from __future__ import annotations

from argmap.rules.registry import document_code

_MODULE = __name__

document_code(
    "T101",
    "spec-unreadable",
    "error",
    """The experiment spec cannot be read: a missing file, bad UTF-8, or a YAML syntax error.

    The diagnostic points at the line and column where YAML gave up. Tabs used for
    indentation and an unclosed `[` or `{` are the usual causes.

    Bad: `methods: {lora: {type: lora}` ; fixed: `methods: {lora: {type: lora}}`.
    """,
    _MODULE,
)
document_code(
    "T102",
    "spec-schema",
    "error",
    """A field of the spec is wrong: unknown, missing, of the wrong type or out of range.

    The spec is validated field by field (docs/training.md lists them): an unknown key
    (a typo: `learning_rate` for `learning_rates`), a missing `comparisons` or
    `methods`, a negative learning rate, fewer than two seeds or a repeated seed, an
    unknown method type, model, task or metric (with did-you-mean). Each problem is
    reported at its own line and column.

    Bad: `lora: {type: lroa}` ; fixed: `lora: {type: lora}`.
    """,
    _MODULE,
)
document_code(
    "T103",
    "spec-unknown-method",
    "error",
    """A comparison names a method that the spec's `methods:` does not define.

    `method:` and `baseline:` of a comparison are keys of `methods:` (your names for
    configured methods), not method types.

    Bad: `comparisons: [{claim: X, method: pissa, baseline: lora}]` with only `lora:`
    under `methods:` ; fixed: add `pissa: {type: pissa}` under `methods:`.
    """,
    _MODULE,
)
document_code(
    "T104",
    "spec-unknown-claim",
    "error",
    """With `--attach MAP`, a comparison's claim is not a statement title of the map.

    The claim is the title without brackets, spelled exactly as in the map; the hint
    suggests the closest title. Checked before anything trains, so a typo does not
    cost a run whose results cannot be attached.

    Bad: `claim: SVD init wins` ; fixed: `claim: SVD Init Wins`.
    """,
    _MODULE,
)
document_code(
    "T105",
    "spec-budget-unmeetable",
    "error",
    """No size of a method meets the spec's parameter budget.

    With `budget: {params: N}`, each method without an explicit `r` gets the value of
    its size knob (rank, block size, reflections, frequencies) whose trainable-parameter
    count is closest to N. When the closest count is still far from N (off by more
    than half of N), or no knob value fits the model's shapes, the methods would not be
    compared at matched size, so the run stops here. The diagnostic points at the
    method in the YAML and says which counts are reachable; `argmap experiment methods
    --budget N` lists every method's closest count.

    Bad: `budget: {params: 100}` on a model where rank-1 LoRA has 4,096 parameters ;
    fixed: a budget inside the reachable range, or an explicit `r:` for that method.
    """,
    _MODULE,
)
document_code(
    "T106",
    "trial-failed",
    "error",
    """A trial (one method, learning rate and seed) failed on every attempt.

    The trial raised an error (a peft option the method does not take, data the model
    cannot read, out of memory) or its worker process died. On a Ray cluster it is run
    again, on any worker, up to `--retries` times first. The other trials go on and are
    cached; comparisons that need the failed trial get no result. The diagnostic points
    at the method in the spec and quotes the error; running the same command again after
    fixing the cause runs only the failed trials.

    Bad: `methods: {lora: {type: lora, options: {dropout: 0.1}}}` (LoraConfig has no
    `dropout`) ; fixed: `options: {lora_dropout: 0.1}`.
    """,
    _MODULE,
)
