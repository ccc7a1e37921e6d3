#!/usr/bin/env bash
# Start-up to the first result of torchvision AlexNet (issue 6): the model loaded from a weights file (memory-
# mapped), then one forward pass of one image; on each backend, RUNS fresh JVMs one after the other, so the
# first OpenCL run fills the kernel binary caches (netc's and PoCL's) when they are empty and the later runs
# find them warm. Prints netc's own `load` and `first pass` lines and the whole process's wall time (JVM start
# and exit included).
#   bash tools/bench/startup.sh [RUNS]            (default 4)
# The weights (random, from torchvision's initialisation; values do not change the work) are written once with
# Debian's python3-torch into bench/target/startup/ (244 MB).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-4}
file=bench/target/startup/torchvision-alexnet.safetensors
if [[ ! -f $file ]]; then
  mkdir -p "$(dirname "$file")"
  /usr/bin/python3 - "$file" <<'PY'
import sys
sys.path.insert(0, "tools/fixtures")
import torch, torchvision
import safetensors_io
torch.manual_seed(0)
model = torchvision.models.alexnet()
safetensors_io.write(sys.argv[1], [(k, v.numpy()) for k, v in model.state_dict().items()])
PY
fi
./netc list >/dev/null  # builds netc first if needed, outside the timed runs
for backend in opencl java; do
  for ((run = 1; run <= runs; run++)); do
    start=$(date +%s%N)
    report=$(./netc bench TorchvisionAlexNet --weights "$file" --backend "$backend" --warmup 0 --seconds 0.001 2>/dev/null)
    end=$(date +%s%N)
    printf '%s run %d: %s; %s; process %d ms\n' "$backend" "$run" \
      "$(sed -n 's/^  load *//p' <<<"$report")" "$(sed -n 's/^  first pass *//p' <<<"$report")" \
      $(((end - start) / 1000000))
  done
done
