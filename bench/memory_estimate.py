"""Checks the memory estimate of docs/training.md ("A 7B recipe") on a real model on the
CPU: weights and optimizer state are counted from the model, and the activation term is
compared with what autograd actually keeps for backward (every tensor saved by the
forward pass, measured with torch.autograd.graph.saved_tensors_hooks, each storage
counted once, the model's own weights excluded).

    python bench/memory_estimate.py --model smollm2 --length 256 --batch 4
    python bench/memory_estimate.py --model smollm2 --length 256 --batch 4 --checkpointing

The estimate (bytes, per GPU, one micro-batch of b sequences of s tokens of which n are
scored, L layers, hidden h, key/value width h_kv, MLP width i, vocabulary V, activations
in B bytes: 2 in bf16, 4 in fp32):
    weights      = P * (2 in bf16, 4 in fp32)
    adapter      = T * 16                      (fp32 weight, gradient, two AdamW moments)
    activations  = L * s * b * (7 h + 2 h_kv + 4 i) * B  +  n * b * V * 4
    checkpointed = L * s * b * h * B  +  s * b * (7 h + 2 h_kv + 4 i) * B  +  n * b * V * 4
Per layer and token a Llama block keeps: the normalised input (h; shared by q, k, v and
their adapters), q, k and v after RoPE (h + 2 h_kv), the attention output and o_proj's
input (2 h), the second norm's input and output (2 h), the first norm's input (h), and
gate, up, SiLU(gate) and down_proj's input (4 i); the loss keeps fp32 log-probabilities of
the scored positions (V each). LoRA's r-wide intermediates and the norms' 1-wide
statistics are left out (under 1%).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def saved_bytes(model: torch.nn.Module, batch: tuple[torch.Tensor, ...]) -> int:
    """Bytes of the distinct storages autograd saves in one forward (weights excluded)."""
    from argmap.training.causal_lm import lm_loss

    weights = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in weights:
            storages[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        loss = lm_loss(model, batch)
    loss.backward()
    return sum(storages.values())


def estimate(config: object, tokens: int, scored: int, element: int, checkpointing: bool) -> dict[str, int]:
    h = config.hidden_size  # type: ignore[attr-defined]
    i = config.intermediate_size  # type: ignore[attr-defined]
    layers = config.num_hidden_layers  # type: ignore[attr-defined]
    heads = config.num_attention_heads  # type: ignore[attr-defined]
    kv = getattr(config, "num_key_value_heads", heads) * (h // heads)
    vocab = config.vocab_size  # type: ignore[attr-defined]
    per_layer = (7 * h + 2 * kv + 4 * i) * element
    body = tokens * (layers * h * element + per_layer if checkpointing else layers * per_layer)
    logits = scored * vocab * 4
    return {"layers": body, "logits": logits, "total": body + logits}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="smollm2", help="smollm2 or a local Hugging Face folder")
    parser.add_argument("--length", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--checkpointing", action="store_true")
    args = parser.parse_args()
    from argmap.training.causal_lm import load_causal_lm
    from argmap.training.checkpointing import checkpointing
    from argmap.training.reuse import adapted
    from argmap.training.spec import MethodSpec, ModelSpec

    spec = ModelSpec(name="smollm2") if args.model == "smollm2" else ModelSpec(name="local", path=args.model)
    model, _ = load_causal_lm(spec)
    ids = torch.randint(3, model.config.vocab_size, (args.batch, args.length))
    labels = ids.clone()
    labels[:, : args.length // 4] = -100  # a prompt quarter, as in prompt/response data
    batch = (ids, torch.ones_like(ids), labels)
    with adapted(model, MethodSpec(type="lora", r=args.rank)) as prepared:
        if args.checkpointing:
            checkpointing(model, True)
        prepared.model.train()
        measured = saved_bytes(prepared.model, batch)
        trainable = prepared.trainable
    element = next(model.parameters()).element_size()
    scored = int((labels[:, 1:] != -100).sum())
    predicted = estimate(model.config, args.batch * args.length, scored, element, args.checkpointing)
    report = {
        "model": args.model,
        "parameters": sum(p.numel() for p in model.parameters()),
        "lora_rank": args.rank,
        "adapter_parameters": trainable,
        "sequence_length": args.length,
        "batch": args.batch,
        "checkpointing": args.checkpointing,
        "activation_bytes_measured": measured,
        "activation_bytes_estimated": predicted["total"],
        "estimate_over_measured": round(predicted["total"] / measured, 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
