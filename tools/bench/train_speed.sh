#!/usr/bin/env bash
# Training speed, netc against PyTorch 1.13 on the same machine, batch and thread count, for docs/PERFORMANCE.md.
#
#   bash tools/bench/train_speed.sh [THREADS]
#
# netc: `./netc train NET --epochs 2 --limit 12800 --validation 0` on Fashion-MNIST, the images/s of the second
# epoch (the first warms the JIT up). PyTorch: tools/bench/torch_train_speed.py (random images; speed does not
# depend on the data). Both do forward, cross-entropy, backward and an SGD step with momentum and weight decay.
# Run it on a quiet machine: it prints a table of images/s and the netc/PyTorch ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${1:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-15s %5s %12s %12s %7s\n' network batch "netc img/s" "torch img/s" ratio
for net in LeNet5 FashionAlexNet; do
  for batch in 64 128; do
    netc_rate=$("$root/netc" train "$net" --data fashion-mnist --epochs 2 --limit 12800 --validation 0 \
        --batch "$batch" --threads "$threads" --augment none --out "$out/w.safetensors" 2>&1 \
        | grep -E '^epoch 2/2: ' | sed -E 's/.* ([0-9,]+) images\/s.*/\1/' | tr -d ,)
    torch_rate=$(/usr/bin/python3 "$root/tools/bench/torch_train_speed.py" "$net" "$batch" "$threads" \
        | sed -E 's/.*: ([0-9]+) images\/s.*/\1/')
    printf '%-15s %5d %12d %12d %7.2f\n' "$net" "$batch" "$netc_rate" "$torch_rate" \
        "$(echo "$netc_rate / $torch_rate" | bc -l)"
  done
done
