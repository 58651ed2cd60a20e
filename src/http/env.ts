// The Worker's environment: the bindings and vars of wrangler.toml, the settings read from them once per isolate
// (`readConfig`), and the Hono context type every route and middleware shares.
import { DEFAULT_BEAM, MAX_BEAM } from '../core/translation.js';
import type { DictionaryStore } from '../store/dictionary-store.js';
import type { DocumentJobs } from '../store/document-jobs.js';
import type { ModelStore } from '../store/model-store.js';

/** Beam width of document jobs: beam 2 translates a 300-entry catalogue in 2.0 s of CPU (beam 4: 3.1 s;
 *  bench/documents.ts), leaving room within 5 s on a busy 2-core machine, with most of beam search's gain over greedy. */
const DOCUMENT_BEAM = 2;

/** Bindings and vars of wrangler.toml; vars arrive as strings and are checked once by `readConfig`. */
export interface Env {
  MODELS: R2Bucket;
  DOCUMENTS: R2Bucket; // uploaded documents and their translations, under their owner's prefix (../store/document-jobs.ts)
  DOCUMENT_JOBS: DurableObjectNamespace<DocumentJobs>; // one per owner: its document jobs
  DB: D1Database; // API keys, usage and glossaries (migrations/, ../store/)
  DIRECTIONS?: string; // comma-separated directions served ("en-ja,ja-en"); "auto" picks among them, else the first
  DEFAULT_BEAM?: string; // beam width when a request gives none (1..10, default ../core/translation.ts DEFAULT_BEAM)
  DOCUMENT_BEAM?: string; // beam width of document jobs (1..10, default 2: ../store/document-jobs.ts)
  POINTER_TTL_SECONDS?: string; // how often an isolate re-reads current/<direction>.json (default 5; 0 = every request)
  CACHE_MAX_AGE_SECONDS?: string; // Cache-Control max-age of GET /translate (default 300)
  API_KEY?: string; // a secret; when set, every API request must present it (./api-key.ts)
  RATE_LIMITER?: RateLimit; // [[ratelimits]] binding; absent = no rate limiting (./rate-limit.ts)
  RATE_LIMIT?: string; // "off": the binding is not consulted (npm start: one local user doing bulk work)
}

export interface Config {
  directions: string[];
  defaultBeam: number;
  documentBeam: number;
  pointerTtlMs: number;
  cacheMaxAgeSeconds: number;
}

export type AppEnv = { Bindings: Env; Variables: { config: Config; store: ModelStore; dictionary: DictionaryStore; owner?: string /* ./owner.ts */ } };

export function readConfig(env: Env): Config {
  const directions = (env.DIRECTIONS ?? 'en-ja').split(',').map((d) => d.trim()).filter(Boolean);
  if (directions.length === 0) throw new Error('DIRECTIONS must name at least one direction');
  return {
    directions,
    defaultBeam: numberVar('DEFAULT_BEAM', env.DEFAULT_BEAM, DEFAULT_BEAM, 1, MAX_BEAM),
    documentBeam: numberVar('DOCUMENT_BEAM', env.DOCUMENT_BEAM, DOCUMENT_BEAM, 1, MAX_BEAM),
    pointerTtlMs: numberVar('POINTER_TTL_SECONDS', env.POINTER_TTL_SECONDS, 5, 0, 3600) * 1000,
    cacheMaxAgeSeconds: numberVar('CACHE_MAX_AGE_SECONDS', env.CACHE_MAX_AGE_SECONDS, 300, 0, 31_536_000),
  };
}

function numberVar(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}
