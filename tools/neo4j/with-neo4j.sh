#!/usr/bin/env bash
# `with-neo4j.sh CMD ARGS...`: run CMD with a Neo4j of its own: a fresh server in a temporary folder on a free
# port of 127.0.0.1, its NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD exported, stopped and removed afterwards
# (also when CMD fails or is interrupted). `make test` runs the tests this way, so they never touch a user's
# server. PAIRING_NEO4J_WIPE says the server is disposable: the tests empty it (they refuse a server with data
# otherwise).
# The launcher must be built (`make neo4j` or `mvn -q -B -f tools/neo4j/pom.xml package`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
folder=$(mktemp -d "${TMPDIR:-/tmp}/pairing-neo4j.XXXXXX")
cleanup() {
  bash "$here/stop.sh" "$folder/server" >/dev/null || true
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
started=$(date +%s)
bash "$here/start.sh" "$folder/server" "$port"
echo "with-neo4j: the server took $(( $(date +%s) - started )) s to answer"
set -a
# shellcheck disable=SC1091
. "$folder/server.env"
set +a
export PAIRING_NEO4J_WIPE=1
"$@"
