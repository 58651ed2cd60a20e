// Response headers of the page, the docs and every static asset (src/routes/page.ts sets them on the HTML,
// ./build.ts writes them into the assets' _headers file).
export const PAGE_HEADERS: Record<string, string> = {
  // Cross-origin isolation: SharedArrayBuffer, so the offline mode can run tfjs-wasm with threads.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Nothing from other origins. 'wasm-unsafe-eval' compiles tfjs' WASM; its threads are blob: workers.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
};
