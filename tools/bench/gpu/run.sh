#!/usr/bin/env bash
# netc on a GPU machine without Java: benchmarks of the OpenCL backend against PyTorch on CUDA, then FashionAlexNet
# training runs on the OpenCL trainer. Run tools/bench/gpu/bundle.sh first (here) and carry its folder along.
#
#   bash tools/bench/gpu/run.sh BUNDLE OUT SECONDS
#
# BUNDLE: what bundle.sh made (default .dev/gpu); OUT: where logs, weights and checkpoints go; SECONDS: the time
# the whole script may take (default 540): the training runs are stopped in time to copy their last epoch out. Each
# epoch writes its weights and a checkpoint, so an unfinished run resumes elsewhere with `netc train ... --resume`.
# Needs: the GPU's OpenCL driver (libnvidia-opencl, found where the driver's libraries are), gzip and xz; PyTorch
# with CUDA for the peers (skipped without it). LIMIT=N trains on N images only (to try the script out).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bundle="$(readlink -f "${1:-$root/.dev/gpu}")"
out="$(readlink -f "${2:-${OUT:?OUT or an output folder}}")"
budget="${3:-540}"
start=$SECONDS
left() { echo $((budget - (SECONDS - start))); }
mkdir -p "$out"
exec > >(tee -a "$out/run.log") 2>&1
work=/tmp/netc-gpu
mkdir -p "$work/data" "$work/ocl/vendors" "$work/runs"

echo "== machine ($(date -u +%FT%TZ))"
nvidia-smi -L 2>&1 | head -4
echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"

echo "== unpacking ($(left) s left)"
tar xJf "$bundle/jre.txz" -C "$work"
java="$work/jre/bin/java"
cp "$bundle"/data/*.gz "$work/data/"
xz -dc "$bundle/data/train-images-idx3-ubyte.xz" | gzip -1 >"$work/data/train-images-idx3-ubyte.gz"

# The ICD loader (carried) reads the vendor files in OCL_ICD_VENDORS: the machine's own, plus one for NVIDIA's
# OpenCL library when the driver mounts it without registering it.
cp "$bundle/libOpenCL.so.1" "$work/ocl/"
ln -sf libOpenCL.so.1 "$work/ocl/libOpenCL.so"  # JOCL loads the unversioned name
cp /etc/OpenCL/vendors/*.icd "$work/ocl/vendors/" 2>/dev/null
nvcl="$( (ldconfig -p | awk '/libnvidia-opencl.so/ {print $NF}';
          timeout 30 find /usr/local/nvidia /usr/lib /usr/lib64 /usr/local/cuda* -name 'libnvidia-opencl.so*' 2>/dev/null) \
        | head -1)"
if [[ -n "$nvcl" ]]; then
  grep -qs nvidia-opencl "$work"/ocl/vendors/*.icd || echo "$nvcl" >"$work/ocl/vendors/nvidia.icd"
  export LD_LIBRARY_PATH="$(dirname "$nvcl")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
echo "NVIDIA OpenCL: ${nvcl:-not found}; vendor files: $(cd "$work/ocl/vendors" && cat ./*.icd 2>/dev/null | tr '\n' ' ')"
export OCL_ICD_VENDORS="$work/ocl/vendors" LD_LIBRARY_PATH="$work/ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_PRELOAD="$work/jre/lib/libjsig.so" POCL_SIGFPE_HANDLER=0 XDG_CACHE_HOME="$work/cache"

# The command line as a script, so that `timeout` can run it.
cat >"$work/netc" <<EOS
#!/usr/bin/env bash
exec "$java" --add-modules jdk.incubator.vector -Djava.awt.headless=true -cp "$bundle/lib/*" dev.netc.examples.cli.Main "\$@"
EOS
chmod +x "$work/netc"
netc="$work/netc"
quiet() { grep -v -e 'incubator modules' -e 'signal chaining'; }

echo "== probe ($(left) s left)"
if timeout 90 "$netc" bench LeNet5 --backend opencl --batch 1 --warmup 1 --seconds 1; then gpu=1; else gpu=0; fi
echo "OpenCL backend usable: $gpu"

if [[ $gpu == 1 ]]; then
  echo "== inference: netc OpenCL ($(left) s left)"
  for spec in "LeNet5 1" "LeNet5 256" "TorchvisionAlexNet 1" "TorchvisionAlexNet 16"; do
    set -- $spec
    timeout 60 "$netc" bench "$1" --backend opencl --batch "$2" --warmup 2 --seconds 4 2>&1 | quiet
  done
  timeout 60 "$netc" bench TorchvisionAlexNet --backend opencl --batch 16 --warmup 1 --seconds 2 --profile 2>&1 | quiet
fi
echo "== inference and training: PyTorch on CUDA ($(left) s left)"
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  for b in 1 16 256; do timeout 60 python3 "$root/tools/bench/pytorch_peer.py" --batch "$b" --seconds 3 --device cuda; done
  for net in LeNet5 FashionAlexNet; do
    timeout 40 python3 "$root/tools/bench/torch_train_speed.py" "$net" 64 4 4 cuda
  done
fi

# The training runs: A is FashionAlexNet's candidate result (declared before the run: FA4's recipe, trained longer
# at the high rate), alone on the device so that its images/s are the OpenCL trainer's speed on this GPU; B, an
# exploration (crops as well, twice the epochs: FA5 underfitted in 30), gets the time that is left after A.
common=(train FashionAlexNet --data "$work/data" --batch 64 --lr 0.02 --validation 0 ${LIMIT:+--limit "$LIMIT"})
if [[ $gpu == 1 ]]; then backend=(--backend opencl); else backend=(--backend java --threads "$(nproc)"); fi
mkdir -p "$work/runs/A" "$work/runs/B"
stop=$(($(left) - 25))
echo "== training A for at most $stop s (${backend[*]})"
timeout "$stop" "$netc" "${common[@]}" --augment flip --epochs 40 --schedule step:30:0.1 "${backend[@]}" \
    --out "$work/runs/A/fa6.safetensors" >"$work/runs/A/train.log" 2>&1
echo "training A ended: $?"
stop=$(($(left) - 25))
if [[ $gpu == 1 && $stop -gt 60 ]]; then
  echo "== training B for at most $stop s (${backend[*]})"
  timeout "$stop" "$netc" "${common[@]}" --augment crop+flip --epochs 60 --schedule step:45:0.1 "${backend[@]}" \
      --out "$work/runs/B/fa7.safetensors" >"$work/runs/B/train.log" 2>&1
  echo "training B ended: $?"
fi
for r in A B; do
  [[ -f "$work/runs/$r/train.log" ]] || continue  # B runs only when A leaves time
  echo "-- run $r"; tr '\r' '\n' <"$work/runs/$r/train.log" 2>/dev/null | quiet | grep -E '^epoch [0-9]+/[0-9]+: .*s$|rate|warning|Exception|rror' | tail -70
done
cp "$work"/runs/A/*.safetensors "$work"/runs/B/*.safetensors "$out/" 2>/dev/null
tar czf "$out/small.tgz" --exclude='*.safetensors' -C "$work/runs" .
echo "== done in $((SECONDS - start)) s"; ls -la "$out"
