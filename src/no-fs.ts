// What `fs` is in the Worker bundle (wrangler.toml [alias]): pofile (./core/files/po.ts) calls require('fs') only in
// PO.load and PO.save, which this project never calls; the Worker has no nodejs_compat (the tfjs WASM glue would take
// its Node branch), so the bundler needs a module to resolve the name to. Anything that reached it is a bug.
const unavailable = (): never => {
  throw new Error('fs is not available in the Worker');
};

export const readFile = unavailable;
export const writeFile = unavailable;
export default { readFile, writeFile };
