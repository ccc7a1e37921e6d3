#!/usr/bin/env bash
# Training speed, netc (Java and OpenCL trainers) against PyTorch 1.13 on the same machine, batch and thread count,
# for docs/PERFORMANCE.md.
#
#   bash tools/bench/train_speed.sh [THREADS]
#
# netc: `./netc train NET --epochs 2 --limit 12800 --validation 0 --backend java|opencl` on Fashion-MNIST, the
# images/s of the second epoch (the first warms the JIT up and, on OpenCL, builds or loads the training kernels).
# The OpenCL trainer runs on the device `netc run` would use (NETC_OPENCL_DEVICE picks one); THREADS applies to the
# Java trainer and PyTorch. PyTorch: tools/bench/torch_train_speed.py (random images; speed does not depend on the
# data). All do forward, cross-entropy, backward and an SGD step with momentum and weight decay.
# Run it on a quiet machine: it prints a table of images/s and the netc/PyTorch ratios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${1:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# images/s of the second epoch of `netc train NET` with batch $2 on backend $3
netc_rate() {
  "$root/netc" train "$1" --data fashion-mnist --epochs 2 --limit 12800 --validation 0 --batch "$2" \
      --threads "$threads" --augment none --backend "$3" --out "$out/w.safetensors" 2>&1 \
      | tr '\r' '\n' | grep -E '^epoch 2/2: ' | sed -E 's/.* ([0-9,]+) images\/s.*/\1/' | tr -d ,
}

printf '%-15s %5s %10s %10s %12s %11s %13s\n' network batch "java img/s" "cl img/s" "torch img/s" "java/torch" \
    "opencl/torch"
for net in LeNet5 FashionAlexNet; do
  for batch in 64 128; do
    java_rate=$(netc_rate "$net" "$batch" java)
    cl_rate=$(netc_rate "$net" "$batch" opencl)
    torch_rate=$(/usr/bin/python3 "$root/tools/bench/torch_train_speed.py" "$net" "$batch" "$threads" \
        | sed -E 's/.*: ([0-9]+) images\/s.*/\1/')
    printf '%-15s %5d %10d %10d %12d %11.2f %13.2f\n' "$net" "$batch" "$java_rate" "$cl_rate" "$torch_rate" \
        "$(echo "$java_rate / $torch_rate" | bc -l)" "$(echo "$cl_rate / $torch_rate" | bc -l)"
  done
done
