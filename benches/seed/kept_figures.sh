#!/usr/bin/env bash
# Prints the SQL that fills the read paths' kept figures (conversations'
# last activity, the dashboard's daily counts) for messages inserted
# straight into the tables by the seeds. The statements are read from
# migration 0018 itself, which fills them the same way for the messages
# stored before it, so there is one copy to change.
#   benches/seed/kept_figures.sh postgres | psql -q "$url"
#   benches/seed/kept_figures.sh sqlite | sqlite3 data/marketrelay.db
set -euo pipefail
engine=${1:?usage: kept_figures.sh postgres|sqlite}
migration="$(dirname "$0")/../../migrations/$engine/0018_read_paths.sql"
[ -f "$migration" ] || { echo "kept_figures: no $migration" >&2; exit 1; }
echo "begin;"
# The last-activity fill: from its update to the end of that statement.
sed -n '/^update conversations$/,/^    created_at);$/p' "$migration"
# The daily counts: everything from the fill's comment to the end.
sed -n '/^-- The counts of the messages stored so far/,$p' "$migration"
echo "commit;"
echo "analyze;"
