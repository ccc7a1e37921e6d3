#!/usr/bin/env bash
# Runs the generated OpenCL kernels of every example network, and the training kernels, under oclgrind (the OpenCL
# simulator), which reports out-of-bounds accesses, data races and API misuse. The ImageNet-sized networks are
# simulated in shrunk versions with the same kernel code paths (examples/src/test/java/dev/netc/examples/oclgrind);
# SmallFusions (examples/src/test/java/dev/netc/examples/passes) covers the fused batch norm, residual and concat
# kernels.
# Run after `mvn install`. Fails when oclgrind reports anything.
#
#   tools/oclgrind-check.sh            # everything
#   tools/oclgrind-check.sh training   # only the training programs (the last part)
#
# Not enabled: --uninitialized. Oclgrind 21.10 flags the running maximum of our max-pool loops as
# uninitialised even when every value read was written (reproduced in a 2-kernel C program with a kernel
# that writes constants); see docs/ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
part="${1:-all}"
[[ "$part" == all || "$part" == training ]] || { echo "usage: $0 [training]" >&2; exit 2; }
command -v oclgrind >/dev/null || { echo "oclgrind not installed (apt-get install oclgrind)" >&2; exit 1; }

cp_file=$(mktemp)
log=$(mktemp)
trap 'rm -f "$cp_file" "$log"' EXIT
mvn -q -B ${MAVEN_ARGS:-} -pl examples dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
classpath="examples/target/test-classes:examples/target/classes:$(cat "$cp_file")"

networks=(dev.netc.examples.LeNet5
  dev.netc.examples.LeNet5Original
  dev.netc.examples.oclgrind.TableVariants
  dev.netc.examples.oclgrind.SmallAlexNet
  dev.netc.examples.oclgrind.SmallTorchvisionAlexNet
  dev.netc.examples.oclgrind.SmallZFNet
  dev.netc.examples.passes.SmallFusions
  dev.netc.examples.SmallResNet
  dev.netc.examples.SmallInception)
# The JVM's signal chaining, which netc requires while PoCL is registered (dev.netc.runtime.opencl.SignalSafety).
export LD_PRELOAD="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
export POCL_SIGFPE_HANDLER=0
# Runs "java $@" under oclgrind and fails, showing its findings, when it exits badly or reports anything.
# $1 says what is checked, for the messages.
under_oclgrind() {
  local what=$1
  shift
  # oclgrind writes its findings to standard error; the program itself writes nothing there.
  local status=0
  oclgrind --check-api --data-races --max-errors 100 java -Dnetc.cache.dir="$(mktemp -d)" -cp "$classpath" "$@" \
    2>"$log" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "the $what failed under oclgrind (exit status $status):" >&2
    head -100 "$log" >&2
    exit 1
  fi
  # The one line the JVM itself may print there: libjsig's deprecation notice when a native library (the OpenCL
  # stack) installs a handler with signal(); it says nothing about the kernels.
  sed -i '/^OpenJDK VM warning: the use of signal() and sigset() for signal chaining was deprecated/d' "$log"
  if [[ -s "$log" ]]; then
    echo "oclgrind reported problems in the $what:" >&2
    head -100 "$log" >&2
    exit 1
  fi
}

# Both kernel variants: the gpu one's work-group barriers and local memory are where races would hide.
[[ "$part" == training ]] || for variant in cpu gpu; do
  under_oclgrind "generated $variant kernels" -Dnetc.opencl.variant="$variant" \
    dev.netc.examples.oclgrind.OclgrindRun "${networks[@]}"
  echo "oclgrind: no invalid access, data race or API error in the $variant kernels of ${#networks[@]} networks"
done

# The training kernels: each network's generated program (<Name>.train.cl in examples/target/test-classes: the
# kernel library runtime/src/main/resources/dev/netc/runtime/opencl/training_lib.cl and the network's
# shape-specialised kernels), the one the OpenCL trainer launches: two training steps and a prediction of the
# networks that between them call every library function (TrainingCoverage: every layer kind; TrainingExtras:
# ceil-mode and padding-excluding pooling, adaptive pooling, standalone activations; SmallResNet: batch norm behind
# projections, global average pooling).
training=(dev.netc.examples.TrainingCoverage
  dev.netc.examples.TrainingExtras
  dev.netc.examples.SmallResNet)
under_oclgrind "training kernels" dev.netc.examples.oclgrind.OclgrindTrainingRun "${training[@]}"
echo "oclgrind: no invalid access, data race or API error in the training kernels of ${#training[@]} networks"
