#!/usr/bin/env bash
# CI: stop the one-node Slurm cluster that .ci/slurm-up.sh started, by the process ids it
# recorded in $RLVR_SLURM_STATE/pids (default /tmp/rlvr-slurm/pids). Jobs still in the queue are
# cancelled first. Only recorded processes (and job processes that `scontrol listpids` still
# reports, with their slurmstepd) are signalled; a recorded pid that now belongs to another
# program is left alone. Packages, config and logs stay.
set -uo pipefail

state=${RLVR_SLURM_STATE:-/tmp/rlvr-slurm}
pids="$state/pids"

if [ ! -f "$pids" ]; then
  echo "slurm-down: nothing to stop ($pids not found)"
  exit 0
fi

# True when pid is alive (not a zombie) and is still the program recorded under that name.
ours() { # name pid
  local comm st
  comm=$(cat "/proc/$2/comm" 2>/dev/null) || return 1
  st=$(awk '{ print $3 }' "/proc/$2/stat" 2>/dev/null) || return 1
  [ "$comm" = "$1" ] && [ "$st" != Z ]
}

pid_of() { awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$pids"; }

# Cancel all jobs while the controller is still up, so that no job steps outlive slurmd.
ctld=$(pid_of slurmctld)
if [ -n "$ctld" ] && ours slurmctld "$ctld" && scontrol ping >/dev/null 2>&1; then
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null || true
    for _ in $(seq 1 30); do
      [ -z "$(squeue -h -t running,completing -o %A 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

# Processes of jobs that are still on the node (scancel failed or the controller is gone), with
# their slurmstepd parents: found through the step sockets in SlurmdSpoolDir, not by name.
leftover=""
for p in $(scontrol listpids 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'); do
  leftover="$leftover $p"
  pp=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)
  if [ -n "$pp" ] && [ "$(cat "/proc/$pp/comm" 2>/dev/null)" = slurmstepd ]; then
    case " $leftover " in *" $pp "*) ;; *) leftover="$leftover $pp" ;; esac
  fi
done

# TERM all recorded daemons at once (newest first: slurmd, slurmctld, slurmdbd, mariadbd, munged;
# each takes about 2 s to exit), wait up to 10 s, then SIGKILL whatever is left.
running=()
while read -r name pid; do
  [ -n "${name:-}" ] && [ -n "${pid:-}" ] || continue
  if ours "$name" "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    running+=("$name:$pid")
  else
    echo "slurm-down: $name ($pid) is not running"
  fi
done < <(tac "$pids")

still() { # prints the name:pid entries that are still alive
  local e
  for e in "${running[@]}"; do ours "${e%%:*}" "${e##*:}" && echo "$e"; done
  return 0
}
for _ in $(seq 1 40); do
  [ -z "$(still)" ] && break
  sleep 0.25
done
for e in $(still); do
  kill -KILL "${e##*:}" 2>/dev/null
  echo "slurm-down: killed ${e%%:*} (${e##*:}) with SIGKILL"
done
for _ in $(seq 1 20); do
  [ -z "$(still)" ] && break
  sleep 0.25
done
[ ${#running[@]} -gt 0 ] && echo "slurm-down: stopped ${running[*]}"

if [ -n "$leftover" ]; then
  echo "slurm-down: killing leftover job processes and their slurmstepd:$leftover"
  # shellcheck disable=SC2086
  kill -KILL $leftover 2>/dev/null || true
  for _ in $(seq 1 20); do
    # shellcheck disable=SC2086
    kill -0 $leftover 2>/dev/null || break
    sleep 0.25
  done
fi

rm -f "$pids"
echo "slurm-down: done"
