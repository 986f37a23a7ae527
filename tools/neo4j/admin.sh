#!/usr/bin/env bash
# `admin.sh FOLDER ARGS...`: Neo4j's own neo4j-admin (its AdminTool, on the launcher's classpath) over the server
# folder that `start.sh FOLDER PORT` uses, e.g. the bulk import that `pairing export --neo4j-admin DIR` prints:
#   admin.sh data/neo4j database import full neo4j --overwrite-destination=true '--array-delimiter=;' --nodes=...
# neo4j-admin works on the files, so the server must be stopped (stop.sh FOLDER); a folder that does not exist
# yet is made, and start.sh then sets its password as for any new folder.
set -euo pipefail
folder=${1:?usage: admin.sh FOLDER NEO4J_ADMIN_ARGS...}
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$folder/launcher.pid" ] && kill -0 "$(cat "$folder/launcher.pid")" 2>/dev/null; then
  echo "Neo4j is running from $folder (pid $(cat "$folder/launcher.pid")): stop it first (stop.sh $folder)" >&2
  exit 1
fi
# The launcher's server keeps everything under FOLDER/db (NEO4J_HOME's layout); neo4j-admin reads its settings
# from an empty conf folder there, so both agree on where the databases are.
mkdir -p "$folder/db/conf"
# shellcheck disable=SC2086
NEO4J_HOME="$folder/db" NEO4J_CONF="$folder/db/conf" exec java ${NEO4J_JAVA_OPTS:--Xmx2g} \
  -cp "$here/target/classes:$here/target/lib/*" org.neo4j.cli.AdminTool "$@"
