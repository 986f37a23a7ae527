#!/usr/bin/env bash
# Start the Neo4j launcher in the background on 127.0.0.1:PORT with its data in FOLDER, wait until it answers,
# and write FOLDER.env (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD in shell syntax). `stop.sh FOLDER` stops it.
set -euo pipefail
folder=${1:?usage: start.sh FOLDER PORT}
port=${2:?usage: start.sh FOLDER PORT}
here=$(cd "$(dirname "$0")" && pwd)
env_file="$folder.env"
mkdir -p "$folder"
if [ -f "$folder/launcher.pid" ] && kill -0 "$(cat "$folder/launcher.pid")" 2>/dev/null; then
  echo "Neo4j is running already (pid $(cat "$folder/launcher.pid")); its settings are in $env_file"
  exit 0
fi
# The password is made once per folder and kept beside it (mode 600): the data keeps the user it set.
if [ ! -f "$folder/password" ]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$folder/password")
fi
password=$(cat "$folder/password")
# The heap: NEO4J_JAVA_OPTS (2 GB unless set; a province-scale load wants more).
# shellcheck disable=SC2086
java ${NEO4J_JAVA_OPTS:--Xmx2g} -cp "$here/target/classes:$here/target/lib/*" pairing.neo4j.Launcher "$folder/db" "$port" "$password" \
  > "$folder/launcher.log" 2>&1 &
echo $! > "$folder/launcher.pid"
for _ in $(seq 1 120); do
  if grep -q "^ready bolt://" "$folder/launcher.log"; then
    (umask 077 && printf 'NEO4J_URI=bolt://127.0.0.1:%s\nNEO4J_USER=neo4j\nNEO4J_PASSWORD=%s\n' "$port" "$password" \
      > "$env_file")
    echo "Neo4j answers on bolt://127.0.0.1:$port; settings in $env_file"
    exit 0
  fi
  if ! kill -0 "$(cat "$folder/launcher.pid")" 2>/dev/null; then
    echo "Neo4j did not start; its log ($folder/launcher.log) ends:" >&2
    tail -20 "$folder/launcher.log" >&2
    exit 1
  fi
  sleep 1
done
echo "Neo4j did not answer within 120 s; see $folder/launcher.log" >&2
exit 1
