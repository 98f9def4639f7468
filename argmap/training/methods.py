"""The adaptation methods: peft configs for LoRA and its relatives, full fine-tuning, and
the project's over-parameterised LoRA; trainable-parameter counts and rank matching.

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
}
DEFAULT_KNOB = {"vera": 64, "oft": 16, "boft": 8, "fourierft": 256, "hra": 8}
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
    "lora_over": "over-parameterised LoRA: B M2 M1 A in training, folded into rank-r LoRA",
    "full": "full fine-tuning of every weight",
}


@dataclass
class Prepared:
    model: nn.Module
    method: str
    knob: str | None
    value: int | None
    trainable: int  # trainable parameters while training
    inference: int  # adapter parameters after folding (differs for lora_over only)


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


def peft_config(
    method: str, value: int | None, spec: MethodSpec, targets: list[str], classifier: bool, llama: bool
) -> Any:
    import peft

    common: dict[str, Any] = {"target_modules": targets}
    if classifier:
        common["task_type"] = "SEQ_CLS"
    options = dict(spec.options)
    r = value or 8
    alpha = spec.alpha if spec.alpha is not None else r
    if method in ("lora", "pissa", "olora", "lora_orthogonal", "dora", "lora_over"):
        init: Any = {"pissa": "pissa", "olora": "olora", "lora_orthogonal": "orthogonal"}.get(method, True)
        return peft.LoraConfig(
            r=r,
            lora_alpha=alpha,
            lora_dropout=0.0,
            init_lora_weights=options.pop("init_lora_weights", init),
            use_dora=method == "dora",
            **common,
            **options,
        )
    if method == "oft":
        options.setdefault("use_cayley_neumann", False)
        return peft.OFTConfig(r=0, oft_block_size=value or 16, module_dropout=0.0, **common, **options)
    if method == "boft":
        return peft.BOFTConfig(
            boft_block_size=value or 8, boft_n_butterfly_factor=1, boft_dropout=0.0, **common, **options
        )
    if method == "vera":
        return peft.VeraConfig(r=value or 64, vera_dropout=0.0, **common, **options)
    if method == "ia3":
        feedforward = [t for t in targets if t in (LLAMA_FEEDFORWARD if llama else BERT_FEEDFORWARD)]
        return peft.IA3Config(feedforward_modules=feedforward, **common, **options)
    if method == "hra":
        return peft.HRAConfig(r=value or 8, init_weights=True, **common, **options)
    if method == "loha":
        return peft.LoHaConfig(r=r, alpha=alpha, init_weights=True, **common, **options)
    if method == "lokr":
        return peft.LoKrConfig(r=r, alpha=alpha, init_weights=True, **common, **options)
    if method == "fourierft":
        options.setdefault("scaling", 150.0)
        return peft.FourierFTConfig(n_frequency=value or 256, init_weights=True, **common, **options)
    raise ValueError(f"no peft config for method {method!r}")


def ia3_targets(llama: bool) -> list[str]:
    return ["k_proj", "v_proj", "down_proj"] if llama else ["key", "value", "output.dense"]


def apply(
    base: nn.Module,
    spec: MethodSpec,
    value: int | None = None,
    classifier: bool = False,
    copy_base: bool = True,
) -> Prepared:
    """The base model (a deep copy unless copy_base=False) with the method attached, ready to train."""
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
    import peft

    llama = is_llama(model)
    targets = _targets(model, spec, ia3_targets(llama) if method == "ia3" else None)
    config = peft_config(method, value, spec, targets, classifier, llama)
    wrapped = peft.get_peft_model(model, config)
    trainable = trainable_parameters(wrapped)
    inference = trainable
    if method == "lora_over":
        from argmap.training.overlora import over_parameterise

        extra = over_parameterise(wrapped)
        inference = trainable
        trainable += extra
    return Prepared(wrapped, method, knob, value if knob else None, trainable, inference)


def count(base: nn.Module, spec: MethodSpec, value: int | None, classifier: bool = False) -> int:
    """Adapter parameters of the method at knob `value` (inference count, without the head)."""
    quick = spec.model_copy(update={"options": {**spec.options}})
    if spec.type in ("pissa", "olora", "lora_orthogonal"):  # same count as LoRA; skip the SVD/QR
        quick = quick.model_copy(update={"options": {**quick.options, "init_lora_weights": True}})
    if spec.type == "full":
        return sum(p.numel() for p in base.parameters())
    from argmap.training.reuse import adapted

    with adapted(base, quick, value, classifier) as prepared:  # in place: no copy of the base
        return int(prepared.inference)


def knob_counts(base: nn.Module, spec: MethodSpec, classifier: bool = False) -> dict[int, int]:
    """Every value of the method's size knob that fits the model, with its parameter count."""
    counts: dict[int, int] = {}
    for value in KNOBS.get(spec.type, (None, []))[1]:
        try:
            counts[value] = count(base, spec, value, classifier)
        except (ValueError, RuntimeError, AssertionError):
            continue  # the knob value does not fit the model's shapes
    return counts


def closest(counts: dict[int, int], budget: int) -> int:
    """The knob value whose count is closest to `budget` (ties: the smaller value)."""
    return min(counts, key=lambda value: (abs(counts[value] - budget), value))


def match_budget(
    base: nn.Module, spec: MethodSpec, budget: int, classifier: bool = False
) -> tuple[int | None, int]:
    """The knob value whose count is closest to `budget` (ties: the smaller), with its count."""
    if spec.type not in KNOBS:
        return None, count(base, spec, None, classifier)
    counts = knob_counts(base, spec, classifier)
    if not counts:
        raise ValueError(f"no {KNOBS[spec.type][0]} of {spec.type} fits this model")
    value = closest(counts, budget)
    return value, counts[value]


def base_weight(layer: nn.Module) -> torch.Tensor:
    """The frozen weight of a peft-wrapped linear layer."""
    base: Any = getattr(layer, "get_base_layer", lambda: layer)()
    weight = base.weight
    assert isinstance(weight, torch.Tensor)
    return weight
