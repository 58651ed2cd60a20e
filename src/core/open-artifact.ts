// Opening an artifact, wherever its files live (R2 for the Worker, a folder for the Node tools, HTTP for the page):
// read manifest.json, validate it, read every file it lists, and check each one's size and sha256. Web Crypto only,
// so it runs in Workers, Node 20 and browsers alike. Building the model from the files is ./translator.ts's job.
import { ArtifactError, validateManifest, type Manifest } from './artifact.js';
import { modelId } from './layout.js';

/** The bytes of one file of the artifact, by its path inside it; throws (its own error, naming where) when absent. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

export interface OpenedArtifact {
  manifest: Manifest;
  files: Record<string, Uint8Array>; // every file of manifest.files, verified
  readMs: number; // reading manifest.json, then the files in parallel
  verifyMs: number; // sha256 checks
}

/**
 * Reads and checks an artifact; `expected` (the R2 pointer's view) must match the manifest's direction and version.
 * `later` names files not to read yet (readFiles reads them when they are needed: e.g. ./load-translator.ts memberFiles).
 */
export async function openArtifact(
  read: ReadFile,
  expected?: { direction: string; version: string },
  later?: (manifest: Manifest) => string[],
): Promise<OpenedArtifact> {
  const started = performance.now();
  const manifest = parseManifest(await read('manifest.json'));
  if (expected && (manifest.direction !== expected.direction || manifest.version !== expected.version)) {
    throw new ArtifactError(`manifest.json describes ${modelId(manifest.direction, manifest.version)}`);
  }
  const skipped = new Set(later?.(manifest));
  const manifestMs = performance.now() - started;
  const { files, readMs, verifyMs } = await readFiles(
    read,
    manifest,
    Object.keys(manifest.files).filter((path) => !skipped.has(path)),
  );
  return { manifest, files, readMs: manifestMs + readMs, verifyMs };
}

/** What verifyFiles reads of a manifest: a model's, or the dictionary's (./dictionary/artifact.ts, `name` for `direction`). */
export type FileManifest = Pick<Manifest, 'version' | 'files'> & ({ direction: string } | { name: string });

/** Reads files of the artifact of `manifest` in parallel, then checks each one's size and sha256 (verifyFiles). */
export async function readFiles(
  read: ReadFile,
  manifest: FileManifest,
  paths: string[],
): Promise<Omit<OpenedArtifact, 'manifest'>> {
  const started = performance.now();
  const files = Object.fromEntries(await Promise.all(paths.map(async (path) => [path, await read(path)] as const)));
  const readAt = performance.now();
  await verifyFiles(manifest, files, paths);
  return { files, readMs: readAt - started, verifyMs: performance.now() - readAt };
}

function parseManifest(bytes: Uint8Array): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ArtifactError(`manifest.json is invalid (${(err as Error).message})`);
  }
  try {
    return validateManifest(json);
  } catch (err) {
    throw new ArtifactError(`manifest.json is invalid (${(err as Error).message})`);
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // The cast only narrows the buffer type: Web Crypto takes views of ordinary (non-shared) ArrayBuffers.
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws ArtifactError naming the first of `paths` (default: all) that is missing or whose size or sha256 differs from the manifest. */
export async function verifyFiles(
  manifest: FileManifest,
  files: Record<string, Uint8Array>,
  paths = Object.keys(manifest.files),
): Promise<void> {
  const id = modelId('direction' in manifest ? manifest.direction : manifest.name, manifest.version);
  for (const path of paths) {
    const want = manifest.files[path];
    if (!want) throw new ArtifactError(`${id}: file "${path}" is not in the manifest`);
    const bytes = files[path];
    if (!bytes) throw new ArtifactError(`${id}: file "${path}" is missing`);
    if (bytes.byteLength !== want.bytes)
      throw new ArtifactError(`${id}: "${path}" has ${bytes.byteLength} bytes, manifest says ${want.bytes}`);
    const sha = await sha256Hex(bytes);
    if (sha !== want.sha256)
      throw new ArtifactError(`${id}: "${path}" has sha256 ${sha}, manifest says ${want.sha256}`);
  }
}
