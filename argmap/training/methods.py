"""The adaptation methods: peft configs for LoRA and its relatives, full fine-tuning, and
LoRA-Over (argmap.training.overlora); trainable-parameter counts (matching a budget:
argmap.training.sizes).

Every method starts as a no-op (the adapted model's outputs equal the base model's at
initialisation): peft's zero/identity initialisations are chosen explicitly where peft's
default is random (FourierFT), and OFT uses the exact Cayley transform
(`use_cayley_neumann=False`), so its rotations are orthogonal to rounding error.

Each method has one size knob (`r` in the spec): the LoRA rank; the block size of OFT and
BOFT; the number of Householder reflections of HRA; the number of spectral coefficients
of FourierFT. IA3 and full fine-tuning have none. With a parameter budget, the knob value
whose trainable-parameter count is closest to the budget is chosen per method.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from argmap.training.spec import MethodSpec

LLAMA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LLAMA_FEEDFORWARD = ["down_proj"]
BERT_TARGETS = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]
BERT_FEEDFORWARD = ["output.dense"]

KNOBS: dict[str, tuple[str, list[int]]] = {
    "lora": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "pissa": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "olora": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "lora_orthogonal": ("r", [2, 4, 8, 16, 32, 64, 128]),
    "dora": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "lora_over": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "loha": ("r", [1, 2, 4, 8, 16, 32, 64]),
    "lokr": ("r", [1, 2, 4, 8, 16, 32, 64]),
    "vera": ("r", [16, 32, 64, 128, 256, 512]),
    "hra": ("r", [2, 4, 8, 16, 32, 64]),
    "oft": ("block size", [2, 4, 8, 16, 32, 64]),
    "boft": ("block size", [2, 4, 8, 16, 32]),
    "fourierft": ("frequencies", [16, 32, 64, 128, 256, 512, 1024, 2048]),
    "adalora": ("target rank", [1, 2, 4, 8, 16, 32, 64]),
    "randlora": ("base rank", [2, 4, 8, 16, 32, 64, 128]),
    "road": ("variant", [1, 2, 4]),
    "delora": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "psoft": ("r", [2, 4, 8, 16, 32, 64, 128, 256]),
    "c3a": ("block size", [4, 8, 16, 32, 64, 128, 256, 512]),
    "shira": ("r", [1, 2, 4, 8, 16, 32, 64]),
    "vblora": ("bank vectors", [8, 16, 32, 64, 128, 256, 512, 1024, 2048]),
    "miss": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "hira": ("r", [1, 2, 4, 8, 16, 32, 64, 128]),
    "ether": ("blocks", [1, 2, 4, 8, 16, 32]),
    "ether_plus": ("blocks", [1, 2, 4, 8, 16, 32]),
    "svft": ("diagonals", [1, 3, 5, 9, 17, 33, 65, 129]),
    "ssvd": ("components", [1, 2, 4, 8, 16, 32, 64, 128]),
}
DEFAULT_KNOB = {
    "vera": 64,
    "oft": 16,
    "boft": 8,
    "fourierft": 256,
    "hra": 8,
    "randlora": 32,
    "road": 1,
    "psoft": 32,
    "c3a": 32,
    "vblora": 256,
    "ether": 1,
    "ether_plus": 1,
    "svft": 9,
    "ssvd": 8,
}
DESCRIPTIONS = {
    "lora": "LoRA: low-rank update B A, B = 0 at init",
    "pissa": "PiSSA: LoRA initialised from the top-r singular triplets; residual in the base weight",
    "olora": "OLoRA: LoRA initialised from a QR decomposition of the weight",
    "lora_orthogonal": "LoRA with orthogonal A and B at init (base weight untouched)",
    "dora": "DoRA: magnitude vector times the direction of W + B A",
    "oft": "OFT: block-diagonal orthogonal rotation (exact Cayley transform)",
    "boft": "BOFT: butterfly-factorised orthogonal rotation",
    "vera": "VeRA: frozen shared random matrices, trainable scaling vectors",
    "ia3": "IA3: learned rescaling of keys, values and feed-forward activations",
    "hra": "HRA: chain of Householder reflections",
    "loha": "LoHa: Hadamard product of two low-rank updates",
    "lokr": "LoKr: Kronecker-product update",
    "fourierft": "FourierFT: a few trainable spectral coefficients of the update",
    "lora_over": "LoRA-Over: A and B trained as MPO chains (static/dynamic schedule), folded to rank-r LoRA",
    "adalora": "AdaLoRA: SVD-form P diag(E) Q, 1.5r triplets pruned to an average rank r by importance",
    "randlora": "RandLoRA: full-rank update from frozen random low-rank bases, trainable diagonal scalings",
    "road": "RoAd: 2-D rotations (with scales) of pairs of output features",
    "delora": "DeLoRA: normalised low-rank update of bounded norm lambda * ||W|| (decoupled angle, strength)",
    "psoft": "PSOFT: orthogonal r x r rotation inside W's top-r singular subspace",
    "c3a": "C3A: block-circulant update computed by circular convolution",
    "shira": "SHiRA: sparse high-rank update on a fixed random mask of r (in + out) entries of W",
    "vblora": "VB-LoRA: A and B composed from a shared vector bank by top-k mixtures",
    "miss": "MiSS: one shared r x out shard repeated across the input (matrix shard sharing)",
    "hira": "HiRA: Hadamard high-rank update W * (B A)",
    "ether": "ETHER: block-diagonal Householder reflection of the input (||H - I|| fixed at 2)",
    "ether_plus": "ETHER+: two-sided relaxed reflections I - uu^T + vv^T (identity at init)",
    "svft": "SVFT: banded M in W's singular-vector basis, W0 + U M V^T",
    "ssvd": "SSVD: top-k right singular vectors rotated (Cayley), singular values shifted; U kept",
    "full": "full fine-tuning of every weight",
}
NOT_NO_OP = {
    "ether": "a reflection is never the identity; ETHER's deviation is fixed (||H - I||_F = 2 per block)",
    "vblora": "A and B are both mixtures of a random vector bank, so B A is small but not zero",
}
"""Methods that, as published, change the model at initialisation (every other one is a no-op)."""
OWN = ("ether", "ether_plus", "svft", "ssvd")
"""Methods argmap implements itself (peft 0.21 lacks them)."""


@dataclass
class Prepared:
    model: nn.Module
    method: str
    knob: str | None
    value: int | None
    trainable: int  # trainable parameters while training
    inference: int  # adapter parameters after folding (differs for lora_over only)
    after_step: Callable[[int], None] | None = None  # call after each optimizer step (AdaLoRA)
    schedule: Any = None  # lora_over: its overlora.Schedule (converts modules, records scores, folds)


def trainable_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def is_llama(model: nn.Module) -> bool:
    return "llama" in str(getattr(getattr(model, "config", None), "model_type", "")).lower()


def _targets(model: nn.Module, spec: MethodSpec, default: list[str] | None) -> list[str]:
    if spec.target_modules:
        return list(spec.target_modules)
    if default:
        return list(default)
    return LLAMA_TARGETS if is_llama(model) else BERT_TARGETS


@dataclass
class Build:
    """What a peft config builder needs: the knob value, the spec, and the targeted layers."""

    method: str
    value: int
    spec: MethodSpec
    targets: list[str]
    common: dict[str, Any]
    options: dict[str, Any]
    llama: bool
    steps: int
    shapes: list[tuple[int, int]]  # (in, out) of every targeted linear layer

    @property
    def alpha(self) -> float:
        return self.spec.alpha if self.spec.alpha is not None else self.value

    def divisor(self, limit: int, even: bool = False, outputs_only: bool = False) -> int:
        """The largest size <= limit dividing every targeted dimension (VB-LoRA, RoAd)."""
        dims = [o for _, o in self.shapes] if outputs_only else [d for pair in self.shapes for d in pair]
        g = math.gcd(*dims) if dims else limit
        best = max(d for d in range(1, min(g, limit) + 1) if g % d == 0 and (not even or d % 2 == 0))
        return best


def _lora(b: Build) -> Any:
    import peft

    init: Any = {"pissa": "pissa", "olora": "olora", "lora_orthogonal": "orthogonal"}.get(b.method, True)
    return peft.LoraConfig(
        r=b.value,
        lora_alpha=b.alpha,
        lora_dropout=0.0,
        init_lora_weights=b.options.pop("init_lora_weights", init),
        use_dora=b.method == "dora",
        **b.common,
        **b.options,
    )


def _oft(b: Build) -> Any:
    import peft

    b.options.setdefault("use_cayley_neumann", False)
    return peft.OFTConfig(r=0, oft_block_size=b.value, module_dropout=0.0, **b.common, **b.options)


def _ia3(b: Build) -> Any:
    import peft

    feedforward = [t for t in b.targets if t in (LLAMA_FEEDFORWARD if b.llama else BERT_FEEDFORWARD)]
    return peft.IA3Config(feedforward_modules=feedforward, **b.common, **b.options)


def _adalora(b: Build) -> Any:
    """AdaLoRA's schedule scaled to the run: 1.5x the target rank at first (the paper's
    b(0) = 1.5 b(T)), pruning between the first and last tenth of the steps."""
    import peft

    init_r = b.value + (b.value + 1) // 2
    tinit, tfinal = b.steps // 10, max(2, b.steps // 10)
    if b.steps <= tinit + tfinal:
        raise ValueError(f"AdaLoRA needs more than {tinit + tfinal} steps")
    b.options.setdefault("deltaT", max(1, b.steps // 100))
    return peft.AdaLoraConfig(
        init_r=init_r,
        target_r=b.value,
        lora_alpha=b.alpha,
        total_step=b.steps,
        tinit=tinit,
        tfinal=tfinal,
        **b.common,
        **b.options,
    )


def _randlora(b: Build) -> Any:
    import peft

    alpha = b.spec.alpha if b.spec.alpha is not None else 20.0 * b.value  # peft's default ratio 640/32
    b.options.setdefault("projection_prng_key", torch.initial_seed() % 2**31)  # seeds vary the bases
    return peft.RandLoraConfig(r=b.value, randlora_alpha=alpha, init_weights=True, **b.common, **b.options)


def _road(b: Build) -> Any:
    import peft

    b.options.setdefault("group_size", b.divisor(64, even=True, outputs_only=True))
    return peft.RoadConfig(variant=f"road_{b.value}", init_weights=True, **b.common, **b.options)


def _vblora(b: Build) -> Any:
    import peft

    b.options.setdefault("vector_length", b.divisor(256))
    rank = b.options.pop("r", 4)  # the knob is the bank's size: every count is proportional to it
    return peft.VBLoRAConfig(r=rank, num_vectors=b.value, **b.common, **b.options)


def _shira(b: Build) -> Any:
    import peft

    b.options.setdefault("random_seed", torch.initial_seed() % 2**31)  # seeds vary the mask
    return peft.ShiraConfig(r=b.value, init_weights=True, **b.common, **b.options)


KNOB, ALPHA = "<knob>", "<alpha>"  # placeholders in _simple's arguments


def _simple(config: str, defaults: dict[str, Any] | None = None, **fixed: Any) -> Callable[[Build], Any]:
    """A builder passing fixed arguments (KNOB: the knob value, ALPHA: the scale) and the
    spec's options over `defaults`."""

    def build(b: Build) -> Any:
        import peft

        resolve = {KNOB: b.value, ALPHA: b.alpha}
        arguments = {
            key: resolve.get(value, value) if isinstance(value, str) else value
            for key, value in fixed.items()
        }
        return getattr(peft, config)(**arguments, **b.common, **{**(defaults or {}), **b.options})

    return build


BUILDERS: dict[str, Callable[[Build], Any]] = {
    **dict.fromkeys(("lora", "pissa", "olora", "lora_orthogonal", "dora", "lora_over"), _lora),
    "oft": _oft,
    "boft": _simple("BOFTConfig", boft_block_size=KNOB, boft_n_butterfly_factor=1, boft_dropout=0.0),
    "vera": _simple("VeraConfig", r=KNOB, vera_dropout=0.0),
    "ia3": _ia3,
    "hra": _simple("HRAConfig", r=KNOB, init_weights=True),
    "loha": _simple("LoHaConfig", r=KNOB, alpha=ALPHA, init_weights=True),
    "lokr": _simple("LoKrConfig", r=KNOB, alpha=ALPHA, init_weights=True),
    "fourierft": _simple("FourierFTConfig", {"scaling": 150.0}, n_frequency=KNOB, init_weights=True),
    "adalora": _adalora,
    "randlora": _randlora,
    "road": _road,
    "delora": _simple("DeloraConfig", r=KNOB, init_weights=True),
    "psoft": _simple("PsoftConfig", r=KNOB, psoft_alpha=ALPHA, init_weights=True),
    "c3a": _simple("C3AConfig", block_size=KNOB, init_weights=True),  # zero kernel: a no-op at init
    "shira": _shira,
    "vblora": _vblora,
    "miss": _simple("MissConfig", r=KNOB, init_weights=True),
    "hira": _simple("HiraConfig", r=KNOB, init_weights=True),
}


def peft_config(
    method: str,
    value: int | None,
    spec: MethodSpec,
    targets: list[str],
    classifier: bool,
    llama: bool,
    steps: int = 100,
    shapes: list[tuple[int, int]] | None = None,
) -> Any:
    if method not in BUILDERS:
        raise ValueError(f"no peft config for method {method!r}")
    common: dict[str, Any] = {"target_modules": targets}
    if classifier:
        common["task_type"] = "SEQ_CLS"
    knob = value or DEFAULT_KNOB.get(method, 8)
    options = dict(spec.options)
    if method == "lora_over":  # LoRA-Over's own options never reach peft
        from argmap.training.overspec import split_options

        options = split_options(options)[1]
    build = Build(method, knob, spec, targets, common, options, llama, steps, shapes or [])
    return BUILDERS[method](build)


def target_shapes(model: nn.Module, targets: list[str]) -> list[tuple[int, int]]:
    from argmap.training.wrapped import HEADS, matches

    return [
        (m.in_features, m.out_features)
        for name, m in model.named_modules()
        if isinstance(m, nn.Linear) and matches(name, targets) and name.split(".")[-1] not in HEADS
    ]


def ia3_targets(llama: bool) -> list[str]:
    return ["k_proj", "v_proj", "down_proj"] if llama else ["key", "value", "output.dense"]


def apply(
    base: nn.Module,
    spec: MethodSpec,
    value: int | None = None,
    classifier: bool = False,
    copy_base: bool = True,
    steps: int = 100,
) -> Prepared:
    """The base model (a deep copy unless copy_base=False) with the method attached, ready to
    train for `steps` optimizer steps (AdaLoRA's pruning schedule depends on it)."""
    model = copy.deepcopy(base) if copy_base else base
    method = spec.type
    knob = KNOBS.get(method, (None, []))[0]
    if value is None and knob is not None:
        value = spec.r or DEFAULT_KNOB.get(method, 8)
    if method == "full":
        for p in model.parameters():
            p.requires_grad_(True)
        count = trainable_parameters(model)
        return Prepared(model, method, None, None, count, count)
    llama = is_llama(model)
    targets = _targets(model, spec, ia3_targets(llama) if method == "ia3" else None)
    if method in OWN:
        assert value is not None
        return _apply_own(model, spec, value, targets, classifier)
    import peft

    config = peft_config(
        method, value, spec, targets, classifier, llama, steps, target_shapes(model, targets)
    )
    wrapped = peft.get_peft_model(model, config)
    trainable = trainable_parameters(wrapped)
    prepared = Prepared(wrapped, method, knob, value if knob else None, trainable, trainable)
    if method == "lora_over":
        from argmap.training.overlora import Schedule, planned_extra
        from argmap.training.overspec import split_options

        options = split_options(spec.options)[0]
        generator = torch.Generator().manual_seed(int(torch.initial_seed()) % 2**63)
        prepared.schedule = Schedule(wrapped, options, generator)
        extra = prepared.schedule.extra if options.schedule == "static" else planned_extra(wrapped, options)
        prepared.trainable += extra
    if method == "adalora":
        allocator = wrapped.base_model
        prepared.after_step = lambda step: allocator.update_and_allocate(step)
    return prepared


def _own_adapters() -> tuple[type[nn.Module], ...]:
    from argmap.training.ether import EtherLinear
    from argmap.training.ssvd import SSVDLinear
    from argmap.training.svft import SVFTLinear

    return EtherLinear, SVFTLinear, SSVDLinear


def _apply_own(
    model: nn.Module, spec: MethodSpec, value: int, targets: list[str], classifier: bool
) -> Prepared:
    """ETHER, ETHER+, SVFT or SSVD on the targeted linear layers (argmap.training.wrapped)."""
    from argmap.training import wrapped

    ether, svft, ssvd = _own_adapters()
    option = spec.options.get
    make: dict[str, Callable[[nn.Linear], nn.Module]] = {
        "ether": lambda layer: ether(layer, value, False),
        "ether_plus": lambda layer: ether(layer, value, True),
        "svft": lambda layer: svft(layer, value, str(option("pattern", "banded"))),
        "ssvd": lambda layer: ssvd(layer, value, str(option("orthogonality", "cayley"))),
    }
    wrapped.wrap(model, targets, make[spec.type])
    wrapped.freeze_base(model, _own_adapters(), classifier)
    trainable = trainable_parameters(model)
    return Prepared(model, spec.type, KNOBS[spec.type][0], value, trainable, trainable)


def unload(model: nn.Module) -> nn.Module:
    """The base model back from a prepared one with the adapter removed and the base weights
    as they were (peft's `unload`, or argmap's own methods' `unwrap`). Not for PiSSA/OLoRA,
    whose initialisation rewrites the base weight (use a copy of the base for those)."""
    from argmap.training import wrapped

    return _peft_or_own(model, "unload", wrapped.unwrap)


def merge_and_unload(model: nn.Module) -> nn.Module:
    """The adapted model with its adapter folded into plain weights (same outputs): peft's
    `merge_and_unload`, or argmap's own methods' `merge`. Works in place; merge a copy to keep
    the adapter (e.g. to read the learned update, W_merged - W)."""
    from argmap.training import wrapped

    return _peft_or_own(model, "merge_and_unload", wrapped.merge)


def _peft_or_own(model: nn.Module, peft_method: str, own: Callable[[nn.Module, Any], object]) -> nn.Module:
    """peft's `peft_method` on a peft model, else `own` (argmap's methods) in place."""
    if hasattr(model, peft_method) and hasattr(model, "peft_config"):
        result: nn.Module = getattr(model, peft_method)()
        return result
    own(model, _own_adapters())
    return model


def base_weight(layer: nn.Module) -> torch.Tensor:
    """The frozen weight of a peft-wrapped linear layer."""
    base: Any = getattr(layer, "get_base_layer", lambda: layer)()
    weight = base.weight
    assert isinstance(weight, torch.Tensor)
    return weight
