"""Codes for experiment specs (`argmap experiment run`): family T.

They are reported by argmap/training/spec.py (T101-T104 and T106, before anything
trains), argmap/training/runner.py (T105, once the model is loaded and the methods' sizes
are known) and argmap/training/analysis.py (the warnings T107 and T108, about a finished
run), and by the CLI (T109, a trial that failed on every attempt, once the others ran),
not by a rule function; registered here so `argmap rule T102` explains them. An error
other than T109 means nothing was trained; a warning is also recorded in the result
(`setup.hyperparameters.warnings`). See docs/training.md.
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
    "spec-measurement-unavailable",
    "error",
    """A comparison asks for a measurement that the spec's task, model or grid cannot give.

    `ood_acc` and `ood_loss` need an out-of-distribution split that training and
    learning-rate selection never see: `heldout_modes:` on the shift task, or
    `domain_column:` with `ood_domains:` on a text task. `retention` and `forgetting` need
    a source task the model was pre-trained on (the tiny model on the shift task; a
    downloaded classifier has none argmap could score). `lr_worst` and `lr_spread` need
    a grid of at least two learning rates for both arms. The diagnostic points at the
    comparison's `measure:` and the hint says what to add.

    Bad: `measure: ood_acc` with `task: {name: shift}` ; fixed:
    `task: {name: shift, heldout_modes: 1}`.
    """,
    _MODULE,
)
document_code(
    "T107",
    "learning-rate-at-grid-edge",
    "warning",
    """A method's selected learning rate is the lowest or the highest of its grid.

    The best rate on validation may lie beyond the grid, so the method may have been
    compared below its best; a grid of one rate tunes nothing. Recorded in the result's
    `setup.hyperparameters.warnings` and printed after the run, located at the method.

    Bad: `learning_rates: [0.001, 0.003]` and 0.003 selected ; fixed: extend the grid
    (`[0.001, 0.003, 0.01, 0.03]`) until the selected rate is inside it.
    """,
    _MODULE,
)
document_code(
    "T108",
    "curve-still-improving",
    "warning",
    """A validation curve at the selected rate was still improving at the last step.

    The last evaluation beat every earlier one by more than 0.005 (accuracy, or relative
    loss), so training stopped before the curve levelled off: the comparison reads the
    methods mid-way, which favours the faster one. Recorded in the result with the seeds
    concerned.

    Bad: `steps: 20` where the curves still climb ; fixed: more `steps:` (or a
    convergence measurement such as `steps_to_target`, if speed is the claim).
    """,
    _MODULE,
)
document_code(
    "T109",
    "trial-failed",
    "error",
    """A trial (one method, learning rate and seed) failed on every attempt.

    The trial raised an error (a peft option the method does not take, data the model
    cannot read, out of memory) or its worker process died. On a Ray cluster it is run
    again, on any worker, up to `--retries` times first. The other trials go on and are
    cached; comparisons that need the failed trial get no result. The diagnostic points
    at the method in the spec and quotes the error; running the same command again after
    fixing the cause runs only the failed trials.

    Bad: `batch_size: 64` for a 7B model on one 24 GB GPU (CUDA out of memory) ; fixed:
    `batch_size: 64` with `gradient_accumulation: 16` and `gradient_checkpointing: true`.
    """,
    _MODULE,
)
