#!/usr/bin/env bash
# Soak: runs `linkline serve` as its own process on a fresh bbolt file,
# against a fake Twilio and a fake Telegram (both started by
# `linkline loadgen`, which also drives the load), for SOAK_DURATION at a
# steady, realistic rate; scrapes /metrics every SOAK_SCRAPE into a CSV; and
# at the end compares the first window with the last for memory, goroutines
# and open files. Exit status 0 when they stayed flat, 1 when something grew.
# Not part of the normal test run: it takes an hour by default.
#
#   scripts/soak.sh                                  # 1 hour, 5 SMS/s + 1 Telegram/s
#   SOAK_DURATION=2m scripts/soak.sh                 # a quick check of the script
#   SOAK_RATE=20 SOAK_DIR=/tmp/soak scripts/soak.sh  # faster, keep the files in /tmp/soak
#
# Settings (environment):
#   SOAK_DURATION    how long the load runs (Go duration: 90s, 10m, 1h)      1h
#   SOAK_RATE        inbound SMS per second                                 5
#   SOAK_NUMBERS     distinct SMS numbers, each going through a             1000
#                    self-referral, RESTART, and again
#   SOAK_TG_RATE     inbound Telegram messages per second (0: none)         1
#   SOAK_TG_CHATS    distinct Telegram chats                                200
#   SOAK_TWILIO_RATE the server's TWILIO_RATE (SMS sent per second)         50
#   SOAK_SCRAPE      seconds between scrapes                                30 (5 under 10m)
#   SOAK_WINDOW      seconds of the first and last windows compared        600 (a quarter under 40m)
#   SOAK_DIR         where the binary, database, logs and CSV go            a new /tmp/soak.XXXXXX
#   SOAK_CSV         the CSV                                                $SOAK_DIR/soak.csv
#
# CSV columns: time, elapsed_s, rss_bytes (process_resident_memory_bytes:
# includes the database's memory-mapped pages, which grow with the file),
# rss_anon_bytes (from /proc/PID/status: the process's own memory),
# heap_inuse_bytes, heap_alloc_bytes, goroutines, open_fds, outbox_depth,
# handoffs_open, inbound_total, outbound_total, handle_p99_s (upper bucket
# bound of the 99th percentile of Handle since the previous scrape), db_bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${SOAK_DURATION:-1h}
rate=${SOAK_RATE:-5}
numbers=${SOAK_NUMBERS:-1000}
tg_rate=${SOAK_TG_RATE:-1}
tg_chats=${SOAK_TG_CHATS:-200}
twilio_rate=${SOAK_TWILIO_RATE:-50}

# seconds converts a Go duration made of h, m and s parts to whole seconds.
seconds() {
	local d=$1 total=0 n
	while [[ $d =~ ^([0-9]+)([hms])(.*)$ ]]; do
		n=${BASH_REMATCH[1]}
		case ${BASH_REMATCH[2]} in
		h) total=$((total + n * 3600)) ;;
		m) total=$((total + n * 60)) ;;
		s) total=$((total + n)) ;;
		esac
		d=${BASH_REMATCH[3]}
	done
	if [ -n "$d" ] || [ "$total" -le 0 ]; then
		echo "soak: SOAK_DURATION=$1: use whole h, m and s, e.g. 1h or 2m30s" >&2
		exit 2
	fi
	echo "$total"
}
dur_s=$(seconds "$duration")
scrape=${SOAK_SCRAPE:-$([ "$dur_s" -lt 600 ] && echo 5 || echo 30)}
window=${SOAK_WINDOW:-$([ "$dur_s" -lt 2400 ] && echo $((dur_s / 4)) || echo 600)}

dir=${SOAK_DIR:-$(mktemp -d /tmp/soak.XXXXXX)}
mkdir -p "$dir"
csv=${SOAK_CSV:-$dir/soak.csv}
bin=$dir/linkline
db=$dir/soak.db
token=soak-$RANDOM$RANDOM

echo "soak: building into $dir"
go build -o "$bin" ./cmd/linkline

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
public=http://127.0.0.1:$port

load_pid= srv_pid=
cleanup() {
	[ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

# The load generator starts the fakes first and prints their settings; it
# then waits (up to 30 s) for the server to answer /healthz.
tg_flags=()
if [ "$tg_rate" != 0 ]; then
	tg_flags=(--fake-telegram --telegram-rate "$tg_rate" --telegram-chats "$tg_chats")
fi
"$bin" loadgen --url "$public" --fake-twilio "${tg_flags[@]}" --rate "$rate" --duration "$duration" \
	--numbers "$numbers" --concurrency 16 --warmup=false --drain 60s >"$dir/loadgen.out" 2>&1 &
load_pid=$!
for _ in $(seq 100); do
	grep -q '^fake Twilio:' "$dir/loadgen.out" && { [ "$tg_rate" = 0 ] || grep -q '^fake Telegram:' "$dir/loadgen.out"; } && break
	sleep 0.1
done
# "fake Twilio: TWILIO_API_URL=... TWILIO_ACCOUNT_SID=... TWILIO_AUTH_TOKEN=... TWILIO_FROM_NUMBER=..."
read -r -a twilio_env <<<"$(sed -n 's/^fake Twilio: //p' "$dir/loadgen.out")"
twilio_api=$(sed -n 's/^fake Twilio: TWILIO_API_URL=\([^ ]*\) .*/\1/p' "$dir/loadgen.out")
[ -n "$twilio_api" ] || { echo "soak: the load generator did not start its fake Twilio:" >&2; cat "$dir/loadgen.out" >&2; exit 1; }
tg_env=()
if [ "$tg_rate" != 0 ]; then
	tg_env=("$(sed -n 's/^fake Telegram: \(TELEGRAM_API_URL=[^ ]*\) .*/\1/p' "$dir/loadgen.out")"
		"$(sed -n 's/^fake Telegram: .* \(TELEGRAM_BOT_TOKEN=.*\)/\1/p' "$dir/loadgen.out")")
fi

env LINKLINE_DB="$db" LINKLINE_ADDR="127.0.0.1:$port" LINKLINE_PUBLIC_URL="$public" \
	LINKLINE_METRICS_TOKEN="$token" LINKLINE_LOG_LEVEL=warn \
	TWILIO_RATE="$twilio_rate" "${twilio_env[@]}" "${tg_env[@]}" "$bin" serve 2>"$dir/server.log" &
srv_pid=$!

echo "soak: server pid $srv_pid on $public, $rate SMS/s from $numbers numbers and $tg_rate Telegram/s from $tg_chats chats for $duration"
echo "soak: scraping every ${scrape}s into $csv; logs in $dir"
echo "time,elapsed_s,rss_bytes,rss_anon_bytes,heap_inuse_bytes,heap_alloc_bytes,goroutines,open_fds,outbox_depth,handoffs_open,inbound_total,outbound_total,handle_p99_s,db_bytes" >"$csv"

prev=$dir/prev-buckets
: >"$prev"
start=$(date +%s)
scrape_once() {
	local page anon
	page=$(curl -sf -H "Authorization: Bearer $token" "$public/metrics") || return 0
	anon=$(awk '/^RssAnon:/ {print $2 * 1024}' "/proc/$srv_pid/status" 2>/dev/null || echo "")
	printf '%s\n' "$page" | awk -v now="$(date -u +%FT%TZ)" -v el=$(($(date +%s) - start)) \
		-v anon="$anon" -v db="$(stat -c %s "$db" 2>/dev/null || echo 0)" -v prevf="$prev" '
		BEGIN { while ((getline l < prevf) > 0) { split(l, a, " "); prevb[a[1]] = a[2] } }
		$1 == "process_resident_memory_bytes" { rss = $2 }
		$1 == "go_memstats_heap_inuse_bytes" { inuse = $2 }
		$1 == "go_memstats_heap_alloc_bytes" { alloc = $2 }
		$1 == "go_goroutines" { gr = $2 }
		$1 == "process_open_fds" { fds = $2 }
		$1 == "linkline_outbox_depth" { depth = $2 }
		$1 == "linkline_handoffs_open" { hand = $2 }
		$1 ~ /^linkline_inbound_total/ { inb += $2 }
		$1 ~ /^linkline_outbound_total/ { outb += $2 }
		$1 ~ /^linkline_handle_seconds_bucket/ {
			le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le)
			order[++nb] = le; cum[le] = $2
		}
		END {
			total = cum["+Inf"] - prevb["+Inf"]; p99 = ""
			if (total > 0) {
				for (i = 1; i <= nb; i++) if (cum[order[i]] - prevb[order[i]] >= 0.99 * total) { p99 = order[i]; break }
			}
			for (i = 1; i <= nb; i++) print order[i], cum[order[i]] > prevf
			printf "%s,%d,%.0f,%s,%.0f,%.0f,%d,%d,%d,%d,%d,%d,%s,%d\n", now, el, rss, anon, inuse, alloc, gr, fds, depth, hand, inb, outb, p99, db
		}' >>"$csv"
}

while kill -0 "$load_pid" 2>/dev/null; do
	scrape_once
	# Sleep in small steps so the end of the load is noticed promptly.
	for _ in $(seq "$scrape"); do
		kill -0 "$load_pid" 2>/dev/null || break
		sleep 1
	done
done
scrape_once
load_status=0
wait "$load_pid" || load_status=$?
load_pid=
kill -TERM "$srv_pid"
srv_status=0
wait "$srv_pid" || srv_status=$?
srv_pid=

echo
echo "== load generator"
cat "$dir/loadgen.out"
# The load generator closes the fake Telegram before the server stops, so
# one failed getUpdates at the very end is expected.
echo "== server: exit status $srv_status; $(grep -c '"level":"ERROR"' "$dir/server.log" || true) error lines, $(grep -c '"level":"WARN"' "$dir/server.log" || true) warnings in $dir/server.log (a getUpdates EOF at the end is the fake Telegram closing first)"
grep '"level":"ERROR"' "$dir/server.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -5 || true
echo
verdict=0
echo "== first ${window}s against last ${window}s (averages), max over the run"
awk -F, -v w="$window" '
	NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
	{ n++; for (i = 1; i <= NF; i++) v[n, i] = $i; el[n] = $2 }
	END {
		end = el[n]
		cols = "3 4 5 6 7 8 9 13"
		split(cols, c, " ")
		printf "%-18s %14s %14s %14s %8s\n", "metric", "first", "last", "max", "change"
		bad = ""
		for (k = 1; k in c; k++) {
			i = c[k]; fs = fn = ls = ln = mx = 0
			for (r = 1; r <= n; r++) {
				x = v[r, i]; if (x == "") continue
				if (x + 0 > mx) mx = x + 0
				if (el[r] <= w) { fs += x; fn++ }
				if (el[r] >= end - w) { ls += x; ln++ }
			}
			if (fn == 0 || ln == 0) continue
			f = fs / fn; l = ls / ln
			ch = f > 0 ? sprintf("%+.0f%%", (l - f) / f * 100) : "-"
			if (name[i] ~ /_bytes$/) { unit = "MiB"; f /= 1048576; l /= 1048576; mx /= 1048576 } else unit = ""
			printf "%-18s %14.2f %14.2f %14.2f %8s %s\n", name[i], f, l, mx, ch, unit
			if (unit != "") { f *= 1048576; l *= 1048576 }
			# Flat: memory within 10% or 8 MiB of the first window; goroutines
			# and open files within a handful (connections come and go).
			if (name[i] == "rss_anon_bytes" || name[i] == "heap_inuse_bytes" || name[i] == "heap_alloc_bytes") {
				if (l > f * 1.10 && l - f > 8 * 1048576) bad = bad " " name[i]
			} else if (name[i] == "goroutines" || name[i] == "open_fds") {
				if (l - f > 3) bad = bad " " name[i]
			} else if (name[i] == "outbox_depth") {
				if (l > f + 50) bad = bad " " name[i]
			}
		}
		printf "%-18s %14s %14s\n", "inbound_total", v[1, 11], v[n, 11]
		printf "%-18s %14s %14s\n", "outbound_total", v[1, 12], v[n, 12]
		printf "%-18s %14s %14s\n", "db_bytes", v[1, 14], v[n, 14]
		print ""
		if (bad == "") print "VERDICT: flat (" n " samples over " end " s; memory within 10% or 8 MiB, goroutines and open files within 3, outbox not backing up)"
		else print "VERDICT: GROWING:" bad
		exit (bad != "")
	}' "$csv" || verdict=$?
[ "$load_status" -eq 0 ] || { echo "soak: the load generator failed (status $load_status)" >&2; exit 1; }
[ "$srv_status" -eq 0 ] || { echo "soak: the server did not stop cleanly (status $srv_status)" >&2; exit 1; }
exit "$verdict"
