#!/usr/bin/env python3
"""summarize.py SUMMARY.tsv: mean per (server, test) over reps, and Meridian's ratios to each
peer: per rep (the runs of one rep are back to back, so they saw the same machine load) and
their mean."""
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = defaultdict(list)          # (server, test) -> rows
per_rep = {}                    # (server, test, rep) -> q/cpu-s
for r in rows:
    try:
        v = float(r["q_per_cpu_s"])
    except ValueError:
        continue
    by[(r["server"], r["test"])].append(r)
    per_rep[(r["server"], r["test"], r["rep"])] = v
mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
print(f"{'server':14} {'test':10} {'reps':>4} {'q/s':>10} {'cpu %':>6} {'q/cpu-s':>10}")
for (s, t), rs in sorted(by.items()):
    qps = mean([float(r["qps"]) for r in rs])
    cpu = mean([100 * float(r["server_cpu_s"]) / float(r["wall_s"]) for r in rs])
    per = mean([float(r["q_per_cpu_s"]) for r in rs])
    print(f"{s:14} {t:10} {len(rs):4d} {qps:10.0f} {cpu:6.0f} {per:10.0f}")
print()
for t in ("links", "links+ecs", "links-fo"):
    parts = []
    for peer in ("meridian-nolog", "gdnsd", "pdns", "echo"):
        ratios = []
        for (s, tt, rep), v in per_rep.items():
            if s != "meridian" or tt != t:
                continue
            p = per_rep.get((peer, t, rep)) or per_rep.get((peer, "links", rep))
            if p:
                ratios.append(v / p)
        if ratios:
            parts.append(f"{mean(ratios):.2f}x {peer} (reps: {', '.join(f'{x:.2f}' for x in ratios)})")
    if parts:
        print(f"meridian/{t}: " + "; ".join(parts))
print("(ratios of queries per server CPU-second; echo = bare Node dgram responder, the Node ceiling)")
