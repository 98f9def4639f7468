#!/usr/bin/env bash
# Data parallel (the path `accelerate launch` takes on several GPUs) checked on the CPU:
# the same spec trained by two processes (torchrun, gloo) and by one must give the same
# trials. Prints, per trial, the processes of each run, both test losses, the largest
# difference between the two training-loss curves and between the two validation curves
# (evaluated every `eval_every` steps, split across the processes).
#   bash bench/ddp_equivalence.sh [SPEC] [OUT]
set -euo pipefail
spec=${1:-bench/ddp_spec.yaml}
out=${2:-/tmp/argmap-ddp}
argmap=$(command -v argmap)
python=$(dirname "$argmap")/python
OMP_NUM_THREADS=1 "$(dirname "$argmap")/torchrun" --nproc_per_node 2 --master_port 29533 "$argmap" \
    experiment run "$spec" --out "$out/two" --cache "$out/cache" --no-progress
OMP_NUM_THREADS=1 "$argmap" experiment run "$spec" --out "$out/one" --cache "$out/cache" --no-progress
"$python" - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for two in sorted((out / "two" / "trials").glob("*.json")):
    a, b = json.loads(two.read_text()), json.loads((out / "one" / "trials" / two.name).read_text())
    gap = max(abs(x - y) for x, y in zip(a["train_losses"], b["train_losses"]))
    val = max(abs(x["val_loss"] - y["val_loss"]) for x, y in zip(a["curve"], b["curve"], strict=True))
    print(a["settings"]["method"]["type"], "seed", a["settings"]["seed"], "processes", a["processes"], b["processes"],
          "test loss", a["test"]["eval_loss"], b["test"]["eval_loss"], "max curve gap", gap,
          "validation points", len(a["curve"]), "max validation gap", val)
PY
