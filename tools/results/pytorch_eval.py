"""Loads weights written by `netc train` into the same network in PyTorch and measures it on Fashion-MNIST's test
set: the proof that the file netc writes is a PyTorch state_dict, with the accuracy `netc eval` reports.

Usage: /usr/bin/python3 tools/results/pytorch_eval.py NETWORK WEIGHTS.safetensors [DATA_DIR]
NETWORK is LeNet5 or FashionAlexNet; DATA_DIR defaults to Debian's /usr/share/datasets/fashion-mnist.
Prints the top-1 accuracy over the 10,000 test images.
"""
import gzip
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import make_fixtures  # noqa: E402
import make_training_fixtures  # noqa: E402
import safetensors_io  # noqa: E402


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    name, weights = sys.argv[1], sys.argv[2]
    data = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    model = make_fixtures.lenet5() if name == "LeNet5" else make_training_fixtures.fashion_alexnet()
    if name != "LeNet5":
        model.drop1 = torch.nn.Dropout(0.5)
    tensors, _ = safetensors_io.read(weights)
    state = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items()}
    model.load_state_dict(state, strict=True)  # every key, every shape, nothing extra
    model.eval()
    images = idx(os.path.join(data, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255
    labels = idx(os.path.join(data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    with torch.no_grad():
        p = model(torch.from_numpy(images).unsqueeze(1))
    accuracy = float((p.argmax(1).numpy() == labels).mean())
    print("%s in PyTorch %s from %s: test accuracy %.2f%% (%d images)" % (name, torch.__version__, weights,
                                                                         100 * accuracy, len(labels)))


if __name__ == "__main__":
    main()
