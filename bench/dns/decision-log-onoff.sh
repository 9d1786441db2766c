#!/usr/bin/env bash
# decision-log-onoff.sh - meridian dns with the decision log on (port 15325) vs off (15326,
# --no-decision-log) in ONE run: both pinned to CPU 1, dnsperf on CPU 0, interleaved per query
# file and rep (6 s each); prints rep, file, side, answered, queries per server CPU-second.
# Health endpoints as run-bench.sh (127.0.{1,2,3}.1:18080, not started here). Run from anywhere.
set -u
cd "$(dirname "$0")/../.."
B=bench/dns; P=$B/peers
CLK=$(getconf CLK_TCK)
declare -A PID
taskset -c 1 node bin/meridian.js dns $B/world.yaml --listen 127.0.0.1:15325 --admin 127.0.0.1:15327 --no-watch --log-level warn > /tmp/meridian-onoff-on.log 2>&1 & PID[on]=$!
taskset -c 1 node bin/meridian.js dns $B/world.yaml --listen 127.0.0.1:15326 --admin 127.0.0.1:15328 --no-watch --log-level warn --no-decision-log > /tmp/meridian-onoff-off.log 2>&1 & PID[off]=$!
trap 'kill ${PID[on]} ${PID[off]} 2>/dev/null' EXIT
for port in 15325 15326; do for i in $(seq 100); do dig @127.0.0.1 -p $port links.example.test +tries=1 +time=1 | grep -q NOERROR && break; sleep 0.2; done; done
ticks() { sed 's/.*) //' /proc/$1/stat | awk '{print $12+$13}'; }
echo "load before: $(uptime)"
for rep in 1 2 3; do
 for t in links links+ecs links-fo; do
  q=links.txt; extra=""; [ $t = links-fo ] && q=links-fo.txt; [ $t = links+ecs ] && extra="-E 8:00011800c63364"
  for side in on off; do
   port=15325; [ $side = off ] && port=15326
   a=$(ticks ${PID[$side]})
   out=$(taskset -c 0 dnsperf -s 127.0.0.1 -p $port -d $P/queries/$q -l 6 -c 10 -q 100 -t 5 $extra 2>&1)
   b=$(ticks ${PID[$side]})
   done_=$(echo "$out" | awk '/Queries completed/{print $3}')
   echo "$rep $t $side $done_ $(awk -v d=$done_ -v t=$((b-a)) -v k=$CLK 'BEGIN{printf "%.0f", d/(t/k)}')"
  done
 done
done
echo "load after: $(uptime)"
