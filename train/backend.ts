// Node-side TensorFlow.js backend: tfjs-node ("tensorflow") when the user could install it (optional, it downloads
// libtensorflow at install time), otherwise the WASM backend (SIMD, single-threaded in Node).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { useGemm } from '../src/core/model/gemm.js';
import { skipCpuAdvert } from './cpu-advert.js';

/** Starts a tfjs backend and hands the inference core its decoder kernels (src/core/model/gemm.wasm). */
export async function initNodeBackend(prefer: 'auto' | 'wasm' | 'cpu' = 'auto'): Promise<string> {
  skipCpuAdvert();
  useGemm(new WebAssembly.Module(readFileSync(new URL('../src/core/model/gemm.wasm', import.meta.url))));
  if (prefer === 'auto') {
    const tfjsNode = '@tensorflow/tfjs-node'; // a variable, so bundlers and tsc do not require it to exist
    try {
      await import(tfjsNode);
      if (await tf.setBackend('tensorflow')) return 'tensorflow';
    } catch {
      // not installed: fall through to wasm
    }
  }
  const name = prefer === 'cpu' ? 'cpu' : 'wasm';
  if (!(await tf.setBackend(name))) throw new Error(`could not start the tfjs ${name} backend`);
  await tf.ready();
  return name;
}
