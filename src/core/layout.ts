// The R2 layout of models, shared by the Worker (src/store/model-store.ts) and the uploader (train/upload.ts).
// Every uploaded version stays side by side; a small pointer names the live one and is written last, so readers
// never see half an upload:
//
//   current/<direction>.json              {"version": "<version>"}
//   models/<direction>/<version>/<path>   manifest.json and every file it lists

export const pointerKey = (direction: string): string => `current/${direction}.json`;

export const objectKey = (direction: string, version: string, path: string): string => `models/${direction}/${version}/${path}`;

/** What a version id may contain: it becomes part of R2 keys and of cache keys. */
export const VERSION_PATTERN = /^[\w.-]+$/;
