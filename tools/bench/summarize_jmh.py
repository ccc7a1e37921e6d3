"""Summarises JMH JSON results of netc's benchmarks as Markdown tables.

Usage: python3 tools/bench/summarize_jmh.py [--macs MACS.json] RESULT.json [...]

- NetworkBenchmark and OnnxRuntimeBenchmark (tools/bench/peers.sh): one row per (network, batch), milliseconds
  per image for each netc backend and for ONNX Runtime, and netc/ORT ratios (below 1: netc is faster).
- Generated <Name>_Benchmark classes (@Network(benchmark = true); tools/bench/layers.sh): one table per (network,
  backend, batch), a row per fused group: microseconds per batch, the group's share of the groups' sum, and
  GFLOP/s (2 x multiply-adds x batch / time) when --macs gives the groups' multiply-adds per image (the JSON of
  dev.netc.bench.LayerMacs); then the groups' sum against the whole forward pass (layer=all).
Standard library only.
"""
import json
import sys

TO_MICROS = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3, "s/op": 1e6}


def micros(result):
    m = result["primaryMetric"]
    assert m["scoreUnit"] in TO_MICROS, m["scoreUnit"]
    return m["score"] * TO_MICROS[m["scoreUnit"]]


def peers(results):
    rows = {}
    for r in results:
        p = r["params"]
        key = (p["network"], int(p["batch"]))
        who = "ort" if "OnnxRuntime" in r["benchmark"] else "netc " + p["backend"]
        rows.setdefault(key, {})[who] = micros(r) / 1e3 / key[1]
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


def layers(results, macs):
    tables = {}
    for r in results:
        p = r["params"]
        network = r["benchmark"].split(".")[-2][: -len("_Benchmark")]
        key = (network, p["backend"], int(p["batch"]))
        tables.setdefault(key, []).append((p["layer"], micros(r)))
    for (net, backend, batch), rows in sorted(tables.items()):
        groups = [(layer, us) for layer, us in rows if layer != "all"]
        whole = [us for layer, us in rows if layer == "all"]
        total = sum(us for _, us in groups)
        known = macs.get(net, {})
        print(f"\n{net}, {backend} backend, batch {batch}\n")
        print("| layer (fused group) | us per batch | share | GFLOP/s |")
        print("|---|---:|---:|---:|")
        # JMH runs parameters in its own order; the macs file lists groups in graph order
        order = {name: i for i, name in enumerate(known)}
        for layer, us in sorted(groups, key=lambda g: order.get(g[0], len(order))):
            gflops = f"{2 * known[layer] * batch / (us * 1e3):.1f}" if layer in known and known[layer] else "-"
            share = f"{100 * us / total:.1f}%" if total else "-"
            print(f"| {layer} | {us:,.1f} | {share} | {gflops} |")
        line = f"| sum of the groups | {total:,.1f} | 100% | |"
        if total and known:
            line = f"| sum of the groups | {total:,.1f} | 100% | {2 * sum(known.values()) * batch / (total * 1e3):.1f} |"
        print(line)
        if whole:
            print(f"| whole forward pass (layer=all) | {whole[0]:,.1f} | | |")


def main(args):
    macs = {}
    if args[:1] == ["--macs"]:
        with open(args[1]) as f:
            macs = json.load(f)
        args = args[2:]
    results = []
    for path in args:
        with open(path) as f:
            results.extend(json.load(f))
    generated = [r for r in results if r["benchmark"].split(".")[-2].endswith("_Benchmark")]
    others = [r for r in results if r not in generated]
    if others:
        peers(others)
    if generated:
        layers(generated, macs)


if __name__ == "__main__":
    main(sys.argv[1:])
