// Node-side TensorFlow.js backend: tfjs-node ("tensorflow") when the user could install it (optional, it downloads
// libtensorflow at install time), otherwise the WASM backend (SIMD, single-threaded in Node).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { skipCpuAdvert } from './cpu-advert.js';

export async function initNodeBackend(prefer: 'auto' | 'wasm' | 'cpu' = 'auto'): Promise<string> {
  skipCpuAdvert();
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
