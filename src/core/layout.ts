// The R2 layout of models, shared by the Worker (src/store/model-store.ts) and the uploader (train/upload.ts).
// Every uploaded version stays side by side; a small pointer names the live one and is written last, so readers
// never see half an upload:
//
//   current/<direction>.json              {"version": "<version>", "previous": "<version>"}
//   models/<direction>/<version>/<path>   manifest.json and every file it lists
//
// `previous` is the version that was live before (the uploader writes it when it moves the pointer): the Worker's
// fallback while the live one cannot be loaded, and the default target of `npm run upload -- --rollback`. Pointers
// written before it existed hold only "version" and are read as they are.

export const pointerKey = (direction: string): string => `current/${direction}.json`;

export const objectKey = (direction: string, version: string, path: string): string =>
  `models/${direction}/${version}/${path}`;

/** How a version is named in answers, headers and logs: "en-ja@20261201T193528Z-64dd5c0e" (the dictionary's "dictionary@..."). */
export const modelId = (direction: string, version: string): string => `${direction}@${version}`;

/** What a version id may contain: it becomes part of R2 keys and of cache keys. */
export const VERSION_PATTERN = /^[\w.-]+$/;

export interface Pointer {
  version: string; // the live version
  previous?: string; // the version live before it, if any
}

/** A pointer object's text, checked; throws Error saying what is wrong. A `previous` that is no version id is ignored. */
export function parsePointer(text: string): Pointer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  const field = (name: string): unknown =>
    typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;
  const version = field('version');
  if (!isVersion(version))
    throw new Error('must be {"version": "<id>", "previous": "<id>"} (ids of letters, digits, . _ -)');
  const previous = field('previous');
  return isVersion(previous) && previous !== version ? { version, previous } : { version };
}

export const pointerText = (pointer: Pointer): string => JSON.stringify(pointer);

const isVersion = (value: unknown): value is string => typeof value === 'string' && VERSION_PATTERN.test(value);
