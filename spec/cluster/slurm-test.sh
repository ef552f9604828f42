#!/usr/bin/env bash
# The cluster test (npm run test:cluster): the tiny scale of `rnnlab paper` on a real one-node Slurm cluster.
#   1. start munged, slurmctld and slurmd with the configuration in spec/cluster/slurm.conf.in (as root);
#   2. run the tiny scale locally, as the reference;
#   3. `rnnlab paper --slurm --submit`: an array of 3 shards plus the merge job (--dependency=afterok);
#   4. while a shard is mid-network, `scancel --full --signal=TERM` it: it must checkpoint, exit 75 and requeue itself;
#   5. wait for the merge, then check: merged results = the local run's (timings aside), the task was requeued,
#      and the interrupted network resumed from its checkpoint;
#   6. stop the daemons by the pids in their pid files (never by name).
# Prints "N passed, N failed" at the end; exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RNNLAB=(node "$ROOT/cli/bin.js")
if [ "$(id -u)" -ne 0 ]; then echo "test:cluster runs the Slurm daemons as root; run it as root (CI does)" >&2; exit 1; fi
bash "$ROOT/.ci/cluster-deps.sh"

WORK="$(mktemp -d /tmp/rnnlab-cluster-XXXXXX)"
STATE="$WORK/slurm"
mkdir -p "$STATE/state" "$STATE/spool"
chmod 755 "$WORK" "$STATE"  # munged runs as the munge user and must reach its folder
HOST="$(hostname -s)"
PORT=$((16817 + RANDOM % 1000))
sed -e "s/@HOST@/$HOST/g" -e "s/@CPUS@/$(nproc)/g" -e "s#@STATE@#$STATE#g" -e "s/@PORT@/$PORT/g" -e "s/@PORT2@/$((PORT + 1))/g" \
  "$ROOT/spec/cluster/slurm.conf.in" > "$STATE/slurm.conf"
export SLURM_CONF="$STATE/slurm.conf"

passed=0; failed=0
check() { if eval "$2"; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi; }

MUNGE_PID=""
stop_all() {
  for f in "$STATE/slurmd.pid" "$STATE/slurmctld.pid"; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  [ -n "$MUNGE_PID" ] && kill "$MUNGE_PID" 2>/dev/null
  sleep 1
}
trap stop_all EXIT

# munge: our own daemon on our own socket, so nothing else on the machine is touched.
MUNGE_SOCK="$STATE/munge/munge.socket"
mkdir -p "$STATE/munge"; chown munge:munge "$STATE/munge"; chmod 755 "$STATE/munge"
if su -s /bin/sh munge -c "/usr/sbin/munged --socket=$MUNGE_SOCK --pid-file=$STATE/munge/munged.pid --log-file=$STATE/munge/munged.log --seed-file=$STATE/munge/munge.seed" 2>"$STATE/munge.err"; then
  MUNGE_PID="$(cat "$STATE/munge/munged.pid")"
else
  echo "munged did not start: $(cat "$STATE/munge.err")" >&2; exit 1
fi
echo "AuthInfo=socket=$MUNGE_SOCK" >> "$SLURM_CONF"
slurmctld -f "$SLURM_CONF" || { echo "slurmctld did not start; log:"; tail -20 "$STATE/slurmctld.log"; exit 1; }
slurmd -f "$SLURM_CONF" || { echo "slurmd did not start; log:"; tail -20 "$STATE/slurmd.log"; exit 1; }
for i in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
check "one-node cluster is up (sinfo: $(sinfo -h -o '%N %T' 2>&1))" "sinfo -h -o %T | grep -q idle"

# 2. The local reference run.
REF="$WORK/local"
"${RNNLAB[@]}" paper --scale tiny --out "$REF" >/dev/null 2>&1
check "local tiny run" "[ -s '$REF/results.json' ]"

# 3. Submit: 3 shards, each update slowed (fault injection) so that a network is still running when we signal it.
OUT="$WORK/cluster"
export RNNLAB_FAULT_STEP_DELAY_MS=60
SUBMIT="$("${RNNLAB[@]}" paper --scale tiny --out "$OUT" --slurm --array-size 3 --cpus-per-task 1 --time 20 --submit 2>&1)"
unset RNNLAB_FAULT_STEP_DELAY_MS
echo "$SUBMIT"
ARRAY="$(echo "$SUBMIT" | sed -n 's/.*array job \([0-9]*\), merge job \([0-9]*\).*/\1/p')"
MERGE="$(echo "$SUBMIT" | sed -n 's/.*array job \([0-9]*\), merge job \([0-9]*\).*/\2/p')"
check "submitted an array job and a dependent merge job" "[ -n '$ARRAY' ] && [ -n '$MERGE' ]"
check "merge job depends on the array (afterok)" "scontrol show job '$MERGE' | grep -q 'Dependency=afterok:$ARRAY'"

# 4. Find a shard that is mid-network (it has written a checkpoint and no record yet) and preempt it.
declare -A SHARD_OF
while IFS=$'\t' read -r id _ _ _ _ shard; do SHARD_OF[$id]=$shard; done < <("${RNNLAB[@]}" paper --scale tiny --list --shard-count 3 | grep -v '^#' | tail -n +2)
VICTIM=""; VICTIM_JOB=""
for i in $(seq 1 600); do
  for d in "$OUT"/checkpoints/*/; do
    [ -f "$d/checkpoint.json" ] || continue
    id="$(basename "$d")"
    [ -f "$OUT/jobs/$id.json" ] && continue
    VICTIM="${SHARD_OF[$id]}"; VICTIM_JOB="$id"; break
  done
  [ -n "$VICTIM" ] && break
  sleep 0.1
done
check "a shard is mid-network ($VICTIM_JOB in shard $VICTIM)" "[ -n '$VICTIM' ]"
scancel --full --signal=TERM "${ARRAY}_${VICTIM}"
echo "sent SIGTERM to ${ARRAY}_${VICTIM}"

# 5. Wait for everything (the requeued task included) and the merge.
for i in $(seq 1 600); do
  [ -z "$(squeue -h -j "$ARRAY,$MERGE" 2>/dev/null)" ] && break
  sleep 1
done
check "every job has left the queue" "[ -z \"\$(squeue -h -j '$ARRAY,$MERGE' 2>/dev/null)\" ]"
check "merge job completed" "scontrol show job '$MERGE' | grep -q 'JobState=COMPLETED'"
check "the preempted task was requeued (Restarts ≥ 1)" "scontrol show job '${ARRAY}_${VICTIM}' | grep -Eq 'Restarts=[1-9]'"
LOG="$(ls "$OUT"/slurm/logs/paper-"${ARRAY}"_"${VICTIM}".out 2>/dev/null | head -1)"
check "its log shows the checkpoint and the requeue" "grep -q 'SIGTERM: checkpointing' '$LOG' && grep -q 'requeueing' '$LOG'"
check "the interrupted network resumed from its checkpoint" "node -e 'process.exit(JSON.parse(require(\"fs\").readFileSync(process.argv[1],\"utf8\")).diagnostics.resumedFromCheckpoint===true?0:1)' '$OUT/jobs/$VICTIM_JOB.json'"
SAME='const f=(d)=>{const r=JSON.parse(require("fs").readFileSync(d+"/results.json","utf8"));delete r.timing;return JSON.stringify(r)};process.exit(f(process.argv[1])===f(process.argv[2])?0:1)'
check "merged cluster results equal the local run's (timings aside)" "node -e '$SAME' '$OUT' '$REF'"

if [ "$failed" -gt 0 ]; then
  echo "--- slurmctld.log (tail)"; tail -30 "$STATE/slurmctld.log"
  for f in "$OUT"/slurm/logs/*; do echo "--- $f"; tail -20 "$f"; done
fi
echo "cluster: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
