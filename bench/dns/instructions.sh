#!/usr/bin/env bash
# instructions.sh - CPU instructions per answered query, Meridian vs gdnsd, counted by valgrind
# (callgrind's Ir: every instruction the server process executes, all its threads, kernel
# excluded). Unlike timings, the counts do not depend on what else the machine runs.
#
# Each server runs under `valgrind --tool=callgrind --instr-atstart=no` (the real process: Node
# with its JIT, gdnsd as packaged). Per server: WARM queries of each query file with
# instrumentation off (Node's JIT warms up; valgrind stays fast), instrumentation on, then an
# idle phase of IDLE seconds (timers, health probes: the idle rate), then for each query file
# (links, links+ecs, links-fo) counters zeroed, dnsperf sends N queries (-q Q outstanding), and
# the count is read. Instructions per query = (count − idle rate × phase seconds) ÷ answered
# queries. dnsperf is not counted (another process).
#
# Knobs: N (20000), WARM (20000, sent with -q 100), Q (dnsperf outstanding while counting, 100;
# smaller Q means smaller batches), IDLE (seconds, 5), OUT, NODE_FLAGS
# (e.g. --perf-basic-prof: /tmp/perf-PID.map names the JIT code in the callgrind dumps),
# SERVERS ("meridian gdnsd"; add meridian-nolog for `--no-decision-log`, the decision log's cost), UDP_IO (Meridian's --udp-io, auto). Ports as run-bench.sh: gdnsd
# 15301, meridian 15305 (+admin 15307); health endpoints 127.0.{1,2,3}.1:18080. Every process
# started here is stopped by its PID.
set -u
BASE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BASE/../.." && pwd)
PEERS=$BASE/peers
N=${N:-20000}
WARM=${WARM:-20000}
Q=${Q:-100}
IDLE=${IDLE:-5}
SERVERS=${SERVERS:-"meridian gdnsd"}
TS=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-/tmp/meridian-bench-dns-instructions/$TS}
VAR=$OUT/var
ECS_OPT="-E 8:00011800c63364" # family 1, source /24, scope 0, 198.51.100.0
mkdir -p "$OUT"/{dnsperf,logs} "$VAR"
exec > >(tee -a "$OUT/run.log") 2>&1
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

for b in valgrind callgrind_control gdnsd dnsperf dig node python3; do
  command -v $b >/dev/null || { log "missing $b (npm run bench:dns installs gdnsd and dnsperf)"; exit 1; }
done

declare -A PID
tree_pids() { local p=$1 c; echo "$p"; for c in $(pgrep -P "$p"); do tree_pids "$c"; done; }
stop_proc() {
  local name=$1 p=${PID[$1]:-} i q left tree
  [ -z "$p" ] && return 0
  tree=$(tree_pids "$p"); kill "$p" 2>/dev/null
  for i in $(seq 300); do
    left=""; for q in $tree; do kill -0 "$q" 2>/dev/null && left="$left $q"; done
    [ -z "$left" ] && break; sleep 0.1
  done
  [ -n "$left" ] && kill -9 $left 2>/dev/null
  wait "$p" 2>/dev/null; unset "PID[$name]"
}
cleanup() { local n; for n in "${!PID[@]}"; do stop_proc "$n"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
start_proc() { # start_proc NAME CMD...
  local name=$1; shift
  "$@" >> "$OUT/logs/$name.log" 2>&1 &
  PID[$name]=$!
}
wait_dns() {
  local i
  for i in $(seq 600); do
    dig @127.0.0.1 -p "$1" links.example.test A +tries=1 +time=1 2>/dev/null | grep -q 'status: NOERROR' && return 0
    sleep 0.2
  done
  log "server on port $1 did not answer"; return 1
}
render() {
  local in=$1 out=$2; shift 2
  local args=(-e "s#@VAR@#$VAR#g" -e "s#@BASE@#$PEERS#g") kv
  for kv in "$@"; do args+=(-e "s#@${kv%%=*}@#${kv#*=}#g"); done
  sed "${args[@]}" "$in" > "$out"
}
# the valgrind process is the server process (no exec in between)
ir() { callgrind_control -e Ir "$1" 2>/dev/null | awk '/^ *Th /{ gsub(",", "", $3); s += $3 } END { printf "%.0f", s }'; }
cg() { callgrind_control "$@" >/dev/null 2>&1; }
now() { date +%s.%N; }
qfile() { case $1 in links-fo) echo links-fo.txt ;; *) echo links.txt ;; esac; }
qopts() { [ "$1" = links+ecs ] && echo "$ECS_OPT"; }

TSV=$OUT/instructions.tsv
printf 'server\ttest\tanswered\tlost\tphase_s\tIr\tidle_Ir_per_s\tIr_per_query\n' > "$TSV"

measure() { # measure NAME PORT
  local name=$1 port=$2 pid=${PID[$1]} t f a0 a1 t0 t1 ir0 ir1 rate done lost per
  for t in links links+ecs links-fo; do # warm-up, uncounted
    dnsperf -s 127.0.0.1 -p "$port" -d "$PEERS/queries/$(qfile $t)" -n "$WARM" -q 100 -t 10 $(qopts $t) > /dev/null 2>&1
  done
  cg -i on "$pid"
  sleep 1
  cg -z "$pid"; t0=$(now); sleep "$IDLE"; ir0=$(ir "$pid"); t1=$(now)
  rate=$(awk -v i="$ir0" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", i / (b - a) }')
  log "$name idle: $ir0 Ir over $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s → $rate Ir/s"
  for t in links links+ecs links-fo; do
    f="$OUT/dnsperf/$name.$t.txt"
    cg -z "$pid"; t0=$(now)
    dnsperf -s 127.0.0.1 -p "$port" -d "$PEERS/queries/$(qfile $t)" -n "$N" -q "$Q" -t 10 $(qopts $t) > "$f" 2>&1
    ir1=$(ir "$pid"); t1=$(now)
    done=$(awk '/Queries completed/{print $3}' "$f"); lost=$(awk '/Queries lost/{print $3}' "$f")
    per=$(awk -v i="$ir1" -v r="$rate" -v a="$t0" -v b="$t1" -v d="${done:-0}" \
      'BEGIN { if (d > 0) printf "%.0f", (i - r * (b - a)) / d; else print "nan" }')
    printf '%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\n' "$name" "$t" "${done:-0}" "${lost:-?}" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$ir1" "$rate" "$per" >> "$TSV"
    log "$name $t: ${done:-0} answered (lost ${lost:-?}), $ir1 Ir → $per Ir/query"
  done
}

log "load before: $(uptime)"
(cd "$ROOT" && npm run -s build) || { log "build failed"; exit 1; }
for r in 1 2 3; do start_proc "health$r" python3 "$PEERS/lib/health.py" "127.0.$r.1" 18080; done
sleep 0.5
VG=(valgrind --tool=callgrind --instr-atstart=no --trace-children=no --callgrind-out-file="$OUT/callgrind.%p")

for s in $SERVERS; do
  case $s in
  meridian|meridian-nolog)
    extra=(); [ "$s" = meridian-nolog ] && extra=(--no-decision-log)
    start_proc "$s" "${VG[@]}" node ${NODE_FLAGS:-} "$ROOT/bin/meridian.js" dns "$BASE/world.yaml" \
      --listen 127.0.0.1:15305 --admin 127.0.0.1:15307 --no-watch --log-level warn --udp-io "${UDP_IO:-auto}" "${extra[@]}"
    wait_dns 15305 || exit 1
    for i in $(seq 300); do # every region up (answers follow ECS)
      [ "$(dig @127.0.0.1 -p 15305 links.example.test +short +subnet=203.0.113.0/24)" = 127.0.3.1 ] && break; sleep 0.2
    done
    log "meridian udp io: $(curl -s http://127.0.0.1:15307/v1/state | python3 -c 'import json,sys; print(json.load(sys.stdin).get("udpIo"))' 2>/dev/null)"
    measure "$s" 15305
    stop_proc "$s"
    ;;
  gdnsd)
    mkdir -p "$VAR/gdnsd/etc/zones" "$VAR/gdnsd/run" "$VAR/gdnsd/state"
    cp "$PEERS/gdnsd/zones/example.test" "$VAR/gdnsd/etc/zones/"
    render "$PEERS/gdnsd/config.in" "$VAR/gdnsd/etc/config" INTERVAL=2 TIMEOUT=1 UP_THRESH=1 OK_THRESH=1 DOWN_THRESH=1
    start_proc gdnsd "${VG[@]}" gdnsd -c "$VAR/gdnsd/etc" start
    wait_dns 15301 || exit 1
    sleep 3 # monitors up
    measure gdnsd 15301
    stop_proc gdnsd
    ;;
  *) log "unknown server $s" ;;
  esac
done
for r in 1 2 3; do stop_proc "health$r"; done
log "load after: $(uptime)"
python3 - "$TSV" <<'EOF' | tee "$OUT/summary.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
per = {(r['server'], r['test']): float(r['Ir_per_query']) for r in rows if r['Ir_per_query'] != 'nan'}
print('instructions per answered query (callgrind Ir, idle rate subtracted)')
print(f"{'test':<10} {'meridian':>10} {'gdnsd':>10} {'meridian/gdnsd':>15}")
for t in ['links', 'links+ecs', 'links-fo']:
    m, g = per.get(('meridian', t)), per.get(('gdnsd', t))
    ratio = f'{m / g:.2f}' if m and g else '-'
    print(f"{t:<10} {m or 0:>10.0f} {g or 0:>10.0f} {ratio:>15}")
if any(s == 'meridian-nolog' for s, _ in per):
    print('decision log cost: instructions per query, log on (meridian) vs off (meridian-nolog)')
    for t in ['links', 'links+ecs', 'links-fo']:
        on, off = per.get(('meridian', t)), per.get(('meridian-nolog', t))
        ratio = f'{off / on:.3f}' if on and off else '-'
        print(f"{t:<10} on {on or 0:>8.0f} off {off or 0:>8.0f} queries/instruction on÷off {ratio}")
EOF
log "results in $OUT"
