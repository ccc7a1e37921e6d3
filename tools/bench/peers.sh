#!/usr/bin/env bash
# netc against ONNX Runtime on the same networks and weights, in one JMH run, for docs/PERFORMANCE.md.
#   bash tools/bench/peers.sh            # about 6 minutes; QUICK=1 for a 1-iteration smoke run
# Exports the ONNX files if missing (tools/bench/export_onnx.py, Debian's python3-torch), builds
# bench/target/benchmarks.jar, runs NetworkBenchmark (netc, java and opencl backends) and
# OnnxRuntimeBenchmark (2 intra-op threads) for LeNet5 at batch 1 and 256 and TorchvisionAlexNet at batch 1
# and 16, writes the JMH results to bench/target/peers-*.json and prints the table with netc/ORT ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# always rebuilt, clean (the processor reruns only then): a stale jar would time another netc than this one
mvn -q -B clean install -DskipTests -pl bench -am
# after the build, whose clean empties bench/target
onnx=bench/target/onnx
if [[ ! -f $onnx/LeNet5.onnx || ! -f $onnx/TorchvisionAlexNet.onnx ]]; then
  /usr/bin/python3 tools/bench/export_onnx.py --out "$onnx"
fi
# OpenCL (PoCL) inside the JMH forks needs the JVM's signal chaining, as everywhere else.
export LD_PRELOAD="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
export POCL_SIGFPE_HANDLER=0
iterations=(-wi 5 -w 2 -i 5 -r 2)
[[ -n "${QUICK:-}" ]] && iterations=(-wi 1 -w 1 -i 1 -r 1)
results=()
run() { # network, batches
  local out="bench/target/peers-$1.json"
  java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar 'NetworkBenchmark|OnnxRuntimeBenchmark' -f 1 "${iterations[@]}" \
    -p network="$1" -p batch="$2" -p backend=java,opencl -p threads=2 -rf json -rff "$out" >&2
  results+=("$out")
}
run LeNet5 1,256
run TorchvisionAlexNet 1,16
python3 tools/bench/summarize_jmh.py "${results[@]}"
