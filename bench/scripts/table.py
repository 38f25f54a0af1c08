#!/usr/bin/python3
"""Turns RESULT lines (sluice-bench run, compare.sh) into the markdown table of docs/benchmarks.md.
Rows measured more than once show the median and the number of runs."""
import statistics
import sys
from collections import OrderedDict

rows = OrderedDict()
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    f = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
    rows.setdefault(f["name"], []).append(f)

def med(runs, key, fmt="{:.0f}"):
    vals = []
    for r in runs:
        try:
            v = float(r.get(key, "NA"))
            if v >= 0:
                vals.append(v)
        except ValueError:
            pass
    return fmt.format(statistics.median(vals)) if vals else "–"

cols = ["row", "runs", "accepted/s", "delivered/s (e2e)", "daemon CPU ms/msg", "inject→250 p50 / p99 ms",
        "e2e p50 / p99 ms", "peak RSS MB"]
print("| " + " | ".join(cols) + " |")
print("|" + "---|" * len(cols))
for name, runs in rows.items():
    print("| " + " | ".join([
        name, str(len(runs)), med(runs, "accepted_per_s"), med(runs, "delivered_per_s"),
        med(runs, "daemon_cpu_ms_per_msg", "{:.3f}") if runs[0].get("daemon_cpu_ms_per_msg", "NA") != "NA"
        else ("tool " + med(runs, "tool_cpu_ms_per_msg", "{:.3f}") if "tool_cpu_ms_per_msg" in runs[0] else "–"),
        med(runs, "inject_to_250_p50_ms", "{:.2f}") + " / " + med(runs, "inject_to_250_p99_ms", "{:.2f}"),
        med(runs, "e2e_p50_ms", "{:.1f}") + " / " + med(runs, "e2e_p99_ms", "{:.1f}"),
        med(runs, "daemon_peak_rss_mb")]) + " |")
