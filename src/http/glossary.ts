// The glossary a translation request names, as the documents pipeline takes it (DocumentTranslateOptions.glossary:
// the terms of each direction): a stored glossary's dictionary of that direction (../store/glossaries.ts, compiled
// once per version in this isolate), or terms given inline with one request (the native face's
// `"glossary": {"terms": {...}}`), which apply to every direction.
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { FindTerms } from '../core/document/verbatim-mask.js';
import { checkEntries, type Entry } from '../core/glossary/entries.js';
import { GlossaryMatcher } from '../core/glossary/match.js';
import { sourceLanguage, targetLanguage } from '../core/language.js';
import { DictionaryNotFoundError, GlossaryStore } from '../store/glossaries.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { ownerOf } from './owner.js';

export type GlossaryTerms = (direction: string) => FindTerms | undefined;

/** DeepL's glossary ids are UUIDs; so are ours. */
export const GLOSSARY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stored glossary a request names: its terms are read once its version is known (./translate-texts.ts). */
export interface NamedGlossary {
  id: string;
  directions: readonly string[]; // the directions whose dictionaries apply
  every: boolean; // each of them must have one (DeepL: the request's one pair), else 400
}

/** The glossary `id` names, for `directions`; 400 for an id that cannot be one. */
export function namedGlossary(id: string, directions: readonly string[], every: boolean): NamedGlossary {
  if (!GLOSSARY_ID.test(id))
    throw new ApiError(400, 'invalid_request', `Value for 'glossary_id' not supported: "${id}" is not a glossary id.`);
  return { id, directions, every };
}

/**
 * A stored glossary's terms: each direction's dictionary. A direction without one is a 400 when `every`, else its
 * sentences are translated without terms (native "auto", and a glossary with no dictionary yet); a glossary that is
 * not the request owner's is a 404. `version`, when the caller read it already (null: no such glossary), spares the
 * check of the isolate's cache its own D1 query.
 */
export async function storedTerms(
  c: Context<AppEnv>,
  { id, directions, every }: NamedGlossary,
  version?: number | null,
): Promise<GlossaryTerms> {
  const store = new GlossaryStore(c.env.DB);
  const terms = new Map<string, FindTerms>();
  const started = performance.now();
  for (const direction of directions) {
    const [source, target] = [sourceLanguage(direction), targetLanguage(direction)];
    try {
      const matcher = await store.matcher(ownerOf(c), id, source, target, version);
      terms.set(direction, (text) => matcher.find(text));
    } catch (err) {
      if (!(err instanceof DictionaryNotFoundError)) throw err;
      if (every)
        throw new ApiError(
          400,
          'invalid_request',
          `No dictionary found for language pair '${source.toUpperCase()}' -> '${target.toUpperCase()}' in glossary ${id}.`,
        );
    }
  }
  setMetric(c, 'glossary', performance.now() - started, 'glossary compiled, if it changed', 2);
  return (direction) => terms.get(direction);
}

/** The stored glossary `id`'s terms for `directions`, read now (namedGlossary, storedTerms). */
export const storedGlossary = (
  c: Context<AppEnv>,
  id: string,
  directions: readonly string[],
  every: boolean,
): Promise<GlossaryTerms> => storedTerms(c, namedGlossary(id, directions, every));

/** Terms given with the request ({"source": "target"}), checked as a glossary's entries are, for every direction. */
export function inlineGlossary(terms: Record<string, string>): GlossaryTerms {
  const entries: Entry[] = Object.entries(terms).map(([source, target]) => ({
    source: source.trim(),
    target: target.trim(),
  }));
  checkEntries(entries, (i) => `glossary.terms entry ${i} ("${entries[i]?.source.slice(0, 40)}")`);
  const matcher = new GlossaryMatcher(entries);
  return () => (text) => matcher.find(text);
}
