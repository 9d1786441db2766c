#!/usr/bin/env python3
"""summarize.py SUMMARY.tsv: best rep per (server, test), and Meridian's ratios to the peers."""
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
best = {}
for r in rows:
    try:
        per = float(r["q_per_cpu_s"])
    except ValueError:
        continue
    key = (r["server"], r["test"])
    if key not in best or per > float(best[key]["q_per_cpu_s"]):
        best[key] = r
print(f"{'server':10} {'test':10} {'q/s':>10} {'cpu s':>7} {'wall s':>7} {'q/cpu-s':>10}")
for (s, t), r in sorted(best.items()):
    print(f"{s:10} {t:10} {float(r['qps']):10.0f} {float(r['server_cpu_s']):7.2f} {float(r['wall_s']):7.2f} {float(r['q_per_cpu_s']):10.0f}")
print()
for t in ("links", "links+ecs", "links-fo"):
    m = best.get(("meridian", t))
    if not m:
        continue
    parts = []
    for peer in ("gdnsd", "pdns", "echo"):
        p = best.get((peer, t)) or best.get((peer, "links"))
        if p and float(p["q_per_cpu_s"]) > 0:
            parts.append(f"{float(m['q_per_cpu_s']) / float(p['q_per_cpu_s']):.2f}x {peer}")
    print(f"meridian/{t}: " + ", ".join(parts) + "  (queries per server CPU-second)")
