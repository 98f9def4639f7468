"""LoRA-Over (Gao, Lu, Zhang, Gao 2026, "Strategic Over-Parameterization for Generalizable
Low-Rank Adaptation"): the LoRA factors are trained in an over-parameterised form and
folded back into a plain rank-r LoRA for inference.

While training, each factor (A: r x in, B: out x r) of a chosen module is a matrix product
operator (argmap.training.mpo): a chain of `tensors` local tensors whose bond dimensions are
large enough that the chain has at least `factor` times the factor's numbers. The chain is
initialised from the factor by sequential SVDs, exactly, so at that moment the model is the
LoRA model. When training ends, `fold` contracts every chain back into its matrix: what is
saved and served is an ordinary peft LoRA of rank r (same parameter count, same file,
`merge_and_unload` works).

Which modules get the extra capacity (the schedule):
- static: the module types (`modules`, e.g. [down_proj]) and layers (`layers`) named in the
  spec; default every adapted module.
- dynamic: plain LoRA for `warmup_steps`; each module's importance is the mean over those
  steps of the gradient norm of its adapter, sqrt(|dL/dA|^2 + |dL/dB|^2) (measured before
  clipping): how strongly the loss pulls on that module's low-rank update. Modules are then
  taken in decreasing importance while their extra parameters fit the budget
  (`budget_params`, or `budget_fraction` of what over-parameterising every module would add),
  converted to chains from their warmed-up factors (exactly), and training goes on.

This replaces the earlier `lora_over` of this project, which multiplied two r x r matrices
into B (no decomposition, no schedules); results from that version are not LoRA-Over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.nn import functional

from argmap.training.mpo import ChainShape, bonds_for_factor, chain_shape, contract, decompose, uniform_bonds
from argmap.training.overspec import LoraOverOptions


class ChainLinear(nn.Module):
    """A bias-free linear map whose weight is the contraction of a chain of local tensors
    (stands in for peft's lora_A / lora_B nn.Linear while training)."""

    def __init__(
        self,
        linear: nn.Linear,
        tensors: int,
        bonds: list[int] | None,
        factor: float,
        generator: torch.Generator,
    ) -> None:
        super().__init__()
        weight = linear.weight.detach()
        self.shape: ChainShape = chain_shape(weight.shape[0], weight.shape[1], tensors)
        self.bonds = bonds if bonds is not None else bonds_for_factor(self.shape, factor)
        cores, _ = decompose(weight, self.shape, self.bonds, generator)
        self.cores = nn.ParameterList(nn.Parameter(c.to(weight.device)) for c in cores)
        self.in_features, self.out_features = int(weight.shape[1]), int(weight.shape[0])

    @property
    def weight(self) -> torch.Tensor:
        """The contracted matrix (what peft's get_delta_weight and merging read)."""
        return contract(list(self.cores), self.shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return functional.linear(x, self.weight)

    def folded(self) -> nn.Linear:
        cores = list(self.cores)
        linear = nn.Linear(self.in_features, self.out_features, bias=False)
        linear = linear.to(dtype=cores[0].dtype, device=cores[0].device)
        with torch.no_grad():
            linear.weight.copy_(self.weight)
        linear.weight.requires_grad_(cores[0].requires_grad)
        return linear


def chain_bonds(options: LoraOverOptions, linear: nn.Linear) -> list[int]:
    shape = chain_shape(linear.out_features, linear.in_features, options.tensors)
    if options.bond_dim is not None:
        return uniform_bonds(shape, options.bond_dim)
    return bonds_for_factor(shape, options.factor)


def extra_parameters(options: LoraOverOptions, linear: nn.Linear) -> int:
    """How many more numbers the chain of this factor has than the factor itself."""
    shape = chain_shape(linear.out_features, linear.in_features, options.tensors)
    return shape.parameters(chain_bonds(options, linear)) - linear.weight.numel()


# -- the adapted modules -------------------------------------------------------------------

_LAYER = re.compile(r"(?:^|\.)(?:layers|layer|h|blocks)\.(\d+)\.")


def lora_modules(model: nn.Module) -> dict[str, nn.Module]:
    """Every peft LoRA layer of the model, by module name."""
    return {
        name: module
        for name, module in model.named_modules()
        if isinstance(getattr(module, "lora_A", None), nn.ModuleDict)
    }


def short_name(name: str) -> str:
    """A module name without peft's wrapper prefix (base_model.model.)."""
    return name.removeprefix("base_model.model.")


def layer_index(name: str) -> int | None:
    match = _LAYER.search(name)
    return int(match.group(1)) if match else None


def matches_type(name: str, module_type: str) -> bool:
    return name == module_type or name.endswith("." + module_type)


def static_selection(names: list[str], options: LoraOverOptions) -> list[str]:
    """The module names a static schedule over-parameterises (spec order of the model)."""
    chosen = []
    for name in names:
        if options.modules is not None and not any(matches_type(name, t) for t in options.modules):
            continue
        if options.layers is not None and layer_index(name) not in options.layers:
            continue
        chosen.append(name)
    return chosen


def _factors(module: nn.Module) -> Iterator[tuple[nn.ModuleDict, str]]:
    for attribute in ("lora_A", "lora_B"):
        blocks = getattr(module, attribute)
        assert isinstance(blocks, nn.ModuleDict)
        for adapter in list(blocks.keys()):
            yield blocks, adapter


def module_extra(options: LoraOverOptions, module: nn.Module) -> int:
    """Extra parameters over-parameterising this module's A and B would add."""
    total = 0
    for blocks, adapter in _factors(module):
        linear = blocks[adapter]
        if isinstance(linear, nn.Linear):
            total += extra_parameters(options, linear)
    return total


def over_parameterise(
    model: nn.Module, names: list[str], options: LoraOverOptions, generator: torch.Generator
) -> int:
    """Replace lora_A and lora_B of the named modules by chains; the extra trainable count."""
    modules = lora_modules(model)
    extra = 0
    for name in names:
        for blocks, adapter in _factors(modules[name]):
            linear = blocks[adapter]
            if isinstance(linear, nn.Linear):
                chain = ChainLinear(
                    linear, options.tensors, chain_bonds(options, linear), options.factor, generator
                )
                chain.cores.requires_grad_(linear.weight.requires_grad)
                blocks[adapter] = chain
                extra += sum(p.numel() for p in chain.cores) - linear.weight.numel()
    return extra


def fold(model: nn.Module) -> int:
    """Contract every chain back into a plain nn.Linear: a plain peft LoRA. Returns factors folded."""
    folded = 0
    for module in lora_modules(model).values():
        for blocks, adapter in _factors(module):
            chain = blocks[adapter]
            if isinstance(chain, ChainLinear):
                blocks[adapter] = chain.folded()
                folded += 1
    return folded


# -- the schedules while training ---------------------------------------------------------


def pick_within_budget(scores: dict[str, float], costs: dict[str, int], budget: int) -> list[str]:
    """Modules in decreasing score whose extra parameters still fit the budget (greedy)."""
    chosen, left = [], budget
    for name in sorted(scores, key=lambda n: (-scores[n], n)):
        if costs[name] <= left:
            chosen.append(name)
            left -= costs[name]
    return chosen


@dataclass
class Schedule:
    """LoRA-Over's state during one training run: converts modules (now for the static
    schedule, after the warm-up for the dynamic one) and folds at the end."""

    model: nn.Module
    options: LoraOverOptions
    generator: torch.Generator
    names: list[str] = field(default_factory=list)  # every adapted module
    chosen: list[str] = field(default_factory=list)  # the over-parameterised ones
    extra: int = 0
    budget: int | None = None
    scores: dict[str, float] = field(default_factory=dict)
    _sums: dict[str, float] = field(default_factory=dict)
    _steps: int = 0
    converted: bool = False

    def __post_init__(self) -> None:
        modules = lora_modules(self.model)
        self.names = list(modules)
        self.costs = {name: module_extra(self.options, m) for name, m in modules.items()}
        if self.options.schedule == "static":
            self.chosen = static_selection(self.names, self.options)
            self.extra = over_parameterise(self.model, self.chosen, self.options, self.generator)
            self.converted = True
        else:
            total = sum(self.costs.values())
            if self.options.budget_params is not None:
                self.budget = self.options.budget_params
            else:
                self.budget = int(self.options.budget_fraction * total)

    def record_gradients(self) -> None:
        """Accumulate each module's adapter gradient norm (dynamic schedule, warm-up only)."""
        if self.converted:
            return
        for name, module in lora_modules(self.model).items():
            squared = 0.0
            for blocks, adapter in _factors(module):
                weight = blocks[adapter].weight
                grad = weight.grad if isinstance(weight, torch.Tensor) else None
                if grad is not None:
                    squared += float(grad.detach().float().pow(2).sum())
            self._sums[name] = self._sums.get(name, 0.0) + squared**0.5
        self._steps += 1

    def convert_now(self) -> list[str]:
        """The dynamic schedule's decision: score, pick within budget, convert."""
        self.scores = {name: self._sums.get(name, 0.0) / max(1, self._steps) for name in self.names}
        assert self.budget is not None
        self.chosen = pick_within_budget(self.scores, self.costs, self.budget)
        self.extra = over_parameterise(self.model, self.chosen, self.options, self.generator)
        self.converted = True
        return self.chosen

    def before_step(self, step: int, optimizer: torch.optim.Optimizer) -> torch.optim.Optimizer:
        """At the end of the warm-up: convert, and give the optimiser the new parameters
        (keeping its state for the parameters that stay)."""
        if self.converted or step < self.options.warmup_steps:
            return optimizer
        self.convert_now()
        return rebuild_optimizer(optimizer, self.model)

    def finish(self) -> int:
        return fold(self.model)

    def describe(self) -> dict[str, Any]:
        return {
            "schedule": self.options.schedule,
            "over_parameterised": [short_name(name) for name in self.chosen],
            "extra_parameters": self.extra,
            "budget": self.budget,
            "scores": {short_name(k): round(v, 8) for k, v in self.scores.items()},
            "converted": self.converted,
        }


def rebuild_optimizer(optimizer: torch.optim.Optimizer, model: nn.Module) -> torch.optim.Optimizer:
    """The same optimiser, given the model's new trainable parameters (the local tensors) as
    a param group with its defaults; parameters that stay keep their state, and the replaced
    A and B no longer receive gradients, so the optimiser skips them."""
    known = {id(p) for group in optimizer.param_groups for p in group["params"]}
    new = [p for p in model.parameters() if p.requires_grad and id(p) not in known]
    if new:
        optimizer.add_param_group({"params": new, "lr": optimizer.param_groups[0]["lr"]})
    return optimizer


def planned_extra(model: nn.Module, options: LoraOverOptions) -> int:
    """Extra trainable parameters the schedule will add on this peft model (the budget, an
    upper bound, for the dynamic schedule)."""
    modules = lora_modules(model)
    costs = {name: module_extra(options, m) for name, m in modules.items()}
    if options.schedule == "static":
        return sum(costs[name] for name in static_selection(list(modules), options))
    if options.budget_params is not None:
        return min(options.budget_params, sum(costs.values()))
    return int(options.budget_fraction * sum(costs.values()))
