// Where the live model comes from: R2, in the layout of ../core/layout.ts (a pointer names the live version and the
// one live before it). Each isolate keeps the translators it has loaded, re-reads a pointer at most every
// `pointerTtlMs` (a new upload goes live without a redeploy), and disposes a replaced version once no request holds
// it any more. R2 failing (an error, or no answer within `readTimeoutMs`) is a failed load, never a hung request.
//
// The rules when the live version cannot be loaded (an object missing or unreadable, a size or sha256 mismatch, an
// invalid manifest or pointer, a model that does not build):
// - the request is served by the last version this isolate loaded successfully for the direction, or else by the
//   pointer's `previous`; its lease says so (`degraded`), and the switch is logged once with the detail;
// - the failure is remembered for `pointerTtlMs`, then the live version is loaded again; the request that starts that
//   retry waits for it, the others are served by the fallback meanwhile; as soon as it loads it answers again;
// - only when no version can be loaded is the lease refused (ModelUnavailableError: 503);
// - an ensemble loads its first model first: the requests that wait for a version's load are answered by that model
//   alone (their lease is `partial`), and the next request loads the other members and waits for them (a cold
//   isolate's first answer reads, hashes and builds half the bytes: docs/benchmarks.md, `cold`); while the members
//   cannot be loaded, the first model answers alone, and they are loaded again after `pointerTtlMs`;
// - a pointer that is absent is not a fault but "nothing is published": it is refused at once, with no fallback.
// Errors carry two texts: `message` says in words which direction and why (clients see it), `detail` names the
// R2 keys, sizes and sha256s (for /health and the logs).
import type { Translator } from '../core/translator.js';
import { modelId, pointerKey, type Pointer } from '../core/layout.js';
import { loadVersion, type LoadPhases, type LoadResult } from './load-version.js';
import { LoadFailure, messageOf, readPointer, withDefaults, type StoreOptions } from './r2-reads.js';

/** No model of a direction can be served right now; `message` is for clients, `detail` for /health and logs. */
export class ModelUnavailableError extends Error {
  readonly code = 'model_unavailable';
  constructor(
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
  }
}

/** Why a lease is not of the live version: that one cannot be loaded, so an earlier one answers. */
export interface Degraded {
  live: string; // direction@version the pointer names (the direction alone when the pointer cannot be read)
  reason: string; // in words, e.g. "its weights failed verification"
  detail: string; // R2 keys, sizes, sha256s
}

/** A translator checked out for one request; `release()` it when the response is built. */
export interface Lease {
  translator: Translator;
  /** Set when this lease is a fallback because the live version cannot be loaded. */
  degraded?: Degraded;
  /** Wall time this request spent waiting for the model to load, if it had to. */
  loadMs?: number;
  /** Where that load's time went, when this request waited for it. */
  loadPhases?: LoadPhases;
  /** Set when an ensemble's first model answers alone: its other members are not loaded yet (see the rules above). */
  partial?: true;
  release(): void;
}

interface Loaded {
  direction: string;
  version: string;
  translator?: Translator; // set once `promise` has resolved; replaced by the whole ensemble once `members` has
  promise: Promise<LoadResult>;
  members?: Promise<LoadResult | undefined>; // loading the ensemble's other members (LoadResult.withMembers); undefined: failed
  membersFailedAt?: number; // when they last failed to load
  holders: number;
  retired: boolean;
}

export class ModelStore {
  readonly #options: Required<StoreOptions>;
  readonly #pointers = new Map<string, { pointer: Promise<Pointer>; at: number }>(); // direction -> last pointer read
  readonly #live = new Map<string, Pointer>(); // direction -> what the last successful pointer read said
  readonly #models = new Map<string, Loaded>(); // "direction@version" -> translator (loading or ready)
  readonly #failures = new Map<string, { error: unknown; at: number }>(); // "direction@version" -> last failed load
  readonly #serving = new Map<string, Loaded>(); // direction -> the version last loaded successfully for it
  readonly #degraded = new Map<string, Degraded>(); // direction -> why its fallback answers

  constructor(options: StoreOptions) {
    this.#options = withDefaults(options);
  }

  /**
   * The version a lease of the direction gets now, as far as this isolate knows without loading anything: the live
   * one, or the fallback answering while the live one cannot be loaded. (Cache keys name it.)
   */
  async liveVersion(direction: string): Promise<string> {
    const fallback = this.#serving.get(direction)?.version;
    try {
      const { version } = await this.#pointer(direction);
      return fallback && this.#degraded.get(direction)?.live === modelId(direction, version) ? fallback : version;
    } catch (err) {
      if (err instanceof LoadFailure && fallback) return fallback;
      throw err instanceof LoadFailure
        ? new ModelUnavailableError(`${direction} is unavailable: ${err.reason}`, err.detail)
        : err;
    }
  }

  /**
   * Checks out a translator of the live version, or of a fallback while that cannot be loaded (rules above). A
   * `version` from liveVersion (the live one or the fallback) is leased the same way; any other is leased as asked.
   * `whole`: wait for an ensemble's other members rather than be answered by its first model alone (a document job,
   * which is not in a hurry and should translate as /translate does once warm).
   */
  async lease(direction: string, version?: string, { whole = false } = {}): Promise<Lease> {
    let pointer: Pointer;
    try {
      pointer = await this.#pointer(direction);
    } catch (err) {
      if (!(err instanceof LoadFailure)) throw err;
      if (version === undefined || version === this.#serving.get(direction)?.version)
        return this.#fallback(direction, undefined, err);
      return this.#pinned(direction, version);
    }
    const fallback = this.#serving.get(direction);
    if (
      version !== undefined &&
      version !== pointer.version &&
      !(this.#degraded.has(direction) && version === fallback?.version)
    ) {
      return this.#pinned(direction, version);
    }
    const entry = this.#models.get(modelId(direction, pointer.version));
    if (entry && !entry.translator && this.#degraded.has(direction) && fallback?.translator && fallback !== entry) {
      return this.#checkOut(fallback, this.#degraded.get(direction)); // another request is retrying the live version
    }
    try {
      const lease = await this.#checkOut(entry ?? this.#load(direction, pointer.version), undefined, whole);
      this.#recovered(direction, lease.translator.id);
      return lease;
    } catch (err) {
      if (err instanceof LoadFailure) return this.#fallback(direction, pointer, err);
      throw err;
    }
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
    return this.#options.now() - at < this.#options.pointerTtlMs;
  }

  /** The pointer, read from R2 at most once per TTL (concurrent readers share one read, a failed read counts too). */
  #pointer(direction: string): Promise<Pointer> {
    const cached = this.#pointers.get(direction);
    if (cached && this.#fresh(cached.at)) return cached.pointer;
    const pointer = this.#readPointer(direction);
    this.#pointers.set(direction, { pointer, at: this.#options.now() });
    pointer.then(
      (read) => this.#live.set(direction, read),
      (err: unknown) =>
        err instanceof LoadFailure && console.warn(`model pointer of ${direction} cannot be read: ${err.detail}`),
    );
    return pointer;
  }

  async #readPointer(direction: string): Promise<Pointer> {
    const pointer = await readPointer(this.#options.bucket, direction, this.#options.readTimeoutMs);
    if (!pointer) {
      throw new ModelUnavailableError(
        `${direction} is unavailable: no live model for ${direction} has been uploaded`,
        `R2 object "${pointerKey(direction)}" not found (upload one with npm run upload)`,
      );
    }
    return pointer;
  }

  /** A lease of exactly `version` (neither the live one nor the fallback), or a ModelUnavailableError. */
  async #pinned(direction: string, version: string): Promise<Lease> {
    try {
      return await this.#checkOut(this.#entry(direction, version));
    } catch (err) {
      throw err instanceof LoadFailure
        ? new ModelUnavailableError(`${modelId(direction, version)} is unavailable: ${err.reason}`, err.detail)
        : err;
    }
  }

  /** A lease of the last good version, else of the pointer's previous one; when neither loads, the 503 error. */
  async #fallback(direction: string, pointer: Pointer | undefined, failure: LoadFailure): Promise<Lease> {
    const degraded = {
      live: pointer ? modelId(direction, pointer.version) : direction,
      reason: failure.reason,
      detail: failure.detail,
    };
    const candidates = [...new Set([this.#serving.get(direction)?.version, pointer?.previous])];
    const others: LoadFailure[] = [];
    for (const version of candidates) {
      if (version === undefined || version === pointer?.version) continue;
      try {
        const entry = this.#entry(direction, version);
        const lease = await this.#checkOut(entry, degraded);
        if (this.#serving.get(direction) !== entry) this.#promote(entry);
        this.#markDegraded(direction, degraded, lease.translator.id);
        return lease;
      } catch (err) {
        if (!(err instanceof LoadFailure)) throw err;
        others.push(err);
      }
    }
    this.#degraded.delete(direction);
    const message = `${direction} is unavailable: ${failure.reason}${others.length > 0 ? '; no earlier version can be loaded either' : ''}`;
    throw new ModelUnavailableError(
      message,
      [failure.detail, ...others.map((other) => `fallback ${other.detail}`)].join('; '),
    );
  }

  #markDegraded(direction: string, degraded: Degraded, answering: string): void {
    const before = this.#degraded.get(direction);
    this.#degraded.set(direction, degraded);
    if (before?.live !== degraded.live || before.detail !== degraded.detail) {
      const live = degraded.live === direction ? 'the live version' : degraded.live;
      console.warn(`${direction} degraded: ${answering} answers instead of ${live}; ${degraded.detail}`);
    }
  }

  #recovered(direction: string, answering: string): void {
    if (this.#degraded.delete(direction)) console.log(`${direction} recovered: the live ${answering} answers again`);
  }

  #entry(direction: string, version: string): Loaded {
    return this.#models.get(modelId(direction, version)) ?? this.#load(direction, version);
  }

  /** Counts a holder of `entry` (while it loads too, so a swap cannot dispose it under us) and waits until it is ready. */
  async #checkOut(entry: Loaded, degraded?: Degraded, whole = false): Promise<Lease> {
    const started = this.#options.now();
    entry.holders++;
    let translator: Translator;
    let phases: LoadPhases | undefined; // set when this request waited for the load
    try {
      if (!entry.translator) ({ translator, phases } = await entry.promise);
      else if (entry.translator.partial) ({ translator, phases } = await this.#withMembers(entry));
      else translator = entry.translator;
      if (whole && translator.partial) ({ translator } = await this.#withMembers(entry)); // a caller that will not hurry
    } catch (err) {
      entry.holders--;
      throw err;
    }
    if (entry.retired && this.#live.get(entry.direction)?.version === entry.version) this.#promote(entry); // pointer was rolled back
    let released = false;
    return {
      translator,
      degraded,
      loadMs: phases ? this.#options.now() - started : undefined,
      loadPhases: phases,
      ...(translator.partial && { partial: true }),
      release: () => {
        if (released) return;
        released = true;
        entry.holders--;
        this.#disposeIfUnused(entry);
      },
    };
  }

  /** The whole ensemble of an entry loaded without its other members: loads them, or says why the first model answers alone. */
  async #withMembers(entry: Loaded): Promise<{ translator: Translator; phases?: LoadPhases }> {
    const first = entry.translator!;
    const { withMembers } = await entry.promise;
    if (!withMembers || (entry.membersFailedAt !== undefined && this.#fresh(entry.membersFailedAt)))
      return { translator: first };
    entry.members ??= withMembers().then(
      (loaded) => {
        entry.translator = loaded.translator; // the same first model, now with the others
        entry.membersFailedAt = undefined;
        return loaded;
      },
      (error: unknown) => {
        entry.members = undefined;
        entry.membersFailedAt = this.#options.now();
        console.warn(
          `${first.id} answers with its first model alone: ${error instanceof LoadFailure ? error.detail : messageOf(error)}`,
        );
        return undefined;
      },
    );
    return (await entry.members) ?? { translator: first };
  }

  /** Starts loading a version, unless its last load failed less than a TTL ago (then that failure, at once). */
  #load(direction: string, version: string): Loaded {
    const key = modelId(direction, version);
    const failed = this.#failures.get(key);
    if (failed && this.#fresh(failed.at)) throw failed.error;
    const entry: Loaded = {
      direction,
      version,
      promise: loadVersion(this.#options.bucket, this.#options.readTimeoutMs, direction, version),
      holders: 0,
      retired: false,
    };
    this.#models.set(key, entry);
    entry.promise.then(
      ({ translator }) => {
        entry.translator = translator;
        this.#failures.delete(key);
        if (this.#live.get(direction)?.version === version) this.#promote(entry);
        else if (this.#serving.get(direction) !== entry) this.#retire(entry); // the pointer moved on, or a fallback (it promotes itself)
      },
      (error: unknown) => {
        this.#models.delete(key); // no poisoned cache
        this.#failures.set(key, { error, at: this.#options.now() });
        console.warn(`model load failed: ${error instanceof LoadFailure ? error.detail : messageOf(error)}`);
      },
    );
    return entry;
  }

  /** Makes `entry` the one served for its direction; older versions go once their last request finishes. */
  #promote(entry: Loaded): void {
    entry.retired = false;
    this.#serving.set(entry.direction, entry);
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
    this.#models.delete(modelId(entry.direction, entry.version));
    entry.translator?.dispose();
  }
}
