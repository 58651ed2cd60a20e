// The page's offline mode: the Worker's own translator (src/core/translator.ts, decode.ts, tokenizers) running in the
// browser on tfjs-wasm with SIMD and threads, on the same R2 artifacts (GET /models/<direction>/files/<path>),
// checked against the manifest's sha256s exactly as the Worker checks them; and the bilingual dictionary (GET
// /dictionary/files/<path>, src/core/dictionary/artifact.ts), fetched only when a sentence has a word the model cannot
// read or a word is looked up, then kept for the page's life. Loaded as a separate chunk by ./app.ts only when the
// visitor asks for it.
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { translateDocuments, type DocumentTranslation } from '../../core/document/translate-documents.js';
import { openDictionary } from '../../core/dictionary/artifact.js';
import type { Dictionary } from '../../core/dictionary/dictionary.js';
import { lookUp, type LookUp } from '../../core/dictionary/look-up.js';
import { useGemm } from '../../core/model/gemm.js';
import { openArtifact } from '../../core/open-artifact.js';
import type { Formality } from '../../core/register.js';
import type { Translator } from '../../core/translator.js';
import { loadTranslator } from '../../core/load-translator.js';

export interface OfflineRequest {
  text: string;
  beam: number;
  direction: string; // a served direction or "auto"
  formality: Formality; // default, prefer_more or prefer_less from the page
}

export interface OfflineAnswer {
  result: DocumentTranslation;
  threads: number; // WASM threads tfjs runs on
  loadMs?: number; // when this request had to fetch and load the model first
}

/** What this browser lacks for the offline mode (empty: it can run it). */
export async function missingFeatures(): Promise<string[]> {
  const checks: Array<[string, () => Promise<boolean> | boolean]> = [
    ['cross-origin isolation', () => globalThis.crossOriginIsolated === true],
    ['WebAssembly SIMD', async () => (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true],
    ['WebAssembly threads', async () => (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true],
  ];
  const results = await Promise.all(checks.map(async ([name, check]) => ((await check()) ? [] : [name])));
  return results.flat();
}

let backend: Promise<number> | undefined; // threads, once the wasm backend runs
const translators = new Map<string, Promise<Translator>>(); // direction -> its live model, loaded once per page

/** Translates like POST /translate with nbest = beam and alignment (the page shows both), sentence by sentence. */
export async function translateOffline(request: OfflineRequest, served: string[]): Promise<OfflineAnswer> {
  backend ??= startBackend();
  const threads = await backend;
  const started = performance.now();
  let loadMs: number | undefined;
  const translatorFor = async (direction: string): Promise<Translator> => {
    let model = translators.get(direction);
    if (!model) {
      model = loadModel(direction).catch((err: unknown) => forget(direction, err));
      translators.set(direction, model);
      await model;
      loadMs = (loadMs ?? 0) + performance.now() - started;
    }
    return model;
  };
  const options = {
    beam: request.beam,
    nbest: request.beam,
    alignment: true,
    replaceUnknown: true,
    dictionary: offlineDictionary,
    formality: request.formality,
  };
  const { documents } = await translateDocuments(
    [{ text: request.text, direction: request.direction }],
    served,
    translatorFor,
    options,
  );
  const [result] = documents;
  if (!result) throw new Error('the translator returned no translation');
  return { result, threads, loadMs };
}

let dictionary: Promise<{ dictionary: Dictionary; credit: string } | undefined> | undefined; // fetched once, when needed

/** The live dictionary, verified; undefined (and asked again next time) when it cannot be fetched. */
async function offlineDictionary(): Promise<Dictionary | undefined> {
  dictionary ??= openDictionary(
    async (path) => new Uint8Array(await (await fetchOk(`/dictionary/files/${path}`)).arrayBuffer()),
  ).then(
    ({ manifest, dictionary }) => ({ dictionary, credit: manifest.licence.credit }),
    () => (dictionary = undefined),
  );
  return (await dictionary)?.dictionary;
}

/** A word's entries from the dictionary in this browser, as GET /dictionary answers; undefined without one. */
export async function lookUpOffline(word: string): Promise<(LookUp & { credit: string }) | undefined> {
  const loaded = (await offlineDictionary()) && (await dictionary);
  return loaded && { ...lookUp(loaded.dictionary, word), credit: loaded.credit };
}

async function startBackend(): Promise<number> {
  setWasmPaths('/assets/tfjs/'); // the binaries ../build.ts copies into the Worker's assets
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to start');
  useGemm(await WebAssembly.compile(await (await fetchOk('/assets/gemm.wasm')).arrayBuffer()));
  return getThreadsCount();
}

function forget(direction: string, err: unknown): never {
  translators.delete(direction); // a failed load is tried again by the next request
  throw err;
}

/** The live model's files, verified; fetched again once if the live version changed in between. */
async function loadModel(direction: string): Promise<Translator> {
  const read = async (path: string) =>
    new Uint8Array(await (await fetchOk(`/models/${encodeURIComponent(direction)}/files/${path}`)).arrayBuffer());
  for (let attempt = 1; ; attempt++) {
    try {
      const { manifest, files } = await openArtifact(read);
      return await loadTranslator(manifest, files);
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}
