#!/usr/bin/env bash
# run-bench.sh - Meridian's DNS server side by side with gdnsd and PowerDNS LUA records (and a
# bare Node dgram echo as the ceiling), in ONE run, on loopback: same zone, names, ECS subnets,
# query files and health endpoints as /work/shared/bench/peers (copied to ./peers, see NOTE.md).
# Each server is pinned to CPU $SERVER_CPU (every thread), dnsperf to CPU $CLIENT_CPU. For each
# run: queries/s from dnsperf, server CPU from /proc (utime+stime of its process tree), and
# queries per server CPU-second = answered queries / CPU seconds. Prints a summary with ratios.
#
# Knobs: DUR (dnsperf seconds, 10), REPS (2), SKIP_INSTALL=1, SERVER_CPU (1), CLIENT_CPU (0),
# OUT (results dir), NOLOG=1 (also a `meridian dns --no-decision-log` on 15308, +admin 15309,
# measured beside meridian: the decision log's cost), UDP_IO (Meridian's --udp-io: auto|batch|dgram, default auto). Ports: gdnsd 15301, pdns 15302, meridian 15305 (+admin 15307), echo 15306,
# health endpoints 127.0.{1,2,3}.1:18080. Every process started here is stopped by its PID.
set -u
BASE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BASE/../.." && pwd)
PEERS=$BASE/peers
DUR=${DUR:-10}
REPS=${REPS:-2}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
TS=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-/tmp/meridian-bench-dns/$TS}
VAR=$OUT/var
DNSPERF_OPTS=${DNSPERF_OPTS:-"-c 10 -q 100 -t 5"}
ECS_OPT="-E 8:00011800c63364"   # family 1, source /24, scope 0, 198.51.100.0
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$OUT"/{dnsperf,logs} "$VAR"
exec > >(tee -a "$OUT/run.log") 2>&1
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

declare -A PID
cleanup() { local n; for n in "${!PID[@]}"; do stop_proc "$n"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then   # keep packaged services from starting on port 53
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
    fi
    need=()
    for p in gdnsd pdns-server pdns-backend-bind dnsperf bind9-dnsutils python3 procps; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
    done
    if [ ${#need[@]} -gt 0 ]; then
        log "installing ${need[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
for b in gdnsd pdns_server dnsperf dig taskset node; do command -v $b >/dev/null || { log "missing $b"; exit 1; }; done
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3)
(cd "$ROOT" && npm run -s build) || { log "build failed"; exit 1; }

start_proc() {  # start_proc NAME CPU|- CMD...
    local name=$1 cpu=$2; shift 2
    if [ "$cpu" = - ]; then "$@" >> "$OUT/logs/$name.log" 2>&1 &
    else taskset -c "$cpu" "$@" >> "$OUT/logs/$name.log" 2>&1 & fi
    PID[$name]=$!
}
tree_pids() { local p=$1 c; echo "$p"; for c in $(pgrep -P "$p"); do tree_pids "$c"; done; }
stop_proc() {
    local name=$1 p=${PID[$1]:-} i q left tree
    [ -z "$p" ] && return 0
    tree=$(tree_pids "$p"); kill "$p" 2>/dev/null
    for i in $(seq 100); do
        left=""; for q in $tree; do kill -0 "$q" 2>/dev/null && left="$left $q"; done
        [ -z "$left" ] && break; sleep 0.1
    done
    [ -n "$left" ] && kill -9 $left 2>/dev/null
    wait "$p" 2>/dev/null; unset "PID[$name]"
}
pin_tree() { local p; for p in $(tree_pids "$1"); do taskset -a -pc "$SERVER_CPU" "$p" >/dev/null; done; }
cpu_ticks() {
    local p t=0 v
    for p in $(tree_pids "$1"); do v=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | awk '{print $12+$13}'); t=$((t + ${v:-0})); done
    echo $t
}
wait_dns() {
    local i
    for i in $(seq 200); do
        dig @127.0.0.1 -p "$1" links.example.test A +tries=1 +time=1 2>/dev/null | grep -q 'status: NOERROR' && return 0
        sleep 0.1
    done
    log "server on port $1 did not answer"; return 1
}
render() {
    local in=$1 out=$2; shift 2
    local args=(-e "s#@VAR@#$VAR#g" -e "s#@BASE@#$PEERS#g") kv
    for kv in "$@"; do args+=(-e "s#@${kv%%=*}@#${kv#*=}#g"); done
    sed "${args[@]}" "$in" > "$out"
}

SUMMARY=$OUT/summary.tsv
printf 'server\ttest\trep\tqps\tlost\tserver_cpu_s\twall_s\tq_per_cpu_s\n' > "$SUMMARY"
perf() {  # perf SERVER TEST PORT QFILE [dnsperf args]
    local server=$1 test=$2 port=$3 qfile=$4; shift 4
    local rep f a b t0 t1
    for rep in $(seq "$REPS"); do
        rep=$((${REP_BASE:-0} + rep))
        f="$OUT/dnsperf/$server.$test.$rep.$(date +%s%N).txt"
        a=$(cpu_ticks "${PID[$server]}"); t0=$(date +%s.%N)
        taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$PEERS/queries/$qfile" -l "$DUR" $DNSPERF_OPTS "$@" > "$f" 2>&1
        b=$(cpu_ticks "${PID[$server]}"); t1=$(date +%s.%N)
        local done qps lost cpu wall
        done=$(awk '/Queries completed/{print $3}' "$f"); qps=$(awk '/Queries per second/{print $4}' "$f")
        lost=$(awk '/Queries lost/{print $3}' "$f")
        cpu=$(awk -v t=$((b-a)) -v k=$CLK_TCK 'BEGIN{printf "%.2f", t/k}')
        wall=$(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}')
        local per; per=$(awk -v d="${done:-0}" -v c="$cpu" 'BEGIN{ if (c > 0) printf "%.0f", d/c; else print "nan" }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$test" "$rep" "${qps:-0}" "${lost:-?}" "$cpu" "$wall" "$per" >> "$SUMMARY"
        log "$server $test #$rep: ${qps:-0} q/s, lost ${lost:-?}, server cpu ${cpu}s over ${wall}s → $per q/cpu-s"
    done
}

log "load before: $(uptime)"
for r in 1 2 3; do start_proc "health$r" - "$PY" "$PEERS/lib/health.py" "127.0.$r.1" 18080; done
sleep 0.5

# Every server runs for the whole measurement (pinned to the same CPU, idle when not measured),
# and the runs are interleaved (rep → test → server) so that each server sees the same
# machine load as its peers; the shared machine's load drifts by the minute.

# ---- Meridian
start_proc meridian "$SERVER_CPU" node "$ROOT/bin/meridian.js" dns "$BASE/world.yaml" \
    --listen 127.0.0.1:15305 --admin 127.0.0.1:15307 --no-watch --log-level warn --udp-io "${UDP_IO:-auto}"
wait_dns 15305 || exit 1; pin_tree "${PID[meridian]}"
for i in $(seq 100); do   # wait until every region is up (answers follow ECS)
    [ "$(dig @127.0.0.1 -p 15305 links.example.test +short +subnet=203.0.113.0/24)" = 127.0.3.1 ] && break; sleep 0.1
done
dig @127.0.0.1 -p 15305 links.example.test +subnet=198.51.100.0/24 > "$OUT/meridian.check.txt"
MERIDIAN_UDP_IO=$(curl -s http://127.0.0.1:15307/v1/state | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("udpIo"), "(fallback: %s)" % d["udpIoFallback"] if d.get("udpIoFallback") else "")' 2>/dev/null)
log "meridian udp io: ${MERIDIAN_UDP_IO:-unknown} (asked: ${UDP_IO:-auto})"

if [ "${NOLOG:-0}" = 1 ]; then
start_proc meridian-nolog "$SERVER_CPU" node "$ROOT/bin/meridian.js" dns "$BASE/world.yaml" \
    --listen 127.0.0.1:15308 --admin 127.0.0.1:15309 --no-watch --log-level warn --udp-io "${UDP_IO:-auto}" --no-decision-log
wait_dns 15308 || exit 1; pin_tree "${PID[meridian-nolog]}"
for i in $(seq 100); do
    [ "$(dig @127.0.0.1 -p 15308 links.example.test +short +subnet=203.0.113.0/24)" = 127.0.3.1 ] && break; sleep 0.1
done
fi

# ---- gdnsd (fastest monitor settings it accepts, as run-peers.sh)
mkdir -p "$VAR/gdnsd/etc/zones" "$VAR/gdnsd/run" "$VAR/gdnsd/state"
cp "$PEERS/gdnsd/zones/example.test" "$VAR/gdnsd/etc/zones/"
render "$PEERS/gdnsd/config.in" "$VAR/gdnsd/etc/config" INTERVAL=2 TIMEOUT=1 UP_THRESH=1 OK_THRESH=1 DOWN_THRESH=1
start_proc gdnsd "$SERVER_CPU" gdnsd -c "$VAR/gdnsd/etc" start
wait_dns 15301 || exit 1; pin_tree "${PID[gdnsd]}"
dig @127.0.0.1 -p 15301 links.example.test +subnet=198.51.100.0/24 > "$OUT/gdnsd.check.txt"

# ---- PowerDNS LUA records, packet cache off (the policy runs per query)
mkdir -p "$VAR/pdns/run"
render "$PEERS/pdns/pdns.conf.in" "$VAR/pdns/pdns.conf" INTERVAL=1 CACHE_TTL=0 LOGLEVEL=4
render "$PEERS/pdns/named.conf.in" "$VAR/pdns/named.conf"
start_proc pdns "$SERVER_CPU" pdns_server --config-dir="$VAR/pdns"
wait_dns 15302 || exit 1; pin_tree "${PID[pdns]}"
dig @127.0.0.1 -p 15302 links.example.test +subnet=198.51.100.0/24 > "$OUT/pdns.check.txt"

# ---- ceiling: bare Node dgram echo
start_proc echo "$SERVER_CPU" node "$BASE/echo-server.mjs" 15306
sleep 3; pin_tree "${PID[echo]}"

ALL_REPS=$REPS; REPS=1
for rep in $(seq "$ALL_REPS"); do
    REP_BASE=$((rep - 1))
    for t in links links+ecs links-fo; do
        q=links.txt; extra=""
        [ $t = links-fo ] && q=links-fo.txt
        [ $t = links+ecs ] && extra=$ECS_OPT
        perf meridian "$t" 15305 "$q" $extra
        [ "${NOLOG:-0}" = 1 ] && perf meridian-nolog "$t" 15308 "$q" $extra
        perf gdnsd    "$t" 15301 "$q" $extra
        perf pdns     "$t" 15302 "$q" $extra
        [ $t = links ] && perf echo links 15306 links.txt
    done
done
curl -s http://127.0.0.1:15307/metrics > "$OUT/meridian.metrics.txt" 2>/dev/null
curl -s http://127.0.0.1:15307/v1/state > "$OUT/meridian.state.json" 2>/dev/null
for n in meridian meridian-nolog gdnsd pdns echo; do stop_proc $n; done

for r in 1 2 3; do stop_proc "health$r"; done
log "load after: $(uptime)"
"$PY" "$BASE/summarize.py" "$SUMMARY" | tee "$OUT/summary.txt"
echo "meridian udp io: ${MERIDIAN_UDP_IO:-unknown}" | tee -a "$OUT/summary.txt"
log "results in $OUT"
