#!/usr/bin/env bash
# Loads Linkline on bbolt and on PostgreSQL with the same load generator,
# each server a `linkline serve` process of its own, for docs/benchmarks.md.
#
#   scripts/pgbench.sh MODE [RATE] [DURATION] [extra loadgen flags...]
#
# MODE: bolt (one server, bbolt file), pg1 (one server, PostgreSQL), pg2
# (two servers on one PostgreSQL database, loaded in turn as a round-robin
# load balancer would), pg2kill (pg2, and the leader is killed with
# SIGKILL halfway through the run). LINKLINE_BENCH_PG names the server
# (default postgres://postgres@127.0.0.1:5432); the database
# linkline_bench is dropped and made afresh. On PostgreSQL it also prints
# the WAL written during the run (the whole cluster's: other databases'
# writes count too), each instance's retried transactions (the
# linkline_store_retries_total counters of its /metrics at the end of the
# run) and the lock waits: pg_stat_activity sampled every 0.2 s from the
# warm-up to the end of the drain by one psql session, counting the
# benchmark database's backends waiting on a heavyweight lock
# (wait_event_type Lock), and the statements they waited in.
set -euo pipefail
mode=${1:?mode: bolt, pg1, pg2 or pg2kill}
rate=${2:-200}
dur=${3:-20s}
shift $(( $# < 3 ? $# : 3 ))
bin=${LLBIN:-/tmp/llbin}
[ -x "$bin" ] || go build -o "$bin" ./cmd/linkline
work=$(mktemp -d)
pgbase=${LINKLINE_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
case $mode in
bolt) db=$work/linkline.db; n=1 ;;
pg1 | pg2 | pg2kill)
  psql "$pgbase/postgres" -qc "DROP DATABASE IF EXISTS linkline_bench WITH (FORCE)" -c "CREATE DATABASE linkline_bench"
  db="$pgbase/linkline_bench?sslmode=disable${LINKLINE_BENCH_PARAMS:-}"
  n=1; [ "$mode" != pg1 ] && n=2 ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
# cpu prints the CPU seconds (user + system) the given processes have used.
cpu() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'
}
pgcpu0=$(cpu $(pgrep -x postgres || true))
lsn0=""
[ "$mode" != bolt ] && lsn0=$(psql "$pgbase/postgres" -Atc "SELECT pg_current_wal_lsn()")
samples=$work/activity.txt
if [ "$mode" != bolt ]; then
  # One row per sample ('tick') and one per busy backend: what it waits
  # for (a lock, IO, ...; 'CPU' when running, 'client' when idle in a
  # transaction, waiting for Linkline's next statement) and the statement.
  printf '%s\n\\watch 0.2\n' "SELECT 'tick', '' UNION ALL SELECT CASE WHEN state LIKE 'idle in transaction%' THEN 'client' ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') END, left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_activity WHERE datname = 'linkline_bench' AND pid <> pg_backend_pid() AND state <> 'idle'" |
    psql "$pgbase/postgres" -qAt -F '|' >"$samples" 2>/dev/null &
  sampler=$!
fi
urls=""
for i in $(seq 1 $n); do urls="$urls,http://127.0.0.1:$((18080 + i))"; done
urls=${urls#,}
"$bin" loadgen --fake-twilio --url "$urls" --rate "$rate" --duration "$dur" --numbers 2000 "$@" >"$work/loadgen.out" 2>&1 &
lg=$!
for _ in $(seq 1 100); do grep -q "TWILIO_API_URL" "$work/loadgen.out" && break; sleep 0.1; done
eval "export $(grep -o 'TWILIO_API_URL=[^ ]* TWILIO_ACCOUNT_SID=[^ ]* TWILIO_AUTH_TOKEN=[^ ]* TWILIO_FROM_NUMBER=[^ ]*' "$work/loadgen.out")"
pids=()
for i in $(seq 1 $n); do
  LINKLINE_DB=$db LINKLINE_ADDR=127.0.0.1:$((18080 + i)) LINKLINE_PUBLIC_URL=http://127.0.0.1:$((18080 + i)) \
    TWILIO_RATE=10000 LINKLINE_MFA=off LINKLINE_LOG_LEVEL=info LINKLINE_METRICS_TOKEN=bench "$bin" serve 2>"$work/serve$i.log" &
  pids+=($!)
  [ "$i" = 1 ] && [ "$n" -gt 1 ] && sleep 2 # the first to start leads
done
if [ "$mode" = pg2kill ]; then
  # Halfway through the measured run (after the warm-up), kill the leader.
  # Run it with --warmup=false, so that the run starts at once.
  until grep -q "^loadgen:" "$work/loadgen.out"; do sleep 0.1; done
  leader=""
  for i in $(seq 1 $n); do grep -q ' leading lease=' "$work/serve$i.log" && leader=$i; done
  secs=${dur%s}
  sleep $((secs / 2))
  echo "kill -9 of instance $leader (pid ${pids[$((leader - 1))]}) at $(date -u +%T.%N)"
  kill -9 "${pids[$((leader - 1))]}"
fi
wait $lg || true
[ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
cat "$work/loadgen.out"
# Retries: transactions each instance ran again after a lost race, by
# reason (a killed instance has none to give).
for i in $(seq 1 $n); do
  r=$(curl -sf -H "Authorization: Bearer bench" "http://127.0.0.1:$((18080 + i))/metrics" | grep '^linkline_store_retries_total' | sed 's/^linkline_store_retries_total{reason="\([a-z]*\)"} /\1 /' | paste -sd, - | sed 's/,/, /g' || true)
  echo "retries, instance $i: ${r:-none reported}"
done
if [ -s "$samples" ]; then
  awk -F'|' '$1 == "tick" { ticks++; next } { busy++; kind[$1]++; if ($1 ~ /^Lock:/) { locks++; stmt[$2]++ } }
    END {
      printf "lock waits: %d of %d busy-backend samples, %d samples every 0.2 s (%.2f backends waiting on a lock on average)\n", locks, busy, ticks, ticks ? locks / ticks : 0
      printf "busy backends by what they waited for, most first: "; fflush()
      by = "sort -rn | head -6 | paste -sd, - | sed \"s/,/, /g\""
      for (k in kind) print kind[k], k | by
      close(by)
      print "lock waits by statement:"; fflush()
      top = "sort -rn | head -4"
      for (q in stmt) printf "  %6d  %s\n", stmt[q], q | top
      close(top)
    }' "$samples"
fi
# The CPU split: Linkline's processes against PostgreSQL's (its backends
# that lived through the run; on bolt PostgreSQL's figure is whatever else
# the machine's server did meanwhile).
echo "CPU seconds: linkline $(cpu "${pids[@]}"), postgres $(awk -v a="$(cpu $(pgrep -x postgres || true))" -v b="$pgcpu0" 'BEGIN { printf "%.1f", a - b }') (backends alive at the end)"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
grep -h 'leading' "$work"/serve*.log | cut -c1-200 || true
if [ -n "$lsn0" ]; then
  psql "$pgbase/postgres" -Atc "SELECT 'WAL written: ' || pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn0') || ' bytes'"
  psql "$pgbase/linkline_bench" -Atc "SELECT 'outbox rows: ' || count(*) || ', messages: ' || (SELECT count(*) FROM messages) FROM outbox"
fi
echo "logs in $work"
