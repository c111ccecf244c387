#!/usr/bin/env bash
# Packs a self-contained `rlvr` (linux-x64, plugins included) WITHOUT the libtorch-cpu native libraries, as
# .gpu/rlvr.tar.xz, for a GPU machine that has PyTorch (and so libtorch, with CUDA) but no .NET. There TorchSharp's
# libLibTorchSharp.so (kept, GLIBCXX-patched) finds libtorch through LD_LIBRARY_PATH=<python>/site-packages/torch/lib;
# tools/gpu/try-cuda.sh does that. .gpu/ is git-ignored through .git/info/exclude: carry it as [".gpu"].
#
# The build runs in a copy of the source tree (default: the working tree's tracked and untracked, not ignored files;
# --head: the last commit), so that it never touches this checkout's bin/ and obj/ folders while others build here.
#
#   tools/gpu/publish.sh [--head] [--no-check]
#
# --no-check skips the final check: unpack the tarball and run `rlvr plugins` and `rlvr --help` against the
# libtorch-cpu package's native folder, which proves the app works without its own bundled libtorch.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STAGE="${RLVR_GPU_STAGE:-/tmp/rlvr-gpu-build}"
FROM_HEAD=0
CHECK=1
for a in "$@"; do
  case "$a" in
    --head) FROM_HEAD=1 ;;
    --no-check) CHECK=0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done

step() { printf '\n==== %s\n' "$*"; }

step "exclude /.gpu/ from git (.git/info/exclude)"
GITDIR="$(git -C "$ROOT" rev-parse --git-common-dir)"
case "$GITDIR" in /*) ;; *) GITDIR="$ROOT/$GITDIR" ;; esac
mkdir -p "$GITDIR/info"
grep -qxF '/.gpu/' "$GITDIR/info/exclude" 2>/dev/null || echo '/.gpu/' >> "$GITDIR/info/exclude"
mkdir -p "$ROOT/.gpu"

step "copy the sources to $STAGE/src ($([ $FROM_HEAD = 1 ] && echo "HEAD $(git -C "$ROOT" rev-parse --short HEAD)" || echo 'working tree'))"
rm -rf "$STAGE"
mkdir -p "$STAGE/src"
if [ $FROM_HEAD = 1 ]; then
  git -C "$ROOT" archive HEAD | tar -x -C "$STAGE/src"
else
  # tracked (minus deleted) and untracked-but-not-ignored files
  (cd "$ROOT" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -x -C "$STAGE/src"
fi
git -C "$ROOT" rev-parse HEAD > "$STAGE/src/.source-commit"
git -C "$ROOT" status --short > "$STAGE/src/.source-status" || true

step "dotnet publish Host/Rlvr.Cli (Release, linux-x64, self-contained, TorchBackend=cpu)"
PUB="$STAGE/rlvr"
dotnet publish "$STAGE/src/Host/Rlvr.Cli/Rlvr.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:TorchBackend=cpu -o "$PUB" -v minimal -nologo

[ -x "$PUB/rlvr" ] || { echo "no $PUB/rlvr after publish" >&2; exit 1; }
[ -f "$PUB/libLibTorchSharp.so" ] || { echo "no libLibTorchSharp.so in $PUB" >&2; exit 1; }
ls "$PUB/plugins" >/dev/null 2>&1 || { echo "no plugins/ in $PUB: Host/Build/CopyPlugins.targets did not run" >&2; exit 1; }
echo "plugins: $(ls "$PUB/plugins" | tr '\n' ' ')"

step "remove the libtorch-cpu-linux-x64 native libraries (kept: libLibTorchSharp.so)"
# The exact files that package contributes, read from the app's own deps.json; then the package's entries are dropped
# from deps.json so that nothing refers to files that are no longer there.
DEPS="$PUB/rlvr.deps.json"
mapfile -t CPU_NATIVE < <(jq -r '.targets[] | to_entries[] | select(.key | startswith("libtorch-cpu-linux-x64/"))
                                  | (.value.native // {}) + (.value.runtimeTargets // {}) | keys[] | split("/") | last' "$DEPS" | sort -u)
[ "${#CPU_NATIVE[@]}" -gt 0 ] || { echo "found no libtorch-cpu-linux-x64 native assets in $DEPS" >&2; exit 1; }
before=$(du -sm "$PUB" | cut -f1)
for f in "${CPU_NATIVE[@]}"; do
  [ "$f" = libLibTorchSharp.so ] && continue
  rm -fv "$PUB/$f"
done
jq '(.targets[] |= with_entries(select(.key | startswith("libtorch-cpu-linux-x64/") | not)))
    | .libraries |= with_entries(select(.key | startswith("libtorch-cpu-linux-x64/") | not))
    | .targets[][] |= (if .dependencies then .dependencies |= with_entries(select(.key != "libtorch-cpu-linux-x64")) else . end)' \
  "$DEPS" > "$DEPS.new" && mv "$DEPS.new" "$DEPS"
left=$(cd "$PUB" && ls | grep -E '^lib(torch|c10|gomp|shm)' || true)
[ -z "$left" ] || { echo "still there: $left" >&2; exit 1; }
echo "publish folder: ${before} MiB -> $(du -sm "$PUB" | cut -f1) MiB"

step "libLibTorchSharp.so: GLIBCXX_3.4.32 need (patched weak where this machine's libstdc++ lacks it)"
if command -v readelf >/dev/null; then
  readelf -V "$PUB/libLibTorchSharp.so" | grep -E 'Name: GLIBCXX_3\.4\.32' || echo "(no GLIBCXX_3.4.32 need)"
fi

step "pack .gpu/rlvr.tar.xz (xz -9)"
cp "$STAGE/src/.source-commit" "$PUB/SOURCE_COMMIT"
cp "$STAGE/src/.source-status" "$PUB/SOURCE_STATUS"
tar -C "$STAGE" -cf - rlvr | xz -9 -T1 > "$ROOT/.gpu/rlvr.tar.xz.tmp"
mv "$ROOT/.gpu/rlvr.tar.xz.tmp" "$ROOT/.gpu/rlvr.tar.xz"
bytes=$(stat -c %s "$ROOT/.gpu/rlvr.tar.xz")
echo ".gpu/rlvr.tar.xz: $bytes bytes ($(( (bytes + 1048575) / 1048576 )) MiB)"
if [ "$bytes" -gt $((50 * 1048576)) ]; then echo "too big: over 50 MiB" >&2; exit 1; fi

if [ $CHECK = 1 ]; then
  step "check: unpack and run against the libtorch-cpu package (not the app's own copy, which is gone)"
  NUGET="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  VER=$(jq -r '.libraries | keys[]' "$PUB/../src/Host/Rlvr.Cli/obj/project.assets.json" 2>/dev/null \
        | sed -n 's#^libtorch-cpu-linux-x64/##p' | head -1)
  CPU_LIB="$NUGET/libtorch-cpu-linux-x64/${VER:-2.10.0}/runtimes/linux-x64/native"
  CHK="$STAGE/check"
  rm -rf "$CHK" && mkdir -p "$CHK"
  tar -xJf "$ROOT/.gpu/rlvr.tar.xz" -C "$CHK"
  echo "without LD_LIBRARY_PATH (must fail to find libtorch when torch is touched; --help must still work):"
  "$CHK/rlvr/rlvr" --help | head -5
  echo "with LD_LIBRARY_PATH=$CPU_LIB:"
  (cd "$CHK" && LD_LIBRARY_PATH="$CPU_LIB" ./rlvr/rlvr plugins)
  echo "check passed"
fi
