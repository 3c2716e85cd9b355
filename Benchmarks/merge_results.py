#!/usr/bin/env python3
"""Merges the in-process figures (registry-bench --json) and the HTTP figures (run_all.py --out)
of one `make bench` run into Benchmarks/results/latest.json, printed to stdout."""
import json
import sys

merged = {"run": {}, "figures": []}
for path, source in zip(sys.argv[1:], ["in-process", "http"]):
    with open(path) as f:
        part = json.load(f)
    merged["run"][source] = part.get("run", {})
    for figure in part.get("figures", []):
        figure = dict(figure)
        figure.setdefault("source", source)
        merged["figures"].append(figure)
json.dump(merged, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
print()
