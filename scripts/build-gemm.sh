#!/usr/bin/env bash
# Compiles src/core/model/gemm.c into the committed gemm.wasm beside it: `npm run build:gemm` (or
# `scripts/build-gemm.sh OUT.wasm` to write elsewhere). The Worker imports the binary and nothing else builds it, so
# running or testing the project needs no compiler; test/unit/gemm-build.test.ts rebuilds it where the pinned clang
# is installed and fails when the bytes differ.
set -euo pipefail

# Debian 12's clang and lld (apt-get install -y clang lld): another major version emits other, equally valid, bytes.
CLANG_MAJOR=14

root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/src/core/model/gemm.wasm}")
clang=${CLANG:-clang}
major=$("$clang" -dumpversion 2>/dev/null | cut -d. -f1 || true)
if [ "$major" != "$CLANG_MAJOR" ]; then
  echo "build:gemm needs clang $CLANG_MAJOR and wasm-ld (apt-get install -y clang lld); found '${major:-none}'" >&2
  exit 2
fi

# No fast-math: -ffp-contract=off (no fused multiply-adds), so every float rounds as written. No libc, and
# -fno-builtin so that no loop becomes a call to memset. -mnontrapping-fptoint for i32.trunc_sat_f32_s. The module
# owns no memory (gemm.ts lays it out from 0): no data, an empty C stack at address 0, one page to start.
flags=(--target=wasm32 -msimd128 -mnontrapping-fptoint -ffp-contract=off -O3 -nostdlib -fno-builtin)
flags+=(-Wall -Wextra -Werror)
link=(-Wl,--no-entry -Wl,--export-dynamic -Wl,--stack-first -Wl,-z,stack-size=0 -Wl,--initial-memory=65536)
"$clang" "${flags[@]}" "${link[@]}" -o "$out" "$root/src/core/model/gemm.c"
chmod 644 "$out" # a module, not a program
echo "wrote $out"
