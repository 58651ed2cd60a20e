// The Worker's bilingual dictionary (../core/dictionary): read from R2 as the models are (../core/layout.ts, under the
// name "dictionary": current/dictionary.json names the live version), verified against its manifest's sha256s, and
// loaded only when a request needs it: a sentence with a word its model cannot read (../core/document), a look-up
// (GET /dictionary), or /health and /models, which report on it.
//
// Rules (the model store's, ./model-store.ts, made lighter: the dictionary is plain JavaScript data, nothing to dispose):
// - the pointer is re-read at most every `pointerTtlMs`; a new version is loaded by the first request that needs it
//   (the others wait for the same load) and replaces the old one, which the garbage collector takes;
// - a version that cannot be loaded (an object missing or unreadable, a size or sha256 mismatch, an invalid manifest or
//   file, R2 not answering) is remembered for `pointerTtlMs`, and meanwhile the last version loaded answers, else the
//   pointer's `previous`: `degraded`, with the reason;
// - when none can be loaded, or no dictionary is published (no pointer), `get()` resolves to undefined: translations go
//   on as they did before the dictionary (words the model cannot read go through it), never a 5xx; /health says why.
import { DICTIONARY, openDictionary, type DictionaryManifest } from '../core/dictionary/artifact.js';
import type { Dictionary } from '../core/dictionary/dictionary.js';
import { modelId, objectKey, type Pointer } from '../core/layout.js';
import { LoadFailure, messageOf, readObject, readPointer, withDefaults, type StoreOptions } from './r2-reads.js';

/** What /health and /models say of the dictionary. */
export type DictionaryStatus =
  | { status: 'not loaded' } // no request has needed it in this isolate yet
  | { status: 'absent'; reason: string } // nothing published
  | {
      status: 'ok' | 'degraded';
      version: string;
      entries: number;
      bytes: number;
      licence: DictionaryManifest['licence'];
      live?: string;
      reason?: string;
      detail?: string;
    }
  | { status: 'unavailable'; live?: string; reason: string; detail: string };

interface Loaded {
  version: string;
  manifest: DictionaryManifest;
  dictionary: Dictionary;
}

export class DictionaryStore {
  readonly #options: Required<StoreOptions>;
  #pointer?: { read: Promise<Pointer | undefined>; at: number };
  #serving?: Loaded; // the version last loaded
  readonly #loads = new Map<string, Promise<Loaded>>(); // version -> its load (while it runs)
  readonly #failures = new Map<string, { failure: LoadFailure; at: number }>(); // version -> its last failed load
  #status: DictionaryStatus = { status: 'not loaded' };

  constructor(options: StoreOptions) {
    this.#options = withDefaults(options);
  }

  /** The dictionary to use now (the rules above); undefined when there is none. Never rejects. */
  async get(): Promise<Dictionary | undefined> {
    let pointer: Pointer | undefined;
    try {
      pointer = await this.#readPointer();
    } catch (err) {
      return this.#fallback(undefined, asFailure(err, 'its live pointer cannot be read'));
    }
    if (!pointer) {
      this.#status = {
        status: 'absent',
        reason: 'no dictionary has been uploaded (npm run upload -- --model model-artifacts/dictionary)',
      };
      return undefined;
    }
    if (this.#serving?.version === pointer.version) return this.#answer(this.#serving);
    try {
      return this.#answer((this.#serving = await this.#load(pointer.version)));
    } catch (err) {
      return this.#fallback(pointer, asFailure(err, 'it cannot be loaded'));
    }
  }

  /** The dictionary's state after `get()`: what /health reports. */
  async check(): Promise<DictionaryStatus> {
    await this.get();
    return this.#status;
  }

  /** What this isolate knows without loading anything. */
  get status(): DictionaryStatus {
    return this.#status;
  }

  #answer(loaded: Loaded, degraded?: { live: string; reason: string; detail: string }): Dictionary {
    const { version, manifest, dictionary } = loaded;
    const entries = dictionary.entryCount['ja-en'] + dictionary.entryCount['en-ja'];
    this.#status = {
      status: degraded ? 'degraded' : 'ok',
      version,
      entries,
      bytes: dictionary.bytes,
      licence: manifest.licence,
      ...degraded,
    };
    return dictionary;
  }

  /** The last version loaded, else the pointer's previous; else undefined, and the status says why. */
  async #fallback(pointer: Pointer | undefined, failure: LoadFailure): Promise<Dictionary | undefined> {
    const live = pointer ? modelId(DICTIONARY, pointer.version) : undefined;
    const degraded = { live: live ?? DICTIONARY, reason: failure.reason, detail: failure.detail };
    if (this.#serving) return this.#answer(this.#serving, degraded);
    if (pointer?.previous) {
      try {
        return this.#answer((this.#serving = await this.#load(pointer.previous)), degraded);
      } catch {
        // neither loads: unavailable below
      }
    }
    this.#status = { status: 'unavailable', ...(live && { live }), reason: failure.reason, detail: failure.detail };
    return undefined;
  }

  #fresh(at: number): boolean {
    return this.#options.now() - at < this.#options.pointerTtlMs;
  }

  /** The pointer, read at most once per TTL; undefined when there is none. */
  #readPointer(): Promise<Pointer | undefined> {
    if (this.#pointer && this.#fresh(this.#pointer.at)) return this.#pointer.read;
    const read = readPointer(this.#options.bucket, DICTIONARY, this.#options.readTimeoutMs);
    read.catch(() => {}); // a failed read is answered by get(); a concurrent reader sees it too
    this.#pointer = { read, at: this.#options.now() };
    return read;
  }

  /** A version's load: shared by concurrent requests; a failure remembered for a TTL. */
  #load(version: string): Promise<Loaded> {
    const failed = this.#failures.get(version);
    if (failed && this.#fresh(failed.at)) return Promise.reject(failed.failure);
    let loading = this.#loads.get(version);
    if (!loading) {
      loading = this.#open(version).finally(() => this.#loads.delete(version));
      loading.then(
        () => this.#failures.delete(version),
        (err: unknown) => {
          const failure = asFailure(err, 'it cannot be loaded');
          this.#failures.set(version, { failure, at: this.#options.now() });
          console.warn(`dictionary load failed: ${failure.detail}`);
        },
      );
      this.#loads.set(version, loading);
    }
    return loading;
  }

  async #open(version: string): Promise<Loaded> {
    const where = modelId(DICTIONARY, version);
    const read = async (path: string) => {
      const key = objectKey(DICTIONARY, version, path);
      const bytes = await readObject(this.#options.bucket, key, this.#options.readTimeoutMs);
      if (!bytes)
        throw new LoadFailure('a file of it could not be found in storage', `${where}: "${key}" not found in R2`);
      return bytes;
    };
    try {
      const { manifest, dictionary } = await openDictionary(read, version);
      return { version, manifest, dictionary };
    } catch (err) {
      if (err instanceof LoadFailure) throw err;
      const reason = /sha256|bytes, manifest says/.test(messageOf(err))
        ? 'a file of it failed verification'
        : 'it is not a valid dictionary';
      throw new LoadFailure(reason, `${where} cannot be loaded: ${messageOf(err)}`);
    }
  }
}

function asFailure(err: unknown, reason: string): LoadFailure {
  return err instanceof LoadFailure ? err : new LoadFailure(reason, messageOf(err));
}
