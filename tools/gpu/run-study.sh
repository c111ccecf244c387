#!/usr/bin/env bash
# Runs a study on a GPU machine with the app that tools/gpu/publish.sh packed into .gpu/rlvr.tar.xz.
# Usage (repo root on the GPU machine): bash tools/gpu/run-study.sh <study.json> <seconds> [overrides...]
# The CUDA libtorch is the one of the machine's PyTorch (torch/lib, found through python3), reached by LD_LIBRARY_PATH.
# What the runs wrote, less model weights, goes to $OUT/runs.tar.gz; rlvr's output to $OUT/study.log.
set -u
study=$1; seconds=$2; shift 2
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
tar -xJf .gpu/rlvr.tar.xz -C /tmp
torch_lib=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
nvidia_libs=$(ls -d "$torch_lib"/../../nvidia/*/lib 2>/dev/null | tr '\n' ':')
export LD_LIBRARY_PATH="$torch_lib:$nvidia_libs${LD_LIBRARY_PATH:-}"
nvidia-smi -L
start=$SECONDS
timeout -s TERM -k 30 "$seconds" /tmp/rlvr/rlvr run "$study" --Run:RunRoot=/tmp/gpu-runs "$@" > "$OUT/study.log" 2>&1
echo "rlvr exit $? after $((SECONDS - start)) s"
grep -E "Pretrained|Evaluation:|pass@1 .* ->|Report:|error|stopped" "$OUT/study.log" | head -n 60
tar -czf "$OUT/runs.tar.gz" -C /tmp/gpu-runs --exclude='*.bin' --exclude='tensorboard' --exclude='*.db*' .
