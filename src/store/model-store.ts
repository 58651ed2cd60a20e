// Where the live model comes from: R2, in the layout of ../core/layout.ts (a pointer names the live version).
// Each isolate keeps the translators it has loaded, re-reads a pointer at most every `pointerTtlMs` (a new upload
// goes live without a redeploy), and disposes a replaced version once no request holds it any more. A failed load
// is remembered for at most `pointerTtlMs` too and then retried, so a fixed bucket heals without a restart.
// R2 itself failing (an error, or no answer within `readTimeoutMs`) is such a failed load too, never a hung request.
import { openArtifact } from '../core/open-artifact.js';
import { loadTranslator, type Translator } from '../core/translator.js';
import { initWasmBackend } from './wasm-backend.js';
import { VERSION_PATTERN, objectKey, pointerKey } from '../core/layout.js';

/** The live model of a direction cannot be loaded right now (missing pointer or object, corrupt artifact). */
export class ModelUnavailableError extends Error {
  readonly code = 'model_unavailable';
}

export interface ModelStoreOptions {
  bucket: Pick<R2Bucket, 'get'>; // the store only reads
  /** How long one R2 read (object and body) may take before the load fails; default 10 s. */
  readTimeoutMs?: number;
  /** How long a pointer read (or a failed load) is trusted, in ms; 0 re-reads R2 on every request. */
  pointerTtlMs: number;
  /** Clock for the TTL; deployed Workers only advance it between I/O, which is all the TTL needs. */
  now?: () => number;
}

/** A translator checked out for one request; `release()` it when the response is built. */
export interface Lease {
  translator: Translator;
  /** Wall time this request spent waiting for the model to load, if it had to. */
  loadMs?: number;
  /** Where that load's time went, when this request waited for it. */
  loadPhases?: LoadPhases;
  release(): void;
}

/** A model load's stages, in ms: R2 reads (manifest, then the files in parallel), sha256 checks, building tensors. */
export interface LoadPhases {
  readMs: number;
  verifyMs: number;
  buildMs: number; // the WASM backend (started with the reads) and loadTranslator
}

interface LoadResult {
  translator: Translator;
  phases: LoadPhases;
}

interface Loaded {
  direction: string;
  version: string;
  translator?: Translator; // set once `promise` has resolved
  promise: Promise<LoadResult>;
  holders: number;
  retired: boolean;
}

export class ModelStore {
  readonly #bucket: Pick<R2Bucket, 'get'>;
  readonly #ttl: number;
  readonly #readTimeoutMs: number;
  readonly #now: () => number;
  readonly #pointers = new Map<string, { version: Promise<string>; at: number }>(); // direction -> pointer read
  readonly #live = new Map<string, string>(); // direction -> version the last pointer read named
  readonly #models = new Map<string, Loaded>(); // "direction@version" -> translator (loading or ready)
  readonly #failures = new Map<string, { error: unknown; at: number }>(); // "direction@version" -> last failed load

  constructor(options: ModelStoreOptions) {
    this.#bucket = options.bucket;
    this.#ttl = options.pointerTtlMs;
    this.#readTimeoutMs = options.readTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The version the pointer names, read from R2 at most once per TTL (concurrent readers share one read). */
  liveVersion(direction: string): Promise<string> {
    const cached = this.#pointers.get(direction);
    if (cached && this.#fresh(cached.at)) return cached.version;
    const version = this.#readPointer(direction);
    const read = { version, at: this.#now() };
    this.#pointers.set(direction, read);
    version.then(
      (v) => this.#live.set(direction, v),
      () => this.#pointers.get(direction) === read && this.#pointers.delete(direction), // a failed read is not cached
    );
    return version;
  }

  /** Checks out the translator of `version` (default: the live one), loading it first if needed. */
  async lease(direction: string, version?: string): Promise<Lease> {
    version ??= await this.liveVersion(direction);
    const started = this.#now();
    const entry = this.#models.get(`${direction}@${version}`) ?? this.#load(direction, version);
    entry.holders++; // counted while waiting too, so a swap cannot dispose it under us
    let translator: Translator;
    let phases: LoadPhases | undefined; // set when this request waited for the load
    try {
      if (entry.translator) translator = entry.translator;
      else ({ translator, phases } = await entry.promise);
    } catch (err) {
      entry.holders--;
      throw err;
    }
    if (entry.retired && this.#live.get(direction) === version) this.#promote(entry); // pointer was rolled back
    let released = false;
    return {
      translator,
      loadMs: phases ? this.#now() - started : undefined,
      loadPhases: phases,
      release: () => {
        if (released) return;
        released = true;
        entry.holders--;
        this.#disposeIfUnused(entry);
      },
    };
  }

  /** What this isolate holds: one row per version still in memory. */
  loaded(): Array<{ direction: string; version: string; ready: boolean; holders: number; retired: boolean }> {
    return [...this.#models.values()].map(({ direction, version, translator, holders, retired }) => ({
      direction,
      version,
      ready: translator !== undefined,
      holders,
      retired,
    }));
  }

  #fresh(at: number): boolean {
    return this.#now() - at < this.#ttl;
  }

  async #readPointer(direction: string): Promise<string> {
    const key = pointerKey(direction);
    const bytes = await this.#read(key);
    if (!bytes) throw new ModelUnavailableError(`no live model for ${direction}: R2 object "${key}" not found (upload one with npm run upload)`);
    let version: unknown;
    try {
      const pointer: unknown = JSON.parse(new TextDecoder().decode(bytes));
      version = typeof pointer === 'object' && pointer !== null && 'version' in pointer ? pointer.version : undefined;
    } catch {
      throw new ModelUnavailableError(`no live model for ${direction}: "${key}" is not valid JSON`);
    }
    if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) {
      throw new ModelUnavailableError(`no live model for ${direction}: "${key}" must be {"version": "<id>"} (letters, digits, . _ -)`);
    }
    return version;
  }

  #load(direction: string, version: string): Loaded {
    const key = `${direction}@${version}`;
    const failed = this.#failures.get(key);
    if (failed && this.#fresh(failed.at)) throw failed.error; // retried once the TTL has passed
    const entry: Loaded = { direction, version, promise: this.#fetchAndLoad(direction, version), holders: 0, retired: false };
    this.#models.set(key, entry);
    entry.promise.then(
      ({ translator }) => {
        entry.translator = translator;
        this.#failures.delete(key);
        if (this.#live.get(direction) === version) this.#promote(entry);
        else this.#retire(entry); // the pointer moved on while this version was loading
      },
      (error: unknown) => {
        this.#models.delete(key); // no poisoned cache
        this.#failures.set(key, { error, at: this.#now() });
      },
    );
    return entry;
  }

  async #fetchAndLoad(direction: string, version: string): Promise<LoadResult> {
    const where = `${direction}@${version}`;
    const backend = initWasmBackend(); // in parallel with the R2 reads; awaited below
    backend.catch(() => {}); // a read failure below must not leave this rejection unhandled
    const read = async (path: string) => {
      const key = objectKey(direction, version, path);
      const bytes = await this.#read(key);
      if (!bytes) throw new ModelUnavailableError(`model ${where}: "${key}" not found in R2`);
      return bytes;
    };
    try {
      const { manifest, files, readMs, verifyMs } = await openArtifact(read, { direction, version });
      const built = performance.now();
      await backend;
      const translator = await loadTranslator(manifest, files);
      return { translator, phases: { readMs, verifyMs, buildMs: performance.now() - built } };
    } catch (err) {
      if (err instanceof ModelUnavailableError) throw err;
      throw new ModelUnavailableError(`model ${where} cannot be loaded: ${messageOf(err)}`);
    }
  }

  /** An object's bytes, or undefined when it is absent; R2 failing or not answering in time is a ModelUnavailableError. */
  async #read(key: string): Promise<Uint8Array | undefined> {
    const read = async () => {
      const object = await this.#bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#readTimeoutMs} ms`)), this.#readTimeoutMs);
    });
    try {
      return await Promise.race([read(), timeout]);
    } catch (err) {
      throw new ModelUnavailableError(`R2 read of "${key}" failed: ${messageOf(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Makes `entry` the one served for its direction; older versions go once their last request finishes. */
  #promote(entry: Loaded): void {
    entry.retired = false;
    for (const other of this.#models.values()) {
      if (other !== entry && other.direction === entry.direction && other.translator) this.#retire(other);
    }
  }

  #retire(entry: Loaded): void {
    entry.retired = true;
    this.#disposeIfUnused(entry);
  }

  #disposeIfUnused(entry: Loaded): void {
    if (!entry.retired || entry.holders > 0) return;
    this.#models.delete(`${entry.direction}@${entry.version}`);
    entry.translator?.dispose();
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
