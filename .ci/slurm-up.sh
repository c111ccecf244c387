#!/usr/bin/env bash
# CI: bring up a throwaway one-node Slurm cluster on this machine (Debian/Ubuntu packages,
# Slurm 22.05 on Debian 12) for integration tests. Runs everything as root without systemd.
# Every call gives a fresh cluster: daemons from an earlier call (pids file) are stopped
# first, and the controller state and accounting database are wiped.
# Tear it down with .ci/slurm-down.sh.
#
# Environment:
#   RLVR_SLURM_STATE       logs, pid files and the pids file (default /tmp/rlvr-slurm)
#   RLVR_SLURM_ACCOUNTING  dbd (default): slurmdbd + MariaDB, so sacct works;
#                          none: no database (sacct then only says accounting is disabled)
#   RLVR_SLURM_TIMEOUT     seconds to wait for each daemon / the idle node (default 60)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${RLVR_SLURM_STATE:-/tmp/rlvr-slurm}
accounting=${RLVR_SLURM_ACCOUNTING:-dbd}
timeout=${RLVR_SLURM_TIMEOUT:-60}
pids="$state/pids"
conf=/etc/slurm/slurm.conf
dbdconf=/etc/slurm/slurmdbd.conf
ctld_state=/var/spool/slurm/ctld
d_spool=/var/spool/slurm/d
cluster=rlvr-ci
started=$(date +%s)

log() { echo "slurm-up: $*" >&2; }

fail() {
  echo "slurm-up: error: $*" >&2
  local f
  for f in "$state"/*.log "$state"/*.stdout; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f" >&2
    tail -n 15 "$f" >&2
  done
  # Leave nothing half-started behind.
  RLVR_SLURM_STATE="$state" "$here/slurm-down.sh" >&2 || true
  exit 1
}

case "$accounting" in dbd|none) ;; *) echo "slurm-up: error: RLVR_SLURM_ACCOUNTING must be dbd or none, not '$accounting'" >&2; exit 1 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "slurm-up: error: must run as root" >&2; exit 1; }

# ---- packages -------------------------------------------------------------------------------
need=(sbatch sacct slurmctld slurmd munged)
pkgs=(slurmctld slurmd slurm-client munge)
if [ "$accounting" = dbd ]; then
  need+=(slurmdbd mariadbd mariadb)
  pkgs+=(slurmdbd mariadb-server mariadb-client)
fi
missing=0
for b in "${need[@]}"; do command -v "$b" >/dev/null 2>&1 || missing=1; done
if [ "$missing" -eq 1 ]; then
  log "installing ${pkgs[*]}"
  aptlog=$(mktemp)
  # Without systemd the packages' scripts do not start the services; this script starts them.
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"; } >"$aptlog" 2>&1; then
    rm -f "$aptlog"
  else
    tail -n 20 "$aptlog" >&2
    echo "slurm-up: error: apt-get install ${pkgs[*]} failed (full log: $aptlog)" >&2
    exit 1
  fi
  for b in "${need[@]}"; do command -v "$b" >/dev/null 2>&1 || { echo "slurm-up: error: $b still not found after install" >&2; exit 1; }; done
fi

# ---- stop an earlier cluster, fresh state ------------------------------------------------------
if [ -f "$pids" ]; then
  log "stopping daemons from an earlier call ($pids)"
  RLVR_SLURM_STATE="$state" "$here/slurm-down.sh" >&2
fi
mkdir -p "$state"
rm -f "$state"/*.log "$state"/*.stdout "$state"/*.pid "$state/jobcomp.txt"
: >"$pids"
rm -rf "$ctld_state" "$d_spool"
mkdir -p "$ctld_state" "$d_spool" /etc/slurm

# Records "name pid" at once, so slurm-down.sh can stop whatever was started even if a later step fails.
record() { echo "$1 $2" >>"$pids"; }

# Starts a daemon that stays in the foreground, in its own session, detached from our stdio
# (a caller that pipes our output must not wait for the daemons), and records its pid.
spawn() {
  local name=$1; shift
  setsid "$@" </dev/null >"$state/$name.stdout" 2>&1 &
  local pid=$!
  record "$name" "$pid"
  sleep 0.2
  kill -0 "$pid" 2>/dev/null || fail "$name exited at once"
}

alive() { kill -0 "$(awk -v n="$1" '$1 == n { print $2 }' "$pids")" 2>/dev/null; }

wait_for() { # what, daemon name, command...
  local what=$1 name=$2; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  local out
  until out=$("$@" 2>&1); do
    alive "$name" || fail "$name died while waiting for $what (last probe: $*: $out)"
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after ${timeout}s waiting for $what (last probe: $*: $out)"
    sleep 0.5
  done
}

# ---- munge -----------------------------------------------------------------------------------
munge_ok() { munge -n | unmunge; }
if munge_ok >/dev/null 2>&1; then
  log "reusing the munged that is already running"
else
  install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
  install -d -o munge -g munge -m 0711 /var/lib/munge
  install -d -o munge -g munge -m 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  rm -f /run/munge/munged.pid
  # As the munge user munged needs no --force; setpriv execs (runuser would stay as a parent).
  if command -v setpriv >/dev/null 2>&1; then
    spawn munged setpriv --reuid=munge --regid=munge --init-groups munged --foreground
  else
    spawn munged munged --foreground --force
  fi
  wait_for "munged" munged munge_ok
fi

# ---- node description ------------------------------------------------------------------------
node=$(hostname -s 2>/dev/null || hostname)
[ -n "$node" ] || fail "empty hostname"
# slurmd -C: "NodeName=x CPUs=.. Boards=.. SocketsPerBoard=.. CoresPerSocket=.. ThreadsPerCore=.. RealMemory=.."
hw=$(slurmd -C 2>/dev/null | awk 'NR == 1 && /^NodeName=/ { $1 = ""; sub(/^ /, ""); print }')
[ -n "$hw" ] || fail "slurmd -C printed no node description"

# ---- slurm.conf ------------------------------------------------------------------------------
if [ "$accounting" = dbd ]; then
  acct_conf="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=6819
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30"
else
  acct_conf="AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none"
fi
cat >"$conf" <<EOF
# Written by .ci/slurm-up.sh: one-node CI cluster, everything as root, no systemd, no cgroups.
ClusterName=$cluster
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
AuthInfo=cred_expire=10
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=5
JobRequeue=1
ReturnToService=2
MinJobAge=300
KillWait=5
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
Waittime=0
MailProg=/bin/true
StateSaveLocation=$ctld_state
SlurmdSpoolDir=$d_spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
$acct_conf
JobCompType=jobcomp/filetxt
JobCompLoc=$state/jobcomp.txt
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

# ---- accounting: MariaDB + slurmdbd (sacctmgr needs slurm.conf, so it comes after it) ---------
if [ "$accounting" = dbd ]; then
  install -d -o mysql -g mysql -m 0755 /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    log "initialising /var/lib/mysql"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --auth-root-authentication-method=socket \
      >"$state/mariadb-install.stdout" 2>&1 || fail "mariadb-install-db failed"
  fi
  # Socket only, no TCP; root connects through unix_socket authentication (no password).
  # It runs as mysql, so its pid file lives in /run/mysqld; its log goes to mariadbd.stdout.
  if mariadb --socket=/run/mysqld/mysqld.sock -e 'select 1' >/dev/null 2>&1; then
    log "reusing the MariaDB server that is already running"
  else
    spawn mariadbd mariadbd --user=mysql --datadir=/var/lib/mysql --socket=/run/mysqld/mysqld.sock \
      --pid-file=/run/mysqld/mariadbd.pid --skip-networking \
      --innodb-buffer-pool-size=64M --innodb-lock-wait-timeout=900 --performance-schema=OFF
    wait_for "mariadbd" mariadbd mariadb --socket=/run/mysqld/mysqld.sock -e 'select 1'
  fi
  mariadb --socket=/run/mysqld/mysqld.sock -e 'DROP DATABASE IF EXISTS slurm_acct_db' || fail "could not reset slurm_acct_db"
  cat >"$dbdconf" <<EOF
# Written by .ci/slurm-up.sh
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
SlurmUser=root
DebugLevel=info
LogFile=$state/slurmdbd.log
PidFile=$state/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=root
StorageLoc=slurm_acct_db
EOF
  chmod 600 "$dbdconf"
  spawn slurmdbd slurmdbd -D
  wait_for "slurmdbd" slurmdbd sacctmgr -n list cluster
  sacctmgr -i -Q add cluster "$cluster" >/dev/null 2>&1 || true
  sacctmgr -n -P list cluster format=cluster | grep -qx "$cluster" || fail "could not add cluster $cluster to slurmdbd"
fi

# ---- slurmctld + slurmd ----------------------------------------------------------------------
spawn slurmctld slurmctld -D
wait_for "slurmctld" slurmctld scontrol ping
spawn slurmd slurmd -D -N "$node"

deadline=$(( $(date +%s) + timeout ))
resumed=0
while :; do
  st=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -n 1)
  case "$st" in
    idle) break ;;
    down*|drain*|fail*)
      if [ "$resumed" -eq 0 ]; then
        log "node $node is $st; resuming it"
        scontrol update nodename="$node" state=resume || true
        resumed=1
      fi ;;
  esac
  alive slurmctld || fail "slurmctld died"
  alive slurmd || fail "slurmd died"
  [ "$(date +%s)" -lt "$deadline" ] || fail "node $node not idle after ${timeout}s (state: ${st:-unknown}; $(scontrol show node "$node" 2>/dev/null | grep -o 'Reason=.*' || true))"
  sleep 0.5
done

echo "slurm-up: cluster $cluster ready in $(( $(date +%s) - started ))s: node $node ($hw) idle," \
  "partition debug, accounting $accounting, pids in $pids, logs in $state"
