// Loading one version of a model from R2: its objects read with a timeout (./r2-reads.ts), verified against its
// manifest (../core/open-artifact.ts) and built into a translator on the WASM backend. A failure is a LoadFailure
// (./r2-reads.ts) that says which part of the model failed.
// An ensemble loads in two steps: its first model (what a cold request waits for: half the bytes to read, hash and
// build), then, when asked, its other members (`withMembers`).
import { modelId, objectKey } from '../core/layout.js';
import type { Manifest } from '../core/artifact.js';
import { openArtifact, readFiles, type ReadFile } from '../core/open-artifact.js';
import type { Translator } from '../core/translator.js';
import { loadTranslator, memberFiles } from '../core/load-translator.js';
import { LoadFailure, messageOf, readObject, type Bucket } from './r2-reads.js';
import { initWasmBackend } from './wasm-backend.js';

/** A model load's stages, in ms: R2 reads (manifest, then the files in parallel), sha256 checks, building tensors. */
export interface LoadPhases {
  readMs: number;
  verifyMs: number;
  buildMs: number; // the WASM backend (started with the reads) and loadTranslator
}

export interface LoadResult {
  translator: Translator;
  phases: LoadPhases;
  /** Of a translator loaded without its ensemble members: reads, verifies and builds them (the same LoadFailures). */
  withMembers?: () => Promise<LoadResult>;
}

/**
 * Reads a version's files from R2, verifies them (openArtifact) and builds its translator, of its first model alone
 * when it is an ensemble (then `withMembers` loads the rest); a LoadFailure says why not.
 */
export async function loadVersion(
  bucket: Bucket,
  readTimeoutMs: number,
  direction: string,
  version: string,
): Promise<LoadResult> {
  const where = modelId(direction, version);
  const backend = initWasmBackend(); // in parallel with the R2 reads; awaited below
  backend.catch(() => {}); // a read failure below must not leave this rejection unhandled
  let readingFiles = false; // openArtifact reads the files only once manifest.json is valid
  const read: ReadFile = async (path) => {
    readingFiles ||= path !== 'manifest.json';
    const key = objectKey(direction, version, path);
    const bytes = await readObject(bucket, key, readTimeoutMs);
    if (!bytes)
      throw new LoadFailure(
        `${partOf(path)} could not be found in storage`,
        `model ${where}: "${key}" not found in R2`,
      );
    return bytes;
  };
  const opened = await failingAs(
    where,
    () => readingFiles,
    () => openArtifact(read, { direction, version }, memberFiles),
  );
  const built = performance.now();
  const translator = await building(where, async () => {
    await backend;
    return loadTranslator(opened.manifest, opened.files, 'int8', { members: false });
  });
  const phases = { readMs: opened.readMs, verifyMs: opened.verifyMs, buildMs: performance.now() - built };
  return {
    translator,
    phases,
    ...(translator.partial && { withMembers: () => loadMembers(translator, opened.manifest, read, where) }),
  };
}

/** The ensemble of a translator loaded without its members: their files read and verified, then built. */
async function loadMembers(first: Translator, manifest: Manifest, read: ReadFile, where: string): Promise<LoadResult> {
  const { files, readMs, verifyMs } = await failingAs(
    where,
    () => true,
    () => readFiles(read, manifest, memberFiles(manifest)),
  );
  const built = performance.now();
  const translator = await building(where, async () => first.withMembers(files));
  return { translator, phases: { readMs, verifyMs, buildMs: performance.now() - built } };
}

/** Runs a read-and-verify step, turning its errors into LoadFailures that say which part of the model failed. */
async function failingAs<T>(where: string, readingFiles: () => boolean, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof LoadFailure) throw err;
    const detail = `model ${where} cannot be loaded: ${messageOf(err).replace(`${where}: `, '')}`; // verifyFiles names it too
    if (!readingFiles()) throw new LoadFailure('its manifest is invalid', detail);
    const path = /"([^"]+)" has /.exec(messageOf(err))?.[1]; // verifyFiles names the file whose size or sha256 differs
    throw new LoadFailure(`${path ? partOf(path) : 'a file of its model'} failed verification`, detail);
  }
}

async function building(where: string, build: () => Promise<Translator>): Promise<Translator> {
  try {
    return await build();
  } catch (err) {
    throw new LoadFailure('its model could not be built', `model ${where} cannot be loaded: ${messageOf(err)}`);
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
