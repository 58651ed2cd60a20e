// wrangler (and vitest-pool-workers) turn an imported .wasm file into a compiled WebAssembly.Module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

// The part of @types/emscripten that tfjs-backend-wasm's typings build on (src/store/wasm-backend.ts uses these two).
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  cwrap(ident: string, returnType: 'number' | null, argTypes: 'number'[]): (...args: number[]) => number;
}
