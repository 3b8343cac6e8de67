#!/usr/bin/env bash
# Check accord against the real servers of ../shared/real at --level quirk: every variant must pass.
#
#   scripts/test-real.sh [VARIANT...]     default: every variant below, one after the other
#
# Variants: kanboard-sqlite kanboard-postgres kanboard-mysql octoprint nymea-tcp nymea-ws
# Each variant starts its server fresh (the server's own start.sh), runs `accord check` against it, writes
# reports/real/<variant>/ and stops the server again (also when the check fails or the script is stopped).
#
# Environment: ACCORD_REAL (default ../shared/real beside this repository), REAL_RUNS (runs per variant,
# default 1), REAL_ARGS (extra arguments for every `accord check`, e.g. "--only rights").
# Exit status: 0 every variant passed; 1 a check failed; 2 a server could not start or a run could not run.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
REAL="${ACCORD_REAL:-$(cd .. && pwd)/shared/real}"
RUNS="${REAL_RUNS:-1}"
ALL=(kanboard-sqlite kanboard-postgres kanboard-mysql octoprint nymea-tcp nymea-ws)
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=("${ALL[@]}")
ACCORD=(node "$ROOT/dist/bundle/accord.js")
NYMEA_ADMIN="admin:Accord-Secret1"
# Every listening port sits below Linux's ephemeral range (32768-60999): nymea's default WebSocket port, 44444,
# lies inside it, and once an outgoing connection of an earlier variant had taken it as its source port, the
# relay could not bind it and the server "did not start" (CI, 2026-12-02).
export NYMEA_TCP_PORT="${NYMEA_TCP_PORT:-22222}" NYMEA_WS_PORT="${NYMEA_WS_PORT:-24444}"

if [ ! -d "$REAL" ]; then
  echo "test:real skipped: no real servers at $REAL (a clone without ../shared/real)"
  exit 0
fi
[ -f "$ROOT/dist/bundle/accord.js" ] || npm run build --silent || exit 2

log() { echo "[test:real] $*" >&2; }
STOP=()
stop_all() { for s in "${STOP[@]}"; do eval "$s" >/dev/null 2>&1 || true; done; STOP=(); }
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM

# start VARIANT: starts the server fresh; sets TARGET_ARGS (the accord check arguments) and pushes its stop.
# Returns its start.sh's status: 1 the server did not come up, 2 a Debian package is missing.
start() {
  local variant="$1" out
  case "$variant" in
    kanboard-*)
      local db="${variant#kanboard-}" port=8765
      [ "$db" = postgres ] && port=8766
      [ "$db" = mysql ] && port=8767
      KANBOARD_PORT=$port "$REAL/kanboard/stop.sh" "$port" --wipe >/dev/null 2>&1 || true
      out=$(KANBOARD_PORT=$port "$REAL/kanboard/start.sh" "$db") || return $?
      STOP+=("KANBOARD_PORT=$port '$REAL/kanboard/stop.sh' $port --wipe")
      TARGET_ARGS=(kanboard --url "http://127.0.0.1:$port" --app-token "$out" --admin admin:admin)
      ;;
    octoprint)
      "$REAL/octoprint/stop.sh" 5180 --wipe >/dev/null 2>&1 || true
      out=$("$REAL/octoprint/start.sh" 5180) || return $?
      local admin user global
      read -r admin user global <<<"$out"
      STOP+=("'$REAL/octoprint/stop.sh' 5180 --wipe")
      TARGET_ARGS=(octoprint --url http://127.0.0.1:5180 --admin-key "$admin" --user-key "$user" --global-key "$global")
      # The version it reports (until the variant model detects it): {"api": ..., "server": "1.11.8", ...}.
      log "octoprint: GET /api/version says $(curl -s -H "X-Api-Key: $admin" http://127.0.0.1:5180/api/version | tr '\n' ' ' | tr -s ' ')"
      ;;
    nymea-tcp|nymea-ws)
      "$REAL/nymea/stop.sh" --wipe >/dev/null 2>&1 || true
      out=$("$REAL/nymea/start.sh" --fresh --admin "$NYMEA_ADMIN") || return $?
      STOP+=("'$REAL/nymea/stop.sh' --wipe")
      local tcp ws
      read -r tcp ws <<<"$out"
      # An if, not `[ ] &&`: the function's status is its last command's, and a false test would read as "did not start".
      if [ "$variant" = nymea-tcp ]; then TARGET_ARGS=(nymea --url "$tcp" --admin "$NYMEA_ADMIN"); else TARGET_ARGS=(nymea --url "$ws" --admin "$NYMEA_ADMIN"); fi
      ;;
    *) log "unknown variant '$variant'; known: ${ALL[*]}"; return 2 ;;
  esac
}

status=0
summary=()
for variant in "${VARIANTS[@]}"; do
  for run in $(seq 1 "$RUNS"); do
    started=$(date +%s)
    log "$variant (run $run/$RUNS): starting the real server"
    # One more try for a server that did not come up (its start.sh exit 1): starting is the server's job, not a
    # check, and a second failure still fails the run. Missing packages (exit 2) get no second try.
    start "$variant"
    started_rc=$?
    if [ $started_rc -eq 1 ]; then
      stop_all
      log "$variant: the server did not come up; one more try"
      start "$variant"
      started_rc=$?
    fi
    if [ $started_rc -ne 0 ]; then
      summary+=("$variant run $run: the server did not start (exit 2)")
      status=2
      stop_all
      continue
    fi
    # shellcheck disable=SC2086
    "${ACCORD[@]}" check "${TARGET_ARGS[@]}" --level quirk --reports "reports/real/$variant" ${REAL_ARGS:-}
    rc=$?
    # The variant accord detected must be the one started (Kanboard: its database).
    expected="${variant#kanboard-}"
    results="reports/real/$variant/${TARGET_ARGS[0]}/results.json"
    detected=$(node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).variant; console.log(v ? `${v.source} ${v.id}` : "")' "$results" 2>/dev/null)
    if [ "$expected" != "$variant" ] && [ $rc -ne 2 ] && [ "$detected" != "detected $expected" ]; then
      log "$variant: accord should have detected the variant $expected, not '${detected:-nothing}' ($results)"
      [ $rc -eq 0 ] && rc=1
    fi
    stop_all
    took=$(($(date +%s) - started))
    summary+=("$variant run $run: exit $rc (${took}s)")
    if [ $rc -ne 0 ] && [ $status -ne 2 ]; then status=$rc; fi
  done
done

echo
echo "test:real against $REAL:"
printf '  %s\n' "${summary[@]}"
exit $status
