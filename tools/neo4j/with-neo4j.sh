#!/usr/bin/env bash
# `with-neo4j.sh CMD ARGS...`: run CMD with a Neo4j of its own: a fresh server in a temporary folder on a free
# port of 127.0.0.1, its NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD exported, stopped and removed afterwards
# (also when CMD fails or is interrupted). `make test` runs the tests this way, so they never touch a user's
# server. PAIRING_NEO4J_WIPE says the server is disposable: the tests empty it (they refuse a server with data
# otherwise).
# NEO4J_SERVERS=N starts N such servers at once (one password for all), their URIs in NEO4J_URIS separated by
# spaces and the first also in NEO4J_URI: `make test` gives each pytest-xdist worker a server of its own, since
# Community has one database and each Neo4j test empties it.
# The launcher must be built (`make neo4j` or `mvn -q -B -f tools/neo4j/pom.xml package`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${NEO4J_SERVERS:-1}
folder=$(mktemp -d "${TMPDIR:-/tmp}/pairing-neo4j.XXXXXX")
cleanup() {
  for i in $(seq 1 "$count"); do
    bash "$here/stop.sh" "$folder/server$i" >/dev/null || true
  done
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
started=$(date +%s)
pids=()
uris=()
for i in $(seq 1 "$count"); do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$folder/server$i"
  (umask 077 && printf '%s\n' "$password" > "$folder/server$i/password")
  bash "$here/start.sh" "$folder/server$i" "$port" &
  pids+=($!)
  uris+=("bolt://127.0.0.1:$port")
done
for pid in "${pids[@]}"; do
  wait "$pid"
done
echo "with-neo4j: $count server(s) took $(( $(date +%s) - started )) s to answer"
set -a
# shellcheck disable=SC1091
. "$folder/server1.env"
set +a
NEO4J_URIS="${uris[*]}"
export NEO4J_URIS PAIRING_NEO4J_WIPE=1
"$@"
