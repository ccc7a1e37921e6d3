"""Training speed of PyTorch (Debian's python3-torch, 1.13) on netc's training networks, for docs/PERFORMANCE.md.

Usage: /usr/bin/python3 tools/bench/torch_train_speed.py NETWORK BATCH [THREADS] [SECONDS] [DEVICE]
NETWORK is LeNet5 or FashionAlexNet (the same layers as netc's, tools/fixtures/make_training_fixtures.py); one
training step is the forward pass, cross-entropy, the backward pass and an SGD step (momentum 0.9, weight decay
0.0005), as in netc's trainer. Inputs are random images in [0, 1) and random labels: speed does not depend on
the data. DEVICE is cpu (the default) or cuda (the GPU peer of netc's OpenCL trainer, tools/bench/gpu/). Prints one line: network, batch, threads, images/s (median of 1-second windows after a warm-up).
"""
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import make_fixtures  # noqa: E402
import make_training_fixtures  # noqa: E402


def model_of(name):
    if name == "LeNet5":
        return make_fixtures.lenet5()
    if name == "FashionAlexNet":
        net = make_training_fixtures.fashion_alexnet()
        net.drop1 = torch.nn.Dropout(0.5)  # PyTorch's own dropout: the masks do not matter for speed
        return net
    raise SystemExit("unknown network " + name)


def main():
    name, batch = sys.argv[1], int(sys.argv[2])
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 8.0
    device = sys.argv[5] if len(sys.argv) > 5 else "cpu"
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(False)
    model = model_of(name).train().to(device)
    logits = torch.nn.Sequential(*list(model.children())[:-1])  # without the final softmax
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=0.0005)
    x = torch.rand(batch, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (batch,), device=device)

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(logits(x), y).backward()
        opt.step()
        if device == "cuda":
            torch.cuda.synchronize()  # count finished steps, not queued ones

    end = time.time() + 2
    while time.time() < end:
        step()
    rates = []
    end = time.time() + seconds
    while time.time() < end:
        start, images = time.time(), 0
        while time.time() - start < 1:
            step()
            images += batch
        rates.append(images / (time.time() - start))
    where = torch.cuda.get_device_name() if device == "cuda" else "threads %d" % threads
    print("%s batch %d %s: %.0f images/s (torch %s)" % (name, batch, where, statistics.median(rates),
                                                       torch.__version__))


if __name__ == "__main__":
    main()
