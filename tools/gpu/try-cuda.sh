#!/usr/bin/env bash
# One try of rlvr (TorchSharp 0.107.0) on CUDA, on a GPU machine that has PyTorch (CUDA) but no .NET.
# Run from anywhere, on the device, after tools/gpu/publish.sh made .gpu/rlvr.tar.xz here (carry [".gpu"]):
#
#   OUT=/some/dir bash tools/gpu/try-cuda.sh
#
# Every stage prints a header and the script goes on when one fails; the whole script stops by TRY_BUDGET_S seconds
# (default 345). Files written to $OUT (at most 5): try-cuda.log (all of this), smoke-cuda.log, full-cuda.log,
# smoke-cpu.log (rlvr's own output) and runs.tar.gz (the runs' metrics, logs and results, no weights).
# Test elsewhere: TORCH_LIB=<a libtorch lib folder> overrides the search for Python's torch/lib.
set -u
START=$SECONDS
BUDGET=${TRY_BUDGET_S:-345}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-/tmp/out}"
APP=/tmp/rlvr
RUNS=/tmp/gpu-runs
mkdir -p "$OUT"

hdr() { printf '\n======== [%3ds] %s\n' $((SECONDS - START)) "$*"; }
left() { echo $((BUDGET - (SECONDS - START))); }
# a stage's timeout: at most $1 seconds, and leave $2 seconds of the budget for what follows
limit() { local t=$(( $(left) - $2 )); [ "$t" -gt "$1" ] && t=$1; [ "$t" -lt 5 ] && t=5; echo "$t"; }
have() { command -v "$1" >/dev/null 2>&1; }

rlvr_run() {   # name, timeout, config, overrides...
  local name=$1 t=$2 config=$3; shift 3
  local log="$OUT/$name.log" t0 t1 rc
  echo "\$ timeout -k 15 $t $APP/rlvr run $config --Run:RunRoot=$RUNS/$name $*"
  t0=$(date +%s.%N)
  (cd "$ROOT" && timeout -k 15 "$t" "$APP/rlvr" run "$config" "--Run:RunRoot=$RUNS/$name" "$@") > "$log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  echo "exit code $rc$([ $rc = 124 ] && echo ' (TIMED OUT)')$([ $rc = 143 ] && echo ' (stopped by SIGTERM)'), wall $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
  echo "--- first lines mentioning the device or an error:"
  grep -m 12 -inE 'cuda|cpu with|device|exception|error|fail|not available|symbol|LoadNativeBackend|Unhandled' "$log" | cut -c1-400
  echo "--- last 30 lines of $name.log:"
  tail -n 30 "$log" | cut -c1-400
  echo "--- metrics (last pretrain line, eval lines, last train line per run folder):"
  find "$RUNS/$name" -name metrics.jsonl 2>/dev/null | sort | while read -r m; do
    echo "  ${m#$RUNS/}"
    grep '"stage":"pretrain"' "$m" | tail -n 1 | cut -c1-300 | sed 's/^/    /'
    grep '"stage":"eval"' "$m" | cut -c1-300 | sed 's/^/    /'
    grep -v '"stage":"pretrain"\|"stage":"eval"' "$m" | tail -n 1 | cut -c1-300 | sed 's/^/    /'
  done
  return $rc
}

main() {
  hdr "environment"
  date -u
  echo "repo: $ROOT  OUT: $OUT  budget: ${BUDGET}s"
  uname -a
  grep PRETTY_NAME /etc/os-release 2>/dev/null
  ldd --version 2>&1 | head -n 1
  LIBSTDCXX=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/{print $NF; exit}')
  [ -n "$LIBSTDCXX" ] && echo "libstdc++: $LIBSTDCXX, newest version: $(grep -ao 'GLIBCXX_3\.4\.[0-9]*' "$LIBSTDCXX" | sort -uV | tail -n 1)"
  echo "cores: $(nproc)  memory: $(free -g 2>/dev/null | awk '/Mem:/{print $2" GiB"}')  /tmp free: $(df -h /tmp | awk 'NR==2{print $4}')"
  if have nvidia-smi; then
    nvidia-smi -L
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv
  else
    echo "no nvidia-smi"
  fi

  hdr "unpack .gpu/rlvr.tar.xz to $APP"
  rm -rf "$APP"
  if [ -f "$ROOT/.gpu/rlvr.tar.xz" ]; then
    ls -l "$ROOT/.gpu/rlvr.tar.xz"
    if have xz; then
      tar -xJf "$ROOT/.gpu/rlvr.tar.xz" -C /tmp
    else   # no xz-utils: Python's lzma
      echo "no xz: unpacking with Python's tarfile"
      "$(command -v python3 || command -v python)" -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' \
        "$ROOT/.gpu/rlvr.tar.xz" /tmp
    fi
    [ -x "$APP/rlvr" ] && echo "unpacked: $(du -sh "$APP" | cut -f1), source commit $(cat "$APP/SOURCE_COMMIT" 2>/dev/null)"
  else
    echo "MISSING $ROOT/.gpu/rlvr.tar.xz (carry [\".gpu\"], made by tools/gpu/publish.sh)"
  fi
  ls "$APP"/lib*.so 2>/dev/null | xargs -r -n1 basename | tr '\n' ' '; echo

  hdr "Python and torch"
  PY=$(command -v python3 || command -v python || true)
  TORCH_DIR=""
  if [ -n "${TORCH_LIB:-}" ]; then
    echo "TORCH_LIB given: $TORCH_LIB"
  elif [ -z "$PY" ]; then
    echo "no python3 on PATH"
  else
    echo "python: $PY ($("$PY" --version 2>&1))"
    timeout 120 "$PY" - <<'EOF' > /tmp/torchinfo.txt 2>&1
import os, sys
try:
    import torch
except Exception as e:
    print(f"import torch FAILED: {type(e).__name__}: {e}")
    import importlib.util
    spec = importlib.util.find_spec("torch")
    if spec and spec.submodule_search_locations:
        print("TORCH_DIR=" + list(spec.submodule_search_locations)[0])
    sys.exit(0)
print("TORCH_DIR=" + os.path.dirname(torch.__file__))
print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())
print("cxx11 abi:", torch.compiled_with_cxx11_abi(), " built with:", torch.__config__.show().splitlines()[1:3])
print("cuda available:", torch.cuda.is_available())
if torch.cuda.is_available():
    print("device:", torch.cuda.get_device_name(0), "capability", torch.cuda.get_device_capability(0))
    import time
    a = torch.randn(4096, 4096, device="cuda"); b = a @ a; torch.cuda.synchronize(); t = time.time()
    for _ in range(20): b = a @ a
    torch.cuda.synchronize(); dt = time.time() - t
    print(f"PyTorch reference: 4096^3 fp32 matmul x20: {20 * 2 * 4096**3 / dt / 1e12:.1f} TFLOP/s (TF32 {'on' if torch.backends.cuda.matmul.allow_tf32 else 'off'})")
EOF
    echo "(exit $?)"
    grep -v '^TORCH_DIR=' /tmp/torchinfo.txt | cut -c1-400
    TORCH_DIR=$(sed -n 's/^TORCH_DIR=//p' /tmp/torchinfo.txt | tail -n 1)
  fi
  if [ -z "${TORCH_LIB:-}" ]; then
    if [ -n "$TORCH_DIR" ] && [ -d "$TORCH_DIR/lib" ]; then
      TORCH_LIB="$TORCH_DIR/lib"
    else
      echo "searching the disk for libtorch_cuda.so (20 s at most) ..."
      found=$(timeout 20 find / -xdev -name libtorch_cuda.so -path '*torch/lib/*' 2>/dev/null | head -n 1)
      [ -n "$found" ] && TORCH_LIB=$(dirname "$found")
    fi
  fi
  TORCH_LIB=${TORCH_LIB:-}
  echo "TORCH_LIB=${TORCH_LIB:-<none found>}"
  [ -n "$TORCH_LIB" ] && ls -la "$TORCH_LIB" | awk '{print $5, $9}' | grep -E '\.so' | head -n 40

  hdr "LD_LIBRARY_PATH (TorchSharp 0.107.0 reads no TORCHSHARP_* variable: dlopen by name finds torch/lib through it)"
  NV_LIBS=""
  if [ -n "$TORCH_LIB" ]; then
    SITE=$(dirname "$(dirname "$TORCH_LIB")")
    for d in "$SITE"/nvidia/*/lib "$SITE"/nvidia/*/*/lib "$SITE"/cusparselt/lib; do
      [ -d "$d" ] && NV_LIBS="$NV_LIBS:$d"
    done
  fi
  NEW_LD="${TORCH_LIB}${NV_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  NEW_LD="${NEW_LD#:}"
  [ -n "$NEW_LD" ] && export LD_LIBRARY_PATH="$NEW_LD"
  echo "${LD_LIBRARY_PATH:-<unset>}" | tr ':' '\n'
  # The app sets InvariantGlobalization (no ICU needed); these only make .NET quieter and steadier.
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

  hdr "ldd libLibTorchSharp.so and libtorch_cuda.so (missing libraries and versions)"
  if have ldd && [ -f "$APP/libLibTorchSharp.so" ]; then
    ldd "$APP/libLibTorchSharp.so" > /tmp/ldd-sharp.txt 2>&1
    cat /tmp/ldd-sharp.txt
    echo "not found (weak version needs aside): $(grep 'not found' /tmp/ldd-sharp.txt | grep -vc 'weak version')"
    if [ -n "$TORCH_LIB" ] && [ -f "$TORCH_LIB/libtorch_cuda.so" ]; then
      ldd "$TORCH_LIB/libtorch_cuda.so" > /tmp/ldd-cuda.txt 2>&1
      echo "libtorch_cuda.so: $(wc -l < /tmp/ldd-cuda.txt) lines, not found: $(grep -c 'not found' /tmp/ldd-cuda.txt)"
      grep -E 'not found|cuda|cublas|cudnn|nccl' /tmp/ldd-cuda.txt | head -n 30
    else
      echo "no libtorch_cuda.so in ${TORCH_LIB:-<none>}"
    fi
  else
    echo "ldd or $APP/libLibTorchSharp.so missing"
  fi

  hdr "symbols libLibTorchSharp.so needs (built for libtorch 2.10) that torch's libraries do not define"
  echo "(expected and harmless: _ZSt21ios_base_library_initv, GCC 13's <iostream> marker, made weak by the GLIBCXX fix)"
  if [ -f "$APP/libLibTorchSharp.so" ] && [ -n "$TORCH_LIB" ]; then
    PROVIDERS=$(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' /tmp/ldd-sharp.txt 2>/dev/null | sort -u)
    for f in libtorch.so libtorch_cpu.so libc10.so libtorch_cuda.so libc10_cuda.so; do
      [ -f "$TORCH_LIB/$f" ] && PROVIDERS="$PROVIDERS $TORCH_LIB/$f"
    done
    if [ -z "$(echo "$PROVIDERS" | grep libstdc)" ]; then
      for f in "$LIBSTDCXX" /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 /lib64/ld-linux-x86-64.so.2; do
        [ -n "$f" ] && [ -f "$f" ] && PROVIDERS="$PROVIDERS $f"
      done
    fi
    PROVIDERS=$(echo $PROVIDERS | tr ' ' '\n' | sort -u | tr '\n' ' ')
    echo "providers: $PROVIDERS"
    if [ -n "$PY" ]; then
      timeout 90 "$PY" "$ROOT/tools/gpu/elfsyms.py" "$APP/libLibTorchSharp.so" $PROVIDERS --show 20 || echo "(elfsyms.py exit $?)"
    elif have nm; then
      comm -23 <(nm -D --undefined-only "$APP/libLibTorchSharp.so" | awk '$1 == "U" {print $2}' | sed 's/@.*//' | sort -u) \
               <(nm -D --defined-only $PROVIDERS 2>/dev/null | awk 'NF == 3 {print $3}' | sed 's/@.*//' | sort -u) > /tmp/missing.txt
      echo "MISSING: $(wc -l < /tmp/missing.txt)"
      head -n 20 /tmp/missing.txt | (have c++filt && c++filt || cat)
    else
      echo "neither python nor nm: skipped"
    fi
  else
    echo "skipped (no app or no torch/lib)"
  fi

  hdr "load probe without .NET: dlopen libtorch_cuda.so, then libLibTorchSharp.so, then THSTorchCuda_is_available()"
  if [ -n "$PY" ] && [ -f "$APP/libLibTorchSharp.so" ]; then
    timeout 60 "$PY" "$ROOT/tools/gpu/probe.py" "$APP/libLibTorchSharp.so"
    echo "(probe exit $?)"
  else
    echo "skipped (no python or no app)"
  fi

  hdr "rlvr --help and plugins"
  if [ -x "$APP/rlvr" ]; then
    timeout 30 "$APP/rlvr" plugins 2>&1 | grep -E 'loaded|failed|error' | head -n 5
  else
    echo "no $APP/rlvr"
  fi

  hdr "smoke run on cuda: tools/gpu/smoke.json (1 seed, 50k pretraining tokens, 10x16 eval samples, sft and grpo for 5 steps)"
  REACHED_CUDA=0
  if [ -x "$APP/rlvr" ]; then
    rm -rf "$RUNS/smoke-cuda"
    rlvr_run smoke-cuda "$(limit 150 120)" tools/gpu/smoke.json --Run:Device=cuda
    SMOKE_RC=$?
    grep -q ' on CUDA with' "$OUT/smoke-cuda.log" $(find "$RUNS/smoke-cuda" -name '*.log' 2>/dev/null) && REACHED_CUDA=1
    echo "smoke exit $SMOKE_RC; a run started on CUDA: $([ $REACHED_CUDA = 1 ] && echo yes || echo no)"
  fi

  hdr "timed run on cuda: Samples/FirstStudy/study.json at its own settings (2 seeds, 900k tokens, sft and grpo)"
  if [ $REACHED_CUDA = 1 ] && [ "$(left)" -gt 90 ]; then
    rm -rf "$RUNS/full-cuda"
    rlvr_run full-cuda "$(limit 120 150)" Samples/FirstStudy/study.json --Run:Device=cuda
  else
    echo "skipped: $([ $REACHED_CUDA = 1 ] && echo "only $(left) s left" || echo 'no run reached CUDA')"
  fi

  hdr "timed run on cuda: Samples/Crossover/study.gpu.json (the larger S1), as far as time allows"
  if [ $REACHED_CUDA = 1 ] && [ "$(left)" -gt 60 ]; then
    rm -rf "$RUNS/s1-gpu"
    rlvr_run s1-gpu "$(limit 150 25)" Samples/Crossover/study.gpu.json
  else
    echo "skipped"
  fi

  hdr "control: the smoke run on the CPU with the same torch libraries (separates libtorch 2.11 ABI problems from CUDA ones)"
  if [ -x "$APP/rlvr" ] && [ "$(left)" -gt 40 ]; then
    rm -rf "$RUNS/smoke-cpu"
    rlvr_run smoke-cpu "$(limit 100 15)" tools/gpu/smoke.json --Run:Device=cpu
  else
    echo "skipped: only $(left) s left or no app"
  fi

  hdr "collect"
  if [ -d "$RUNS" ]; then
    tar -czf "$OUT/runs.tar.gz" -C "$RUNS" --exclude='*.bin' --exclude='tensorboard' --exclude='report.html' --exclude='*.db*' . 2>&1 | tail -n 3
    ls -l "$OUT"
  fi
  nvidia-smi --query-gpu=memory.used --format=csv 2>/dev/null
  echo "done in $((SECONDS - START)) s"
}

main 2>&1 | tee "$OUT/try-cuda.log"
exit 0
