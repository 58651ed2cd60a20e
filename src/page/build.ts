// Builds the browser side of the page into the Worker's static assets (wrangler.toml `[assets]`, dist/public/):
//   npx tsx src/page/build.ts
// Run by `npm start`, `npm test` and `npm run deploy`. The scripts are bundled with esbuild from ./browser/app.ts
// and docs.ts; the offline translator (./browser/offline.ts: tfjs + the same src/core/translator.ts the Worker runs) is
// a chunk loaded only when the page translates in the browser. The tfjs WASM binaries are copied beside it, so are
// Scalar's API reference bundle (as published) and the favicon, and _headers gives every asset the page's isolation
// and security headers (./headers.ts).
import { build } from 'esbuild';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_HEADERS } from './headers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'dist', 'public');
const out = `${target}.${process.pid}`; // swapped in when complete: a running dev server never sees half a build
const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const SCALAR = 'node_modules/@scalar/api-reference/dist/browser/standalone.js'; // the API reference of /docs (./browser/docs.ts)

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await build({
    entryPoints: {
      app: join(root, 'src/page/browser/app.ts'),
      docs: join(root, 'src/page/browser/docs.ts'),
      documents: join(root, 'src/page/browser/documents.ts'),
    },
    outdir: join(out, 'assets'),
    bundle: true,
    splitting: true, // the offline translator is its own chunk
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
  await mkdir(join(out, 'assets', 'tfjs'), { recursive: true });
  await Promise.all(WASM_FILES.map((file) => copyFile(join(root, WASM_DIR, file), join(out, 'assets', 'tfjs', file))));
  await copyFile(join(root, 'src/core/model/gemm.wasm'), join(out, 'assets', 'gemm.wasm')); // the decoder's kernels
  await mkdir(join(out, 'assets', 'scalar'), { recursive: true });
  await copyFile(join(root, SCALAR), join(out, 'assets', 'scalar', 'standalone.js'));
  await Promise.all(
    ['favicon.svg', 'favicon.ico'].map((file) => copyFile(join(root, 'src/page', file), join(out, file))),
  );
  const headers = Object.entries(PAGE_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
  await writeFile(join(out, '_headers'), ['/*', ...headers, ''].join('\n'));
  await rm(target, { recursive: true, force: true });
  await rename(out, target);
}

await main();
