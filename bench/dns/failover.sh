#!/usr/bin/env bash
# failover.sh - seconds from a region's /healthz dying to answers excluding it ("detect"), and
# from its restart to answers including it again ("recover"), for Meridian at the world's
# default probe settings (500 ms interval, 300 ms timeout, rise 2, fall 2) and at the fastest
# (50 ms, 100 ms, 1, 1). Same method as the shared peers kit (run-peers.sh `failover`): the
# health endpoint of r1 is killed at a random phase, `lib/poll.py` digs every 100 ms.
# Then gdnsd (interval 2 s) and PowerDNS LUA (interval 1 s) the same way (PEERS_TOO=0 skips).
# Knobs: FO_TRIALS (8). Ports: meridian 15308, gdnsd 15301, pdns 15302, health endpoints
# 127.0.{1,2,3}.1:18090.
set -u
BASE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BASE/../.." && pwd)
PEERS=$BASE/peers
FO_TRIALS=${FO_TRIALS:-8}
OUT=${OUT:-/tmp/meridian-bench-dns/failover-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/logs"
exec > >(tee -a "$OUT/run.log") 2>&1
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3)
declare -A PID
cleanup() { local n; for n in "${!PID[@]}"; do kill "${PID[$n]}" 2>/dev/null; wait "${PID[$n]}" 2>/dev/null; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
(cd "$ROOT" && npm run -s build) || exit 1
start_health() { "$PY" "$PEERS/lib/health.py" "127.0.$1.1" 18090 >> "$OUT/logs/health$1.log" 2>&1 & PID[health$1]=$!; }
for r in 1 2 3; do start_health $r; done
sleep 0.5

printf 'settings\ttrial\tdetect_s\trecover_s\n' > "$OUT/failover.tsv"
trials() {  # trials NAME PORT: FO_TRIALS kill/restart cycles of r1's endpoint against the server on PORT
    local name=$1 port=$2 i t0 d r ds rs
    for i in $(seq 100); do dig @127.0.0.1 -p "$port" links-fo.example.test +short 2>/dev/null | grep -q 127.0.1.1 && break; sleep 0.1; done
    for i in $(seq "$FO_TRIALS"); do
        "$PY" "$PEERS/lib/poll.py" --port "$port" --name links-fo.example.test --addr 127.0.1.1 --mode back \
            --t0 "$(date +%s.%N)" --timeout 60 > /dev/null
        sleep "$("$PY" -c 'import random; print("%.2f" % random.uniform(0, 2))')"
        t0=$(date +%s.%N); kill "${PID[health1]}"; wait "${PID[health1]}" 2>/dev/null
        d=$("$PY" "$PEERS/lib/poll.py" --port "$port" --name links-fo.example.test --addr 127.0.1.1 --mode gone \
            --t0 "$t0" --timeout 60 --log "$OUT/logs/$name.trial$i.down.log")
        sleep "$("$PY" -c 'import random; print("%.2f" % (1 + random.uniform(0, 2)))')"
        t0=$(date +%s.%N); start_health 1
        r=$("$PY" "$PEERS/lib/poll.py" --port "$port" --name links-fo.example.test --addr 127.0.1.1 --mode back \
            --t0 "$t0" --timeout 90 --log "$OUT/logs/$name.trial$i.up.log")
        ds=$(echo "$d" | sed 's/.*first=\([^ ]*\).*/\1/'); rs=$(echo "$r" | sed 's/.*first=\([^ ]*\).*/\1/')
        printf '%s\t%s\t%s\t%s\n' "$name" "$i" "$ds" "$rs" >> "$OUT/failover.tsv"
        log "$name trial $i: detect $ds s, recover $rs s"
    done
}
stop() { kill "${PID[$1]}" 2>/dev/null; wait "${PID[$1]}" 2>/dev/null; unset "PID[$1]"; }

for settings in "meridian-default:{ path: /healthz, intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 }" \
                "meridian-fastest:{ path: /healthz, intervalMs: 50, timeoutMs: 100, rise: 1, fall: 1 }"; do
    name=${settings%%:*}; health=${settings#*:}
    sed -e "s/port: 18080/port: 18090/" -e "s#^health: .*#health: $health#" "$BASE/world.yaml" > "$OUT/world-$name.yaml"
    node "$ROOT/bin/meridian.js" dns "$OUT/world-$name.yaml" --listen 127.0.0.1:15308 --admin off --no-watch \
        --log-level info >> "$OUT/logs/$name.log" 2>&1 &
    PID[meridian]=$!
    trials "$name" 15308
    stop meridian
done

if [ "${PEERS_TOO:-1}" = 1 ] && command -v gdnsd >/dev/null && command -v pdns_server >/dev/null; then
    # the peers at the fastest settings they accept (as run-peers.sh), health port moved to 18090
    VAR=$OUT/var; mkdir -p "$VAR/gdnsd/etc/zones" "$VAR/gdnsd/run" "$VAR/gdnsd/state" "$VAR/pdns/run" "$VAR/peers/pdns"
    cp "$PEERS/gdnsd/zones/example.test" "$VAR/gdnsd/etc/zones/"
    sed -e "s#@VAR@#$VAR#g" -e 's/@INTERVAL@/2/; s/@TIMEOUT@/1/; s/@UP_THRESH@/1/; s/@OK_THRESH@/1/; s/@DOWN_THRESH@/1/' \
        -e 's/port => 18080/port => 18090/' "$PEERS/gdnsd/config.in" > "$VAR/gdnsd/etc/config"
    gdnsd -c "$VAR/gdnsd/etc" start >> "$OUT/logs/gdnsd.log" 2>&1 &
    PID[gdnsd]=$!
    trials gdnsd-int2 15301
    stop gdnsd
    sed 's/:18080/:18090/g' "$PEERS/pdns/example.test.zone" > "$VAR/peers/pdns/example.test.zone"
    sed -e "s#@VAR@#$VAR#g" -e 's/@INTERVAL@/1/; s/@CACHE_TTL@/0/; s/@LOGLEVEL@/4/' "$PEERS/pdns/pdns.conf.in" > "$VAR/pdns/pdns.conf"
    sed -e "s#@VAR@#$VAR#g" -e "s#@BASE@#$VAR/peers#g" "$PEERS/pdns/named.conf.in" > "$VAR/pdns/named.conf"
    pdns_server --config-dir="$VAR/pdns" >> "$OUT/logs/pdns.log" 2>&1 &
    PID[pdns]=$!
    sleep 3
    trials pdns-int1 15302
    stop pdns
fi
"$PY" - "$OUT/failover.tsv" <<'PYEOF' | tee "$OUT/summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for name in sorted({r["settings"] for r in rows}):
    for col in ("detect_s", "recover_s"):
        v = sorted(float(r[col]) for r in rows if r["settings"] == name and r[col] not in ("TIMEOUT", ""))
        if v:
            print(f"{name:17} {col:10} n={len(v)} min={v[0]:.2f} p50={statistics.median(v):.2f} max={v[-1]:.2f}")
PYEOF
log "results in $OUT (poll period 0.1 s: figures include up to 0.1 s of polling and a dig round trip)"
