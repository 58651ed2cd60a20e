// The Worker's environment: the bindings and vars of wrangler.toml (the vars are read by ./config.ts), and the Hono
// context type every route and middleware shares.
import type { DictionaryStore } from '../store/dictionary-store.js';
import type { DocumentJobs } from '../store/document-jobs.js';
import type { ModelStore } from '../store/model-store.js';
import type { Config, ConfigVars } from './config.js';

/** Bindings and vars of wrangler.toml; the vars arrive as strings and are checked once by ./config.ts `readConfig`. */
export interface Env extends ConfigVars {
  MODELS: R2Bucket;
  DOCUMENTS: R2Bucket; // uploaded documents and their translations, under their owner's prefix (../store/document-jobs.ts)
  DOCUMENT_JOBS: DurableObjectNamespace<DocumentJobs>; // one per owner: its document jobs
  DB: D1Database; // API keys, usage and glossaries (migrations/, ../store/)
  API_KEY?: string; // a secret; when set, every API request must present it (./api-key.ts)
  RATE_LIMITER?: RateLimit; // [[ratelimits]] binding; absent = no rate limiting (./rate-limit.ts)
  RATE_LIMIT?: string; // "off": the binding is not consulted (npm start: one local user doing bulk work)
}

export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; store: ModelStore; dictionary: DictionaryStore; owner?: string /* ./owner.ts */ };
};
