// Translating texts for a request, whatever API face it came through: choose each text's direction (./direction.ts),
// lease that direction's live model from the store for exactly the time it runs, translate, and report the stages
// in Server-Timing (tokenize, encode, decode; load and its stages when the request had to wait for a model).
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from './env.js';
import { chooseDirection } from '../core/language.js';
import { normalizeText, result, type TranslationResult } from '../core/result.js';
import type { Lease } from '../store/model-store.js';
import type { TranslateOptions } from '../core/translator.js';

/** Options of Translator.translate (nbest, alignment, replaceUnknown: all off unless given), and where to translate. */
export interface TranslateParams extends TranslateOptions {
  direction?: string; // a served direction, "auto" or undefined (auto)
  version?: string; // translate with this version of the direction's model (default: the live one)
}

/** Translates `texts` (normalised here) in order; texts of one direction are decoded together. */
export async function translateTexts(c: Context<AppEnv>, texts: string[], params: TranslateParams): Promise<TranslationResult[]> {
  const normalised = texts.map(normalizeText);
  const choices = normalised.map((text) => chooseDirection(params.direction, text, c.var.config.directions));
  const results: TranslationResult[] = new Array(texts.length);
  const totals = { tokenizeMs: 0, encodeMs: 0, decodeMs: 0 };
  const loads: Lease[] = [];
  for (const direction of new Set(choices.map((choice) => choice.direction))) {
    const indices = choices.flatMap((choice, i) => (choice.direction === direction ? [i] : []));
    const lease = await c.var.store.lease(direction, params.version);
    try {
      if (lease.loadMs !== undefined) loads.push(lease);
      const { direction: _, version: __, ...options } = params;
      const { translations, timings } = lease.translator.translate(indices.map((i) => normalised[i]), options);
      totals.tokenizeMs += timings.tokenizeMs;
      totals.encodeMs += timings.encodeMs;
      totals.decodeMs += timings.decodeMs;
      translations.forEach((translation, k) => (results[indices[k]] = result(translation, lease.translator.id, choices[indices[k]].warning)));
    } finally {
      lease.release();
    }
  }
  if (loads.length > 0) reportLoads(c, loads);
  setMetric(c, 'tokenize', totals.tokenizeMs, undefined, 2);
  setMetric(c, 'encode', totals.encodeMs, undefined, 2);
  setMetric(c, 'decode', totals.decodeMs, undefined, 2);
  return results;
}

/** `load` (this request's wait) and the loads' stages: `load-read` (R2), `load-verify` (sha256), `load-build`. */
function reportLoads(c: Context<AppEnv>, loads: Lease[]): void {
  const sum = (f: (lease: Lease) => number | undefined) => loads.reduce((total, lease) => total + (f(lease) ?? 0), 0);
  setMetric(c, 'load', sum((lease) => lease.loadMs), 'model load');
  setMetric(c, 'load-read', sum((lease) => lease.loadPhases?.readMs), 'R2 read');
  setMetric(c, 'load-verify', sum((lease) => lease.loadPhases?.verifyMs), 'sha256');
  setMetric(c, 'load-build', sum((lease) => lease.loadPhases?.buildMs), 'WASM init + model build');
}
