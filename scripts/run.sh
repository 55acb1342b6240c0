#!/usr/bin/env bash
# The main job: install, build, create data/hrtrack.db, load the vocabularies and every
# recommendation file of ../shared/data (when present), print the statistics, then serve the
# public portal and JSON API on http://127.0.0.1:${HRTRACK_PORT:-8080}/ (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
DB=${HRTRACK_DB:-data/hrtrack.db}
DATA=${HRTRACK_DATA:-../shared/data}
H=build/hrtrack
$H --db "$DB" init
if [[ -d $DATA ]]; then
  $H --db "$DB" vocab import --dir "$DATA"
  # Every recommendation file, each in the format it is in. A file already loaded is a no-op.
  $H --db "$DB" import -q --format uprinfo-csv "$DATA/uprinfo_recommendations_sessions01-14.csv"
  $H --db "$DB" import -q --format ohchr-thematic-csv "$DATA/ohchr_thematic_list_slovenia_cycles2-3.csv"
  $H --db "$DB" import -q --format uhri-json "$DATA/uhri_layout_slovenia_upr_cycles2-3.json"
  $H --db "$DB" import -q --format uhri-json "$DATA/uhri_genuine_record_crc_peru.json"
else
  echo "No data folder at $DATA: starting empty, with the built-in vocabularies (mechanisms, SDG goals)."
  echo "Import the UHRI export (download export-full-en.json from OHCHR's Universal Human Rights Index) with:"
  echo "  $H --db $DB import --format uhri-json export-full-en.json"
fi
$H --db "$DB" stats --top 5
# The first administrator: created once, with a one-time link to set its password (no default
# password ever exists). Run `hrtrack user reset admin` for a new link.
PORT=${HRTRACK_PORT:-8080}
USERS=$($H --db "$DB" user list --format csv | cut -d, -f2)
if ! grep -qx admin <<<"$USERS"; then
  $H --db "$DB" user add admin --name "Administrator" --role administrator \
    --base-url "http://127.0.0.1:$PORT"
  echo "Open the link above to set the administrator's password, then sign in at /login."
fi
exec $H --db "$DB" serve --host "${HRTRACK_HOST:-127.0.0.1}" --port "$PORT"
