// Apart from ./backend.ts so that code building models on tfjs's default backend (the tests' random models) can
// import it without registering the wasm backend, which would become the default before it is initialised.
import * as tf from '@tensorflow/tfjs';

/**
 * tfjs's cpu backend advertises tfjs-node on its first tensor ("Hi, looks like you are running TensorFlow.js in
 * Node.js...", tfjs-backend-cpu backend_cpu.js, while its private `firstUse` is true). ./backend.ts chooses
 * tfjs-node first when it is installed, so the advert only adds noise: mark the backend used. Call it after the
 * backend is initialised (tf.ready re-creates the instance).
 */
export function skipCpuAdvert(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
