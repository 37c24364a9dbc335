#!/usr/bin/env bash
# Seeds an empty marketrelay database for the "1 million stored messages"
# measurements: MESSAGES messages (default 1,000,000) in CONVERSATIONS
# conversations (default 100,000), 100 conversations per seller, each
# message with its delivery and audit events. Migrates first with the
# release binary, then inserts in one transaction per engine.
#   benches/seed.sh sqlite://target/seed.db
#   benches/seed.sh postgres://postgres@127.0.0.1:5432/seeded 1000000 100000
# Seller 00000000-0000-7000-8000-000000000001 then has 100 conversations:
# pass it to `load reads --seller-id`.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:?usage: benches/seed.sh DATABASE_URL [MESSAGES] [CONVERSATIONS]}
messages=${2:-1000000}
conversations=${3:-100000}
bin=${MARKETRELAY_BIN:-target/release/marketrelay}
[ -x "$bin" ] || { echo "seed: build $bin first (cargo build --release --bin marketrelay)" >&2; exit 1; }

start=$(date +%s)
MARKETRELAY_DATABASE_URL="$url" "$bin" migrate
case "$url" in
  postgres://* | postgresql://*)
    psql -q "$url" -v messages="$messages" -v conversations="$conversations" -f benches/seed/postgres.sql
    benches/seed/kept_figures.sh postgres | psql -q -v ON_ERROR_STOP=1 "$url" ;;
  sqlite://*)
    path=${url#sqlite://}
    path=${path%%\?*}
    sqlite3 "$path" -cmd ".param set :messages $messages" -cmd ".param set :conversations $conversations" \
      < benches/seed/sqlite.sql >/dev/null
    benches/seed/kept_figures.sh sqlite | sqlite3 "$path" ;;
  *) echo "seed: $url is neither postgres:// nor sqlite://" >&2; exit 1 ;;
esac
echo "seed: $messages messages in $conversations conversations in $(($(date +%s) - start)) s"
