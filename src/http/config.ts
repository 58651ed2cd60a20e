// The Worker's settings: the vars of wrangler.toml (strings), checked and read once per isolate by `readConfig`. Apart
// from ./env.ts because the document jobs' Durable Object (../store/document-jobs.ts) reads them too, and ./env.ts
// names that class.
import { DEFAULT_BEAM, MAX_BEAM } from '../core/translation.js';

/** Beam width of document jobs: beam 2 translates a 300-entry catalogue in 2.0 s of CPU (beam 4: 3.1 s;
 *  bench/documents.ts), leaving room within 5 s on a busy 2-core machine, with most of beam search's gain over greedy. */
const DOCUMENT_BEAM = 2;

/** The vars of wrangler.toml that `readConfig` reads. */
export interface ConfigVars {
  DIRECTIONS?: string; // comma-separated directions served ("en-ja,ja-en"); "auto" picks among them, else the first
  DEFAULT_BEAM?: string; // beam width when a request gives none (1..10, default ../core/translation.ts DEFAULT_BEAM)
  DOCUMENT_BEAM?: string; // beam width of document jobs (1..10, default 2: ../store/document-jobs.ts)
  POINTER_TTL_SECONDS?: string; // how often an isolate re-reads current/<direction>.json (default 5; 0 = every request)
  CACHE_MAX_AGE_SECONDS?: string; // Cache-Control max-age of GET /translate (default 300)
}

export interface Config {
  directions: string[];
  defaultBeam: number;
  documentBeam: number;
  pointerTtlMs: number;
  cacheMaxAgeSeconds: number;
}

export function readConfig(vars: ConfigVars): Config {
  const directions = (vars.DIRECTIONS ?? 'en-ja')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  if (directions.length === 0) throw new Error('DIRECTIONS must name at least one direction');
  return {
    directions,
    defaultBeam: numberVar('DEFAULT_BEAM', vars.DEFAULT_BEAM, DEFAULT_BEAM, 1, MAX_BEAM),
    documentBeam: numberVar('DOCUMENT_BEAM', vars.DOCUMENT_BEAM, DOCUMENT_BEAM, 1, MAX_BEAM),
    pointerTtlMs: numberVar('POINTER_TTL_SECONDS', vars.POINTER_TTL_SECONDS, 5, 0, 3600) * 1000,
    cacheMaxAgeSeconds: numberVar('CACHE_MAX_AGE_SECONDS', vars.CACHE_MAX_AGE_SECONDS, 300, 0, 31_536_000),
  };
}

function numberVar(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}
