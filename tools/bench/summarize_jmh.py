"""Summarises JMH JSON results of NetworkBenchmark and OnnxRuntimeBenchmark as a Markdown table.

Usage: python3 tools/bench/summarize_jmh.py RESULT.json [...]
One row per (network, batch): milliseconds per image for each netc backend and for ONNX Runtime, and
netc/ORT ratios (below 1: netc is faster). Standard library only.
"""
import json
import sys


def main(paths):
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                p = r["params"]
                key = (p["network"], int(p["batch"]))
                who = "ort" if "OnnxRuntime" in r["benchmark"] else "netc " + p["backend"]
                ms = r["primaryMetric"]["score"]
                assert r["primaryMetric"]["scoreUnit"] == "ms/op", r["primaryMetric"]["scoreUnit"]
                rows.setdefault(key, {})[who] = ms / key[1]
    print("| network | batch | netc java | netc opencl | ONNX Runtime | java / ORT | opencl / ORT |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (net, batch), m in sorted(rows.items()):
        def cell(k):
            return f"{m[k]:.3f}" if k in m else "-"

        def ratio(k):
            return f"{m[k] / m['ort']:.2f}" if k in m and "ort" in m else "-"

        print(f"| {net} | {batch} | {cell('netc java')} | {cell('netc opencl')} | {cell('ort')} | "
              f"{ratio('netc java')} | {ratio('netc opencl')} |")
    print("\nmilliseconds per image (JMH average time per batch / batch)")


if __name__ == "__main__":
    main(sys.argv[1:])
