// The TensorFlow.js WASM backend inside workerd (wrangler dev, vitest-pool-workers, deployed Workers), and the
// decoder's own WASM kernels.
//
// Workers cannot compile WASM from bytes at run time, so the SIMD binary is imported as a module (wrangler turns a
// `.wasm` import into a WebAssembly.Module) and handed to emscripten through its `instantiateWasm` hook. The
// library's own `init()` has no way to take a precompiled module, so the `wasm` backend is registered again with a
// factory that does what `init()` does (same cwrap exports) with that hook. Single-threaded: Workers have no threads.
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import createWasmModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js';
import simdBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';
import { useGemm } from '../core/model/gemm.js';
import gemmBinary from '../core/model/gemm.wasm';

const BACKEND = 'wasm';
const PRIORITY = 3; // above webgl and the stock wasm (2), so even an implicit tf.ready() picks this one

useGemm(gemmBinary); // the decoder's matrix products (../core/model/gemm.ts), imported the same way

// Replace the stock registration as soon as this module is imported, before anything can touch the engine.
tf.env().set('WASM_HAS_SIMD_SUPPORT', true); // the imported binary is the SIMD build
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
if (tf.findBackendFactory(BACKEND)) tf.removeBackend(BACKEND);
tf.registerBackend(BACKEND, createBackend, PRIORITY);

let ready: Promise<void> | undefined;

/** Makes `wasm` the active tfjs backend; call before any tensor work (starts once, retries after a failure). */
export function initWasmBackend(): Promise<void> {
  ready ??= start().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

async function start(): Promise<void> {
  if (!(await tf.setBackend(BACKEND))) throw new Error('the tfjs wasm backend failed to start');
}

async function createBackend(): Promise<BackendWasm> {
  const module = await createWasmModule({
    instantiateWasm(
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      WebAssembly.instantiate(simdBinary, imports).then((instance) => receive(instance, simdBinary));
      return {}; // emscripten: "exports arrive later through receive()"
    },
  });
  // The same bindings as tfjs-backend-wasm's init(), under the `tfjs` namespace BackendWasm expects.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']), // id, size, memory offset
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return new BackendWasm(module);
}

/** Tensors alive in the engine (the leak check of /health and the tests); never starts a backend. */
export const tensorCount = (): number => tf.engine().state.numTensors;

/** Bytes held by the WASM heap (it only grows), or undefined before the backend started. */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.findBackend(BACKEND);
  return backend instanceof BackendWasm ? backend.wasm.HEAPU8.byteLength : undefined;
}
