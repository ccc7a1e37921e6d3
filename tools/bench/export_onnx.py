"""Exports the example networks to ONNX with netc's synthetic weights, for the ONNX Runtime peer in bench/.

Usage: /usr/bin/python3 tools/bench/export_onnx.py [--out bench/target/onnx] [NAME ...]
Writes NAME.onnx (input "input" [N, C, H, W], output "output", batch dimension dynamic) for LeNet5 and
TorchvisionAlexNet by default. The weights come from the same formula as netc's SyntheticWeights
(tools/fixtures/synthetic.py), so ONNX Runtime and netc compute the same function; bench/'s
OnnxRuntimeBenchmark checks that before it times anything. The files are build outputs (AlexNet's is 244 MB):
not committed. Needs Debian's python3-torch (torch.onnx needs no separate onnx package).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import make_fixtures  # noqa: E402

NETWORKS = {
    "LeNet5": (make_fixtures.lenet5, (1, 28, 28)),
    "TorchvisionAlexNet": (make_fixtures.torchvision_alexnet, (3, 224, 224)),
}


def export(name, out_dir):
    builder, shape = NETWORKS[name]
    model = builder().eval()
    make_fixtures.set_synthetic(model)
    path = os.path.join(out_dir, name + ".onnx")
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, *shape), tmp, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)
    os.replace(tmp, path)  # a half-written file never has the final name
    print(f"{path}: {os.path.getsize(path):,} bytes")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="bench/target/onnx")
    p.add_argument("names", nargs="*", default=list(NETWORKS))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in a.names:
        if name not in NETWORKS:
            sys.exit(f"unknown network {name}; choose from {', '.join(NETWORKS)}")
        export(name, a.out)


if __name__ == "__main__":
    main()
