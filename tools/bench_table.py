#!/usr/bin/env python3
"""Turn tower_bench JSON reports into the markdown tables of docs/benchmarks.md.

Usage:
  TOWER_SIMD=scalar ./build/bench/tower_bench --benchmark_filter=ntt/ \
      --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
      --benchmark_out=scalar.json --benchmark_out_format=json
  (the same for avx2 and avx512)
  python3 tools/bench_table.py scalar.json avx2.json avx512.json

Each file is one SIMD path (read from the report's context). Rows are benchmark
names, columns the median CPU time per path, then each path's speed-up over the
first file's path. Only the Python standard library is used.
"""
import json
import sys


def load(path):
    with open(path) as f:
        report = json.load(f)
    ctx = report.get("context", {})
    label = ctx.get("tower_simd_path", path)
    rows = {}
    for b in report["benchmarks"]:
        name = b.get("run_name", b["name"])
        if b.get("aggregate_name", "median") != "median":
            continue
        unit = b.get("time_unit", "ns")
        rows[name] = (b["cpu_time"], unit)
    return label, ctx, rows


def main(paths):
    runs = [load(p) for p in paths]
    ctx = runs[0][1]
    print(f"CPU: {ctx.get('tower_cpu_model', '?')} ({ctx.get('num_cpus', '?')} cores), "
          f"features: {ctx.get('tower_cpu_features', '?')}; date {ctx.get('date', '?')}\n")
    header = ["benchmark"] + [f"{label} ({'time'})" for label, _, _ in runs]
    header += [f"{label} speed-up" for label, _, _ in runs[1:]]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    names = list(runs[0][2].keys())
    for name in names:
        cells = [f"`{name}`"]
        base = runs[0][2].get(name)
        for _, _, rows in runs:
            v = rows.get(name)
            cells.append(f"{v[0]:.1f} {v[1]}" if v else "—")
        for _, _, rows in runs[1:]:
            v = rows.get(name)
            cells.append(f"{base[0] / v[0]:.2f}x" if v and base and v[1] == base[1] else "—")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
