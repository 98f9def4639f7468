"""The experiment file: a YAML spec validated by pydantic, with diagnostics that point
at the line and column of every mistake.

    comparisons:
      - claim: SVD Init Wins          # the claim's title in the map
        method: pissa                 # a key of `methods`
        baseline: lora
        measure: ood_acc              # what the claim is about (argmap.training.measures)
        rationale: the claim is about transfer to unseen inputs
    model: tiny                       # tiny | minilm | smollm2 | {path: /a/local/hf/model}
    task: {name: shift, shift: 0.25, heldout_modes: 1}
    methods:
      lora: {type: lora}
      pissa: {type: pissa, learning_rates: [2e-3, 8e-3, 3e-2, 1e-1]}
    seeds: 5                          # the default: 0..4, paired across methods
    steps: 200
    batch_size: 32
    learning_rates: [1e-3, 3e-3, 1e-2, 3e-2]   # optional; else each method type's default grid
    budget: {params: [4000, 16000]}   # rank per method so trainable counts match, per budget

Codes: T101 unreadable file or YAML syntax error, T102 a field is wrong (schema), T103
a comparison names a method the spec does not define, T104 a claim title not in the
map (with did-you-mean), T105 a parameter budget no rank of a method can meet, T106 a
measurement the task or the spec cannot give.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from argmap import yamlsafe
from argmap.diagnostics import Diagnostic, Level, Region

METHOD_TYPES: tuple[str, ...] = (
    "lora",
    "pissa",
    "olora",
    "lora_orthogonal",
    "dora",
    "oft",
    "boft",
    "vera",
    "ia3",
    "hra",
    "loha",
    "lokr",
    "fourierft",
    "lora_over",
    "adalora",
    "randlora",
    "road",
    "delora",
    "psoft",
    "c3a",
    "shira",
    "vblora",
    "miss",
    "hira",
    "ether",
    "ether_plus",
    "svft",
    "ssvd",
    "full",
)
"""Every method `argmap experiment` can train; see argmap.training.methods."""

DEFAULT_GRIDS: dict[str, list[float]] = {
    "full": [1e-4, 3e-4, 1e-3, 3e-3],
    "ia3": [1e-2, 3e-2, 1e-1, 3e-1],
    "vera": [3e-3, 1e-2, 3e-2, 1e-1],
    "fourierft": [3e-3, 1e-2, 3e-2, 1e-1],
}
GRID = [1e-3, 3e-3, 1e-2, 3e-2]
"""The default learning-rate grid of a method type: four rates a factor ~3 apart (gain and
spectral methods, whose papers train at higher rates, one step up; full fine-tuning down)."""

DEFAULT_SEEDS = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_of(value: str, what: str, allowed: tuple[str, ...]) -> str:
    """`value` when it is one of `allowed`, else the error that names them."""
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected {', '.join(allowed[:-1])} or {allowed[-1]}")
    return value


class ModelSpec(_Strict):
    """The model to adapt. `tiny` is built from this config and pre-trained by the backend."""

    name: str = Field(default="tiny", description="tiny | minilm | smollm2 | local")
    path: str | None = Field(default=None, description="A local Hugging Face model folder (name: local).")
    hidden_size: int = Field(default=128, ge=8)
    layers: int = Field(default=2, ge=1)
    heads: int = Field(default=4, ge=1)
    intermediate_size: int = Field(default=256, ge=8)
    pretrain_steps: int = Field(default=150, ge=0)
    pretrain_lr: float = Field(default=3e-3, gt=0)
    seed: int = 0
    dtype: Literal["auto", "float32", "bfloat16"] = Field(
        default="auto", description="Weights of a real model: auto = bfloat16 on a GPU that supports it."
    )

    @field_validator("name")
    @classmethod
    def _known(cls, value: str) -> str:
        return _one_of(value, "model", ("tiny", "minilm", "smollm2", "local"))

    @model_validator(mode="after")
    def _path(self) -> ModelSpec:
        if self.name == "local" and not self.path:
            raise ValueError("model `local` needs `path:` (a Hugging Face model folder on disk)")
        if self.hidden_size % self.heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not divisible by heads {self.heads}")
        return self


class TaskSpec(_Strict):
    """The task. `shift` is synthetic (tiny model only); `tweets` and `local` are text
    classification; `lm` is causal-LM fine-tuning on local text (argmap.training.causal_lm)."""

    name: str = Field(default="shift", description="shift | tweets | local | lm")
    # shift: modal permutation chains; the adaptation task remaps a fraction of the symbols
    symbols: int = Field(default=48, ge=4)
    modes: int = Field(default=4, ge=1)
    length: int = Field(default=24, ge=4)
    noise: float = Field(default=0.2, ge=0.0, lt=1.0)
    shift: float = Field(default=0.25, gt=0.0, le=1.0, description="Fraction of symbols remapped.")
    task_seed: int = 0
    shift_seed: int = 1
    heldout_modes: int = Field(
        default=0, ge=0, description="Modes kept out of training and validation: the OOD split."
    )
    # text classification (tweets | local)
    path: str | None = None
    text_column: str = "text"
    label_column: str = "label"
    max_length: int = Field(default=64, ge=4)
    train_examples: int | None = Field(
        default=None, ge=1, description="A training subsample of this size, drawn per seed."
    )
    domain_column: str | None = Field(default=None, description="Text tasks: the column naming the domain.")
    ood_domains: list[str] = Field(
        default_factory=list, description="Text tasks: domains kept out of training and validation (OOD)."
    )
    # causal-LM fine-tuning (lm): JSON lines of prompt/response (or text) records, or plain text
    prompt_column: str = "prompt"
    response_column: str = "response"
    ood_path: str | None = Field(
        default=None, description="Causal-LM task: out-of-distribution text, only measured (OOD)."
    )
    # held-out splits: validation selects the learning rate, test is the reported metric
    validation_examples: int = Field(default=512, ge=8)
    test_examples: int = Field(default=1024, ge=8)

    @field_validator("name")
    @classmethod
    def _known(cls, value: str) -> str:
        return _one_of(value, "task", ("shift", "tweets", "local", "lm"))

    @model_validator(mode="after")
    def _path(self) -> TaskSpec:
        if self.name == "local" and not self.path:
            raise ValueError("task `local` needs `path:` (a CSV/JSONL file or a saved dataset folder)")
        if self.name == "lm" and not self.path:
            raise ValueError("task `lm` needs `path:` (a JSON-lines or text file, or a folder of them)")
        if self.ood_path and self.name != "lm":
            raise ValueError("`ood_path` is for the causal-LM task (name: lm)")
        if self.heldout_modes and self.heldout_modes >= self.modes:
            raise ValueError(
                f"heldout_modes {self.heldout_modes} leaves no mode to train on ({self.modes} modes)"
            )
        if self.heldout_modes and self.name != "shift":
            raise ValueError(
                "heldout_modes is for the shift task; text classification uses domain_column + "
                "ood_domains, the lm task ood_path"
            )
        if self.name == "lm" and self.domain_column:
            raise ValueError("the lm task takes its out-of-distribution text from `ood_path:`")
        if self.ood_domains and not self.domain_column:
            raise ValueError("ood_domains needs domain_column (the column that names each example's domain)")
        return self

    @property
    def gives(self) -> set[str]:
        """What this task can measure beyond the in-distribution test split."""
        out = set()
        if self.heldout_modes or self.ood_domains or self.ood_path:
            out.add("ood")
        if self.name == "shift":
            out.add("source")
        if self.name == "lm":
            out.add("perplexity")
        return out


class MethodSpec(_Strict):
    type: str
    r: int | None = Field(default=None, ge=1, description="Rank (or the method's size knob).")
    alpha: float | None = Field(default=None, gt=0)
    learning_rates: list[float] | None = Field(default=None, min_length=1)
    target_modules: list[str] | None = None
    options: dict[str, Any] = Field(default_factory=dict, description="Extra peft config arguments.")

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in METHOD_TYPES:
            close = difflib.get_close_matches(value, METHOD_TYPES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown method type {value!r}{hint}; known: {', '.join(METHOD_TYPES)}")
        return value

    @field_validator("learning_rates")
    @classmethod
    def _positive(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and any(not lr > 0 for lr in value):
            raise ValueError("learning rates must be positive")
        return value

    @model_validator(mode="after")
    def _lora_over_options(self) -> MethodSpec:
        if self.type == "lora_over":
            from argmap.training.overspec import check_options

            check_options(self.options)
        return self


class ComparisonSpec(_Strict):
    claim: str = Field(min_length=1, description="The claim's title in the map, without brackets.")
    method: str = Field(min_length=1)
    baseline: str = Field(min_length=1)
    measure: str | None = Field(default=None, description="What is measured (argmap.training.measures).")
    metric: str | None = Field(default=None, description="The old name of `measure`.")
    rationale: str | None = Field(default=None, description="One line: why this is the claim's quantity.")
    target: float | None = Field(
        default=None, description="steps_to_target: the validation accuracy to reach."
    )
    direction: Literal["higher", "lower"] | None = None
    min_effect: float | None = Field(default=None, ge=0)
    weight: float | None = Field(default=None, ge=0, le=1)

    @field_validator("measure", "metric")
    @classmethod
    def _measure(cls, value: str | None) -> str | None:
        from argmap.training.measures import MEASURES

        if value is not None and value not in MEASURES:
            close = difflib.get_close_matches(value, list(MEASURES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown measurement {value!r}{hint}; expected one of {', '.join(MEASURES)}")
        return value

    @field_validator("claim")
    @classmethod
    def _brackets(cls, value: str) -> str:
        return value.strip().removeprefix("[").removesuffix("]").strip()

    @model_validator(mode="after")
    def _one_name(self) -> ComparisonSpec:
        if self.measure and self.metric and self.measure != self.metric:
            raise ValueError("give `measure` (or its old name `metric`), not both")
        self.measure = self.measure or self.metric or "test_acc"
        self.metric = None
        if self.measure == "steps_to_target" and self.target is None:
            raise ValueError("measure steps_to_target needs `target:` (the validation accuracy to reach)")
        return self

    @property
    def better(self) -> str:
        from argmap.training.measures import MEASURES

        return self.direction or MEASURES[str(self.measure)].better

    @property
    def measurement(self) -> str:
        return str(self.measure)


class BudgetSpec(_Strict):
    params: int | list[int] | None = Field(
        default=None,
        description="Trainable parameters per method (the rank is chosen to match), or a short "
        "curve of budgets: every comparison is then measured at each and averaged per seed.",
    )

    @field_validator("params")
    @classmethod
    def _positive(cls, value: int | list[int] | None) -> int | list[int] | None:
        values = value if isinstance(value, list) else [value] if value is not None else []
        if any(v < 1 for v in values) or (isinstance(value, list) and not value):
            raise ValueError("budgets are positive parameter counts")
        if isinstance(value, list) and len(set(value)) != len(value):
            raise ValueError("budgets must be distinct")
        return value

    @property
    def points(self) -> list[int | None]:
        """The budgets to run at ([None]: no budget, each method at its own size)."""
        if self.params is None:
            return [None]
        return list(self.params) if isinstance(self.params, list) else [self.params]


class ExperimentSpec(_Strict):
    name: str = "experiment"
    description: str | None = None
    comparisons: list[ComparisonSpec] = Field(min_length=1)
    model: ModelSpec = Field(default_factory=ModelSpec)
    task: TaskSpec = Field(default_factory=TaskSpec)
    methods: dict[str, MethodSpec] = Field(min_length=1)
    seeds: list[int] = Field(default_factory=lambda: list(range(DEFAULT_SEEDS)), min_length=2)
    steps: int = Field(default=200, ge=1)
    batch_size: int = Field(default=32, ge=1)
    learning_rates: list[float] | None = Field(
        default=None,
        min_length=1,
        description="The grid of every method without its own (default: per type).",
    )
    eval_every: int | None = Field(
        default=None, ge=1, description="Validation every N steps, for the curves (default: steps / 10)."
    )
    budget: BudgetSpec = Field(default_factory=BudgetSpec)
    target_modules: list[str] | None = None
    gradient_accumulation: int = Field(
        default=1, ge=1, description="Micro-batches per optimizer step (batch_size is the whole step)."
    )
    gradient_checkpointing: bool = False
    # where the spec came from, for diagnostics found after parsing (T105)
    _source: str = PrivateAttr(default="<spec>")
    _locations: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)

    @field_validator("model", mode="before")
    @classmethod
    def _model_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("task", mode="before")
    @classmethod
    def _task_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("seeds", mode="before")
    @classmethod
    def _seed_count(cls, value: Any) -> Any:
        return list(range(value)) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("seeds")
    @classmethod
    def _unique(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("seeds must be distinct")
        return value

    @field_validator("learning_rates")
    @classmethod
    def _positive(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and any(not lr > 0 for lr in value):
            raise ValueError("learning rates must be positive")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentSpec:
        if self.batch_size % self.gradient_accumulation:
            raise ValueError(
                f"batch_size {self.batch_size} is not a multiple of gradient_accumulation "
                f"{self.gradient_accumulation} (batch_size is the whole optimizer step)"
            )
        if self.task.name == "lm" and self.model.name not in ("smollm2", "local"):
            raise ValueError(
                f"task `lm` needs a model with a tokenizer (smollm2 or local), not {self.model.name}"
            )
        return self

    def grid(self, method: str) -> list[float]:
        """The learning-rate grid of one method: its own, else the spec's, else its type's default."""
        m = self.methods[method]
        return sorted(m.learning_rates or self.learning_rates or DEFAULT_GRIDS.get(m.type, GRID))

    @property
    def evaluate_every(self) -> int:
        return self.eval_every or max(1, self.steps // 10)

    def measurements(self) -> set[str]:
        return {c.measurement for c in self.comparisons}

    def used_methods(self) -> list[str]:
        """Methods some comparison needs, in spec order."""
        needed = {name for c in self.comparisons for name in (c.method, c.baseline)}
        return [name for name in self.methods if name in needed]

    def digest(self) -> str:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def diagnostic(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        hint: str | None = None,
        level: Level = Level.ERROR,
    ) -> Diagnostic:
        """A diagnostic located at `path` in the spec's YAML (e.g. ("methods", "lora")), for
        problems found after parsing; line 1 for a spec that was not parsed from text."""
        line, column = _locate(self._locations, path) if self._locations else (1, 1)
        return _diag(code, message, self._source, line, column, hint, level)


# -- diagnostics -------------------------------------------------------------------------


def _diag(
    code: str,
    message: str,
    file: str,
    line: int,
    column: int,
    hint: str | None = None,
    level: Level = Level.ERROR,
) -> Diagnostic:
    return Diagnostic.at(code, level, message, file, Region.on_line(line, column), hint)


Location = tuple[int, int]


def _locations(
    node: yaml.Node, path: tuple[str | int, ...], out: dict[tuple[str | int, ...], Location]
) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            # the key's own position is the better place for "unknown field" and "missing"
            out[(*path, name, "__key__")] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _locations(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _locations(item, (*path, index), out)


def _locate(locations: dict[tuple[str | int, ...], Location], loc: Iterable[str | int]) -> Location:
    path = tuple(loc)
    key = (*path, "__key__")
    if key in locations:
        return locations[key]
    while path:
        if path in locations:
            return locations[path]
        path = path[:-1]
    return locations.get((), (1, 1))


_HINTS = {
    "extra_forbidden": "remove it, or check its spelling against docs/training.md",
    "missing": "add it (see docs/training.md for the fields of an experiment)",
}


class SpecError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def parse_spec(text: str, name: str = "<spec>") -> ExperimentSpec:
    """Parse and validate a spec; raises SpecError with located diagnostics."""
    try:
        node = yamlsafe.compose(text)  # bounded: no alias bomb, recursion or deep nesting
        data = yamlsafe.load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SpecError(
            [_diag("T101", f"YAML syntax error: {exc.problem or exc}", name, line, column)]
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError([_diag("T101", f"YAML error: {exc}", name, 1, 1)]) from None
    locations: dict[tuple[str | int, ...], Location] = {}
    if node is not None:
        _locations(node, (), locations)
    if not isinstance(data, dict):
        raise SpecError(
            [_diag("T102", "an experiment spec is a YAML mapping (comparisons:, methods:, ...)", name, 1, 1)]
        )
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as exc:
        diagnostics = []
        for error in exc.errors():
            loc = [part for part in error["loc"] if isinstance(part, (str, int))]
            line, column = _locate(locations, loc)
            where = ".".join(str(part) for part in loc) or "spec"
            message = error["msg"].removeprefix("Value error, ")
            diagnostics.append(
                _diag("T102", f"{where}: {message}", name, line, column, _HINTS.get(error["type"]))
            )
        raise SpecError(sorted(diagnostics, key=lambda d: d.sort_key)) from None
    problems = []
    for index, comparison in enumerate(spec.comparisons):
        for role in ("method", "baseline"):
            key = getattr(comparison, role)
            if key not in spec.methods:
                line, column = locations.get(("comparisons", index, role), (1, 1))
                close = difflib.get_close_matches(key, list(spec.methods), n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"define it under methods: ({', '.join(spec.methods)})"
                )
                problems.append(
                    _diag(
                        "T103",
                        f"comparisons.{index}.{role}: no method named {key!r}",
                        name,
                        line,
                        column,
                        hint,
                    )
                )
    spec._source, spec._locations = name, locations
    problems.extend(measurement_problems(spec))
    if problems:
        raise SpecError(problems)
    return spec


_NEEDS_HINT = {
    "ood": "give the task an out-of-distribution split: `heldout_modes: 1` (shift task), "
    "`domain_column:` with `ood_domains:` (text classification) or `ood_path:` (task lm)",
    "perplexity": "perplexity is measured by the causal-LM task (`task: {name: lm, path: ...}`)",
    "source": "retention needs a source task the model was pre-trained on: the tiny model on task `shift`",
    "grid": "give both methods a learning-rate grid of at least two rates",
}


_TASK_NEEDS = ("ood", "source", "perplexity")
"""What a measurement may need from the task (spec.task.gives)."""


def measurement_problems(spec: ExperimentSpec) -> list[Diagnostic]:
    """T106 for each comparison whose measurement this spec's task, model or grid cannot give."""
    from argmap.training.measures import MEASURES

    problems = []
    gives = spec.task.gives
    for index, comparison in enumerate(spec.comparisons):
        measure = MEASURES[comparison.measurement]
        lacking = [need for need in measure.needs if need in _TASK_NEEDS and need not in gives]
        if "grid" in measure.needs and any(
            len(spec.grid(arm)) < 2 for arm in (comparison.method, comparison.baseline) if arm in spec.methods
        ):
            lacking.append("grid")
        if not lacking:
            continue
        where = "measure" if ("comparisons", index, "measure") in spec._locations else "metric"
        problems.append(
            spec.diagnostic(
                "T106",
                f"comparisons.{index}.{where}: {comparison.measurement} ({measure.summary}) cannot be "
                f"measured on task {spec.task.name!r} with model {spec.model.name!r}",
                ("comparisons", index, where),
                _NEEDS_HINT.get(lacking[0]),
            )
        )
    return problems


def load_spec(path: str | Path) -> ExperimentSpec:
    name = str(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([_diag("T101", f"cannot read {name}: {exc}", name, 1, 1)]) from None
    return parse_spec(text, name)


def check_claims(spec: ExperimentSpec, titles: Iterable[str], name: str, text: str = "") -> list[Diagnostic]:
    """T104 for each comparison whose claim title is not a claim of the map."""
    known = list(titles)
    problems = []
    for index, comparison in enumerate(spec.comparisons):
        if comparison.claim in known:
            continue
        close = difflib.get_close_matches(comparison.claim, known, n=1, cutoff=0.5)
        # where the parser saw the value (a comment naming the claim is not the claim)
        line, column = spec._locations.get(("comparisons", index, "claim"), (1, 1))
        problems.append(
            _diag(
                "T104",
                f"claim [{comparison.claim}] is not in the map",
                name,
                line,
                column,
                f"did you mean [{close[0]}]?" if close else "use a claim title of the map, without brackets",
            )
        )
    return problems
