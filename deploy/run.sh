#!/usr/bin/env bash
# Entry point of `npm start`, `npm test` and `npm run bench`: install what is missing, then run
# on the project's own Node 24.
set -euo pipefail
cmd=${1:-start}
shift || true
source "$(dirname "$0")/bootstrap.sh" "$cmd"
cd "$TUPA_ROOT"
case "$cmd" in
  start) exec node --import tsx server/src/main.ts "$@" ;;
  test) exec node tests/run-all.ts "$@" ;;
  bench) exec node --import tsx tests/bench/run.ts "$@" ;;
  admin) exec node --import tsx server/src/cli/admin.ts "$@" ;;
  typecheck) exec npx tsc -p tsconfig.json ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
