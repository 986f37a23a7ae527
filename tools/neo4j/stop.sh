#!/usr/bin/env bash
# Stop the Neo4j launcher that `start.sh FOLDER PORT` started, and wait until its databases have shut down.
set -euo pipefail
folder=${1:?usage: stop.sh FOLDER}
pid_file="$folder/launcher.pid"
if [ ! -f "$pid_file" ] || ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  echo "Neo4j is not running from $folder"
  rm -f "$pid_file"
  exit 0
fi
pid=$(cat "$pid_file")
kill -TERM "$pid"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; echo "Neo4j stopped"; exit 0; }
  sleep 1
done
echo "Neo4j (pid $pid) did not stop within 60 s" >&2
exit 1
