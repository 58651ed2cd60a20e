// Reading the bucket of models and the dictionary (../core/layout.ts), for both stores (./model-store.ts,
// ./dictionary-store.ts): an object's bytes within a timeout, a live pointer, and the LoadFailure that says why not,
// with two texts: `reason` in words for clients, `detail` with the R2 keys, sizes and sha256s for /health and the logs.
import { parsePointer, pointerKey, type Pointer } from '../core/layout.js';

export type Bucket = Pick<R2Bucket, 'get'>;

/** What a store is made with. */
export interface StoreOptions {
  bucket: Bucket; // the store only reads
  pointerTtlMs: number; // how long a pointer read (or a failed load) is trusted; 0 re-reads R2 on every request
  readTimeoutMs?: number; // how long one R2 read (object and body) may take before the load fails; default 10 s
  now?: () => number; // clock for the TTL; deployed Workers only advance it between I/O, which is all the TTL needs
}

export const withDefaults = (options: StoreOptions): Required<StoreOptions> => ({
  bucket: options.bucket,
  pointerTtlMs: options.pointerTtlMs,
  readTimeoutMs: options.readTimeoutMs ?? 10_000,
  now: options.now ?? Date.now,
});

/** Why a pointer or a version cannot be loaded: `reason` in words, `detail` with keys and hashes. */
export class LoadFailure extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
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

/** The live pointer of `name` (a direction, or the dictionary), undefined when none is published; a LoadFailure when it cannot be read or is invalid. */
export async function readPointer(bucket: Bucket, name: string, readTimeoutMs: number): Promise<Pointer | undefined> {
  const key = pointerKey(name);
  const bytes = await readObject(bucket, key, readTimeoutMs);
  if (!bytes) return undefined;
  try {
    return parsePointer(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new LoadFailure('its live pointer is invalid', `"${key}" ${messageOf(err)}`);
  }
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
