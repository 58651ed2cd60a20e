// Translating texts for a request, whatever API face it came through: choose each text's direction (./direction.ts),
// lease that direction's live model from the store for exactly the time it runs, translate, and report the stages
// in Server-Timing (tokenize, encode, decode; load when the request had to wait for a model).
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from './app.js';
import { chooseDirection } from './direction.js';
import { normalise, result, type TranslationResult } from './result.js';
import type { TranslateOptions } from './translator.js';

/** Options of Translator.translate (nbest, alignment, replaceUnknown: all off unless given), and where to translate. */
export interface TranslateParams extends TranslateOptions {
  direction?: string; // a served direction, "auto" or undefined (auto)
  version?: string; // translate with this version of the direction's model (default: the live one)
}

/** Translates `texts` (normalised here) in order; texts of one direction are decoded together. */
export async function translateTexts(c: Context<AppEnv>, texts: string[], params: TranslateParams): Promise<TranslationResult[]> {
  const normalised = texts.map(normalise);
  const choices = normalised.map((text) => chooseDirection(params.direction, text, c.var.config.directions));
  const results: TranslationResult[] = new Array(texts.length);
  const totals = { tokenizeMs: 0, encodeMs: 0, decodeMs: 0, loadMs: undefined as number | undefined };
  for (const direction of new Set(choices.map((choice) => choice.direction))) {
    const indices = choices.flatMap((choice, i) => (choice.direction === direction ? [i] : []));
    const lease = await c.var.store.lease(direction, params.version);
    try {
      if (lease.loadMs !== undefined) totals.loadMs = (totals.loadMs ?? 0) + lease.loadMs;
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
  if (totals.loadMs !== undefined) setMetric(c, 'load', totals.loadMs, 'model load');
  setMetric(c, 'tokenize', totals.tokenizeMs, undefined, 2);
  setMetric(c, 'encode', totals.encodeMs, undefined, 2);
  setMetric(c, 'decode', totals.decodeMs, undefined, 2);
  return results;
}
