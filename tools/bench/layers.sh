#!/usr/bin/env bash
# Per-layer JMH benchmarks of LeNet5 and TorchvisionAlexNet on both backends, for docs/PERFORMANCE.md.
#   bash tools/bench/layers.sh                          # both networks, java and opencl, batch 1 and 16
#   QUICK=1 NETWORKS=TorchvisionAlexNet BACKENDS=java BATCHES=1 bash tools/bench/layers.sh
# Builds bench/target/benchmarks.jar (clean: the processor regenerates the models and the benchmarks only then),
# runs the generated <Name>_Benchmark of dev.netc.bench.layers (one benchmark per fused group, plus layer=all for
# the whole forward pass; see docs/DSL.md, @Network(benchmark = true)), writes the JMH results to
# bench/target/layers-<network>.json and each group's multiply-adds to bench/target/layers-macs.json, and prints one
# table per network, backend and batch: time per group, its share of the groups' sum, GFLOP/s.
# MVN overrides the Maven command (e.g. MVN="mvn -o -Dmaven.repo.local=$HOME/m2"); SKIP_BUILD=1 reuses the jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
networks=(${NETWORKS:-LeNet5 TorchvisionAlexNet})
backends="${BACKENDS:-java,opencl}"
batches="${BATCHES:-1,16}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  ${MVN:-mvn} -q -B clean install -DskipTests -pl bench -am
fi
# OpenCL (PoCL) inside the JMH forks needs the JVM's signal chaining, as everywhere else.
export LD_PRELOAD="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
export POCL_SIGFPE_HANDLER=0
iterations=(-wi 3 -w 1 -i 5 -r 1)
[[ -n "${QUICK:-}" ]] && iterations=(-wi 1 -w 1 -i 2 -r 1)
jar=bench/target/benchmarks.jar
classes=()
for n in "${networks[@]}"; do classes+=("dev.netc.bench.layers.$n"); done
java -cp "$jar" dev.netc.bench.LayerMacs "${classes[@]}" > bench/target/layers-macs.json
results=()
for n in "${networks[@]}"; do
  out="bench/target/layers-$n.json"
  java --add-modules jdk.incubator.vector -jar "$jar" "dev.netc.bench.layers.${n}_Benchmark" -f 1 "${iterations[@]}" \
    -p backend="$backends" -p batch="$batches" -rf json -rff "$out" >&2
  results+=("$out")
done
python3 tools/bench/summarize_jmh.py --macs bench/target/layers-macs.json "${results[@]}"
