// Loading one version of a model from R2: its objects read with a timeout, verified against its manifest
// (../core/open-artifact.ts) and built into a translator on the WASM backend. A failure is a LoadFailure with two
// texts: `reason` in words for clients, `detail` with the R2 keys, sizes and sha256s for /health and the logs.
import { objectKey } from '../core/layout.js';
import { openArtifact } from '../core/open-artifact.js';
import { loadTranslator, type Translator } from '../core/translator.js';
import { initWasmBackend } from './wasm-backend.js';

type Bucket = Pick<R2Bucket, 'get'>;

/** A model load's stages, in ms: R2 reads (manifest, then the files in parallel), sha256 checks, building tensors. */
export interface LoadPhases {
  readMs: number;
  verifyMs: number;
  buildMs: number; // the WASM backend (started with the reads) and loadTranslator
}

export interface LoadResult {
  translator: Translator;
  phases: LoadPhases;
}

/** Why a pointer or a version cannot be loaded: `reason` in words, `detail` with keys and hashes. */
export class LoadFailure extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Reads a version's files from R2, verifies them (openArtifact) and builds its translator; a LoadFailure says why not. */
export async function loadVersion(bucket: Bucket, readTimeoutMs: number, direction: string, version: string): Promise<LoadResult> {
  const where = `${direction}@${version}`;
  const backend = initWasmBackend(); // in parallel with the R2 reads; awaited below
  backend.catch(() => {}); // a read failure below must not leave this rejection unhandled
  let readingFiles = false; // openArtifact reads the files only once manifest.json is valid
  const read = async (path: string) => {
    readingFiles ||= path !== 'manifest.json';
    const key = objectKey(direction, version, path);
    const bytes = await readObject(bucket, key, readTimeoutMs);
    if (!bytes) throw new LoadFailure(`${partOf(path)} could not be found in storage`, `model ${where}: "${key}" not found in R2`);
    return bytes;
  };
  let opened: Awaited<ReturnType<typeof openArtifact>>;
  try {
    opened = await openArtifact(read, { direction, version });
  } catch (err) {
    if (err instanceof LoadFailure) throw err;
    const detail = `model ${where} cannot be loaded: ${messageOf(err).replace(`${where}: `, '')}`; // verifyFiles names it too
    if (!readingFiles) throw new LoadFailure('its manifest is invalid', detail);
    const path = /"([^"]+)" has /.exec(messageOf(err))?.[1]; // verifyFiles names the file whose size or sha256 differs
    throw new LoadFailure(`${path ? partOf(path) : 'a file of its model'} failed verification`, detail);
  }
  try {
    const built = performance.now();
    await backend;
    const translator = await loadTranslator(opened.manifest, opened.files);
    return { translator, phases: { readMs: opened.readMs, verifyMs: opened.verifyMs, buildMs: performance.now() - built } };
  } catch (err) {
    throw new LoadFailure('its model could not be built', `model ${where} cannot be loaded: ${messageOf(err)}`);
  }
}

/** An object's bytes, or undefined when it is absent; R2 failing or not answering in time is a LoadFailure. */
export async function readObject(bucket: Bucket, key: string, readTimeoutMs: number): Promise<Uint8Array | undefined> {
  const read = async () => {
    const object = await bucket.get(key);
    return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${readTimeoutMs} ms`)), readTimeoutMs);
  });
  try {
    return await Promise.race([read(), timeout]);
  } catch (err) {
    throw new LoadFailure('the model storage is not answering', `R2 read of "${key}" failed: ${messageOf(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The part of an artifact a file is, in words, for the public error. */
function partOf(path: string): string {
  if (path === 'manifest.json') return 'its manifest';
  if (path.endsWith('.bin')) return 'its weights';
  if (/(^|\/)vocab[^/]*$/.test(path)) return 'its vocabulary';
  if (/(^|\/)subwords[^/]*$/.test(path)) return 'its subword merges';
  if (path.endsWith('model.json')) return 'its model definition';
  return 'a file of its model';
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
