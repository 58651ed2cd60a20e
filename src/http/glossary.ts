// The glossary a translation request names, as the documents pipeline takes it (DocumentTranslateOptions.glossary:
// the terms of each direction): a stored glossary's dictionary of that direction (../store/glossaries.ts, compiled
// once per version in this isolate), or terms given inline with one request (the native face's
// `"glossary": {"terms": {...}}`), which apply to every direction.
import type { Context } from 'hono';
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

/**
 * The stored glossary `id`'s terms for `directions`: each one's dictionary. A direction without one is a 400 when
 * `every` (DeepL: the request's one pair), else its sentences are translated without terms (native "auto", and a
 * glossary with no dictionary yet); an id that is not the request owner's is a 404.
 */
export async function storedGlossary(c: Context<AppEnv>, id: string, directions: readonly string[], every: boolean): Promise<GlossaryTerms> {
  if (!GLOSSARY_ID.test(id)) throw new ApiError(400, 'invalid_request', `Value for 'glossary_id' not supported: "${id}" is not a glossary id.`);
  const store = new GlossaryStore(c.env.DB);
  const terms = new Map<string, FindTerms>();
  for (const direction of directions) {
    const [source, target] = [sourceLanguage(direction), targetLanguage(direction)];
    try {
      const matcher = await store.matcher(ownerOf(c), id, source, target);
      terms.set(direction, (text) => matcher.find(text));
    } catch (err) {
      if (!(err instanceof DictionaryNotFoundError)) throw err;
      if (every) throw new ApiError(400, 'invalid_request', `No dictionary found for language pair '${source.toUpperCase()}' -> '${target.toUpperCase()}' in glossary ${id}.`);
    }
  }
  return (direction) => terms.get(direction);
}

/** Terms given with the request ({"source": "target"}), checked as a glossary's entries are, for every direction. */
export function inlineGlossary(terms: Record<string, string>): GlossaryTerms {
  const entries: Entry[] = Object.entries(terms).map(([source, target]) => ({ source: source.trim(), target: target.trim() }));
  checkEntries(entries, (i) => `glossary.terms entry ${i} ("${entries[i]?.source.slice(0, 40)}")`);
  const matcher = new GlossaryMatcher(entries);
  return () => (text) => matcher.find(text);
}
