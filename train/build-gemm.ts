// Assembles src/core/model/gemm.wat into gemm.wasm beside it (`npm run build:gemm`). The binary is committed, since the Worker imports
// it as a module and nothing else builds it; test/unit/gemm.test.ts fails when the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

export const GEMM_WAT = fileURLToPath(new URL('../src/core/model/gemm.wat', import.meta.url));
export const GEMM_WASM = fileURLToPath(new URL('../src/core/model/gemm.wasm', import.meta.url));

/** The WebAssembly binary of gemm.wat. */
export async function assembleGemm(): Promise<Uint8Array> {
  const wabt = await initWabt();
  const module = wabt.parseWat('gemm.wat', readFileSync(GEMM_WAT, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GEMM_WASM, await assembleGemm());
  console.log(`wrote ${GEMM_WASM}`);
}
