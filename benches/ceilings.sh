#!/usr/bin/env bash
# The relay's throughput next to what this machine allows, in one run:
#   1. Postfix's smtp-sink (accepts and discards) driven by the load tool:
#      the SMTP ceiling;
#   2. pgbench, one ~4 KB row per transaction at the same client count, in
#      a scratch database: Postgres's ceiling;
#   3. SQLite in WAL mode with synchronous=FULL (as src/store/sqlite.rs
#      opens it), one ~4 KB row per transaction at the same concurrency;
#   4. the relay (release build) on Postgres and on SQLite under the load
#      tool, then again with bad clients mixed in.
# Prints a table of each figure and its ratio to its ceiling and writes it
# as Markdown to $OUT/ceilings.md (for docs/performance.md). Installs
# Postfix, pgbench and sqlite3 when missing (Debian, as root).
#   benches/ceilings.sh
#   CONCURRENCY=32 CONVERSATIONS=320 MESSAGES=10 SIZE=4096 benches/ceilings.sh
#   TABLE_ONLY=1 benches/ceilings.sh     # write the table again from $OUT
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-8}
CONVERSATIONS=${CONVERSATIONS:-320}
MESSAGES=${MESSAGES:-10}
SIZE=${SIZE:-4096}
MIX=${MIX:-plain=40,html=20,attachment=10,contact=30}
BAD_EVERY=${BAD_EVERY:-20}
DRAIN=${DRAIN:-300}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
SQLITE_ROWS=${SQLITE_ROWS:-20000}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
OUT=${OUT:-target/ceilings}
SINK_PORT=${SINK_PORT:-25251}
TOTAL=$((CONVERSATIONS * MESSAGES))

say() { echo "ceilings: $*" >&2; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

install() {
  if [ "$(id -u)" -ne 0 ]; then
    say "missing $*; run: sudo apt-get install -y $*"
    exit 1
  fi
  say "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v smtp-sink >/dev/null 2>&1 || [ -x /usr/sbin/smtp-sink ] || install postfix
pgbench --version >/dev/null 2>&1 || install postgresql-contrib postgresql-client
command -v psql >/dev/null 2>&1 || install postgresql-client
command -v sqlite3 >/dev/null 2>&1 || install sqlite3
command -v jq >/dev/null 2>&1 || install jq
SMTP_SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)

bin=target/release/marketrelay
load=target/release/examples/load
mkdir -p "$OUT"
common=(--concurrency "$CONCURRENCY" --size "$SIZE" --mix "$MIX")
synchronous=$(sed -n 's/.*SqliteSynchronous::\([A-Za-z]*\).*/\1/p' src/store/sqlite.rs | head -n 1)
synchronous=${synchronous:-Full}

measure() {
cargo build --release --bin marketrelay --example load
date -u '+%Y-%m-%d %H:%M UTC' >"$OUT/started"
git rev-parse --short HEAD >"$OUT/commit" 2>/dev/null || echo unknown >"$OUT/commit"

# 1. SMTP ceiling, over ten times the relay's mails so that it lasts long enough to measure
say "smtp-sink, $((TOTAL * 10)) mails over $CONCURRENCY connections"
sink_user=(); [ "$(id -u)" -eq 0 ] && sink_user=(-u nobody)
"$SMTP_SINK" "${sink_user[@]}" -c "127.0.0.1:$SINK_PORT" 1024 >/dev/null &
sink_pid=$!
trap 'kill $sink_pid 2>/dev/null || true' EXIT
sleep 1
loadavg >"$OUT/sink.loadavg"
"$load" sink --smtp "127.0.0.1:$SINK_PORT" --messages "$((TOTAL * 10))" "${common[@]}" --json >"$OUT/sink.json"
kill "$sink_pid"; trap - EXIT

# 2. Postgres ceiling: one ~4 KB row per transaction
scratch="mr_ceiling_$$"
say "pgbench, one 4 KB row per transaction, $CONCURRENCY clients, ${PGBENCH_SECONDS}s"
psql -q "$PG/postgres" -c "create database $scratch"
# Stored as is (no compression), so each row writes its 4 KB as mail would.
psql -q "$PG/$scratch" -c "create table bench_rows (id bigserial primary key, body text not null, created_at timestamptz not null default now());
  alter table bench_rows alter column body set storage external;"
cat >"$OUT/pgbench.sql" <<SQL
insert into bench_rows (body) values (repeat(md5(random()::text), $((SIZE / 32))));
SQL
loadavg >"$OUT/pgbench.loadavg"
pgbench -n -c "$CONCURRENCY" -j "$CONCURRENCY" -T "$PGBENCH_SECONDS" -f "$OUT/pgbench.sql" "$PG/$scratch" >"$OUT/pgbench.txt" 2>&1
psql -q "$PG/postgres" -c "drop database $scratch"

# 3. SQLite ceiling, with the synchronous setting the service opens its database with
say "SQLite WAL, synchronous=$synchronous, $SQLITE_ROWS one-row transactions, $CONCURRENCY tasks"
loadavg >"$OUT/sqlite-ceiling.loadavg"
"$load" sqlite-ceiling --path "$OUT/ceiling.db" --concurrency "$CONCURRENCY" --rows "$SQLITE_ROWS" --size "$SIZE" \
  --synchronous "$synchronous" --json >"$OUT/sqlite-ceiling.json"

# 4. The relay on both engines, without and with bad clients
relay_run() { # name database_url [extra args]
  local name=$1 url=$2; shift 2
  say "$name: $CONVERSATIONS conversations x $MESSAGES mails, $CONCURRENCY connections $*"
  echo "$(loadavg)" >"$OUT/$name.loadavg"
  "$load" relay --relay-bin "$bin" --database-url "$url" --relay-log "$OUT/$name.log" \
    --conversations "$CONVERSATIONS" --messages "$MESSAGES" "${common[@]}" \
    --drain-timeout "$DRAIN" --json "$@" >"$OUT/$name.json" || true
  jq -r '"  sent \(.sent) accepted \(.accepted) delivered \(.delivered) lost \(.lost) duplicated \(.duplicated)"' "$OUT/$name.json" >&2
}
sqlite_run() {
  rm -f "$OUT/$1.db" "$OUT/$1.db-wal" "$OUT/$1.db-shm"
  relay_run "$1" "sqlite://$OUT/$1.db" "${@:2}"
  rm -f "$OUT/$1.db" "$OUT/$1.db-wal" "$OUT/$1.db-shm"
}
pg_run() { # name [extra args]
  local name=$1 db="mr_load_$$_${1//-/_}"; shift
  psql -q "$PG/postgres" -c "create database $db"
  relay_run "$name" "$PG/$db" "$@"
  psql -q "$PG/postgres" -c "drop database $db"
}
pg_run relay-postgres
sqlite_run relay-sqlite
pg_run relay-postgres-bad --bad-every "$BAD_EVERY"
sqlite_run relay-sqlite-bad --bad-every "$BAD_EVERY"
}

[ -n "${TABLE_ONLY:-}" ] || measure

# The table
j() { jq -r "$2" "$OUT/$1.json"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b > 0 ? 100 * a / b : -1; if (r < 0) print "n/a"; else if (r < 10) printf "%.1f%%", r; else printf "%.0f%%", r }'; }
num() { awk -v a="$1" 'BEGIN { if (a < 100) printf "%.1f", a; else printf "%.0f", a }'; }
sink_rate=$(j sink .accept_per_sec)
pg_tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$OUT/pgbench.txt")
la_sink=$(cat "$OUT/sink.loadavg"); la_pgbench=$(cat "$OUT/pgbench.loadavg"); la_sqlite=$(cat "$OUT/sqlite-ceiling.loadavg")
sqlite_tps=$(j sqlite-ceiling .rows_per_sec)
{
  echo "$(cat "$OUT/started"), commit $(cat "$OUT/commit"):" \
    "$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1))," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "Postgres $(psql -tA "$PG/postgres" -c 'show server_version' | cut -d' ' -f1), SQLite $(sqlite3 --version | cut -d' ' -f1);" \
    "$TOTAL mails of $SIZE bytes ($MIX) over $CONCURRENCY connections; load average (1 min, $(nproc) cores) at the start of each step."
  echo
  echo "| figure | value | ceiling | ceiling value | ratio | load avg |"
  echo "| --- | ---: | --- | ---: | ---: | ---: |"
  echo "| smtp-sink accept rate (msg/s) | | | $(num "$sink_rate") | | $la_sink |"
  echo "| pgbench one-row 4 KB transactions/s, $CONCURRENCY clients | | | $(num "$pg_tps") | | $la_pgbench |"
  echo "| SQLite WAL one-row 4 KB transactions/s (synchronous=$synchronous), $CONCURRENCY tasks | | | $(num "$sqlite_tps") | | $la_sqlite |"
  for engine in postgres sqlite; do
    if [ "$engine" = postgres ]; then db_name="pgbench"; db_rate=$pg_tps; else db_name="SQLite WAL"; db_rate=$sqlite_tps; fi
    for variant in "" "-bad"; do
      run="relay-$engine$variant"
      label="relay on $engine"; [ -n "$variant" ] && label="$label, 1 bad client per $BAD_EVERY mails"
      la=$(cat "$OUT/$run.loadavg")
      accept=$(j "$run" .accept_per_sec); delivered=$(j "$run" .delivered_per_sec)
      echo "| $label: accepted (msg/s) | $(num "$accept") | smtp-sink | $(num "$sink_rate") | $(ratio "$accept" "$sink_rate") | $la |"
      echo "| $label: accepted (msg/s) | $(num "$accept") | $db_name | $(num "$db_rate") | $(ratio "$accept" "$db_rate") | $la |"
      echo "| $label: **delivered** (msg/s, end to end) | $(num "$delivered") | $db_name | $(num "$db_rate") | $(ratio "$delivered" "$db_rate") | $la |"
      if [ -n "$variant" ]; then
        clean_accept=$(j "relay-$engine" .accept_per_sec); clean_delivered=$(j "relay-$engine" .delivered_per_sec)
        echo "| $label: accepted vs the run without bad clients | $(num "$accept") | same run, no bad clients | $(num "$clean_accept") | $(ratio "$accept" "$clean_accept") | $la |"
        echo "| $label: delivered vs the run without bad clients | $(num "$delivered") | same run, no bad clients | $(num "$clean_delivered") | $(ratio "$delivered" "$clean_delivered") | $la |"
      fi
    done
  done
  echo
  echo "| run | sent | accepted | delivered | duplicated | lost | other faults | accept p50 / p99 | end-to-end p50 / p99 | peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for run in relay-postgres relay-sqlite relay-postgres-bad relay-sqlite-bad; do
    j "$run" '"| '"$run"' | \(.sent) | \(.accepted) | \(.delivered) | \(.duplicated) | \(.lost) | \(.refused + .unexpected + .damaged + .leaked + .same_message_id) | \(.accept_p50_ms * 10 | round / 10) / \(.accept_p99_ms * 10 | round / 10) ms | \(.e2e_p50_ms / 100 | round / 10) / \(.e2e_p99_ms / 100 | round / 10) s | \(.peak_rss_mb // 0 | round) MB |"'
  done
  j sink '"| smtp-sink | \(.sent) | \(.accepted) | | | | \(.refused) | \(.accept_p50_ms * 10 | round / 10) / \(.accept_p99_ms * 10 | round / 10) ms | | |"'
} >"$OUT/ceilings.md"
cat "$OUT/ceilings.md"
say "written to $OUT/ceilings.md (raw results: $OUT/*.json, pgbench.txt, relay logs)"
