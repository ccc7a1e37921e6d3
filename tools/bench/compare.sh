#!/usr/bin/env bash
# Runs netc's Java backend and PyTorch (Debian's python3-torch, same thread count) on the same networks and
# batch sizes, one after the other in one session, for docs/PERFORMANCE.md. Takes about 4 minutes.
#   bash tools/bench/compare.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads=${THREADS:-2}
for batch in 1 16; do
  for net in TorchvisionAlexNet AlexNet; do
    ./netc bench "$net" --batch "$batch" --threads "$threads" 2>/dev/null | sed -n '1p;/ms per image/p'
    JAVA_OPTS="-XX:MaxVectorSize=32" ./netc bench "$net" --batch "$batch" --threads "$threads" 2>/dev/null \
      | sed -n '1s/$/ [-XX:MaxVectorSize=32]/p;/ms per image/p'
  done
  /usr/bin/python3 tools/bench/pytorch_peer.py --batch "$batch" --threads "$threads" --seconds 5
done
for batch in 1 256; do
  ./netc bench LeNet5 --batch "$batch" --threads "$threads" 2>/dev/null | sed -n '1p;/ms per image/p;/images\/s/p'
done
/usr/bin/python3 tools/bench/pytorch_peer.py --batch 256 --threads "$threads" --seconds 5 | grep -E "torch|LeNet5"
