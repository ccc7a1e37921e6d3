"""Times PyTorch (Debian's python3-torch, CPU) on the same networks as `./netc bench`, for docs/PERFORMANCE.md.

Usage: /usr/bin/python3 tools/bench/pytorch_peer.py [--batch 1] [--seconds 5] [--threads 2] [--device cpu|cuda]
Prints the median and spread of milliseconds per batch for torchvision's AlexNet and for LeNet-5. --device cuda
(the GPU peer of netc's OpenCL backend, tools/bench/gpu/) waits for the GPU to finish each batch before timing it.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torchvision


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10), nn.Softmax(dim=1))


def bench(name, model, shape, batch, seconds, device):
    model.eval().to(device)
    x = torch.randn(batch, *shape, device=device)

    def forward():
        model(x)
        if device == "cuda":
            torch.cuda.synchronize()  # CUDA launches return before the work is done

    with torch.inference_mode():
        end = time.perf_counter() + 2
        while time.perf_counter() < end:
            forward()
        times = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t = time.perf_counter()
            forward()
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    med = statistics.median(times)
    print(f"{name:20s} batch {batch:3d}: median {med:8.2f} ms/batch ({med / batch:7.3f} ms/image), "
          f"p10 {times[len(times) // 10]:.2f}, p90 {times[len(times) * 9 // 10]:.2f}, n={len(times)}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    where = torch.cuda.get_device_name() if a.device == "cuda" else f"{torch.get_num_threads()} threads"
    print(f"torch {torch.__version__}, {where}")
    bench("TorchvisionAlexNet", torchvision.models.alexnet(), (3, 224, 224), a.batch, a.seconds, a.device)
    bench("LeNet5", lenet5(), (1, 28, 28), a.batch, a.seconds, a.device)


if __name__ == "__main__":
    main()
