// Translating texts for a request, whatever API face it came through (translateTexts; translateRouted for the texts a
// client face routed, some of which need no translation): the documents pipeline of
// ../core/document/translate-documents.ts, with each direction's live model leased from the store for exactly the
// time the request runs, the request's size bounded (LIMITS), its characters metered against the owner's limit
// (./usage.ts), and the stages reported in Server-Timing (tokenize, encode, decode; load and its stages when the
// request had to wait for a model), and which models answered otherwise than they would once loaded: a fallback
// (X-Model-Degraded), an ensemble's first model alone (X-Model-Partial).
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import {
  translateDocuments,
  type DocumentRequest,
  type DocumentTranslateOptions,
  type DocumentTranslation,
} from '../core/document/translate-documents.js';
import { translateMarkupDocuments } from '../core/document/translate-markup.js';
import { characterCount, readMarkup, type MarkupOptions } from '../core/segment/markup.js';
import type { TranslateTimings } from '../core/translation.js';
import type { Translator } from '../core/translator.js';
import type { Lease } from '../store/model-store.js';
import type { AppEnv } from './env.js';
import type { Route } from './languages.js';
import { ApiError } from './errors.js';
import { LIMITS } from './schemas.js';
import { metered } from './usage.js';
import { storedTerms, type GlossaryTerms, type NamedGlossary } from './glossary.js';
import { GlossaryStore } from '../store/glossaries.js';
import { ownerOf } from './owner.js';

export interface TranslateParams extends Omit<DocumentTranslateOptions, 'glossary'> {
  versions?: Record<string, string>; // translate a direction with this version of its model (default: the live one)
  markup?: MarkupOptions; // the texts are HTML or XML
  // Terms (./glossary.ts), or a stored glossary, whose version is read in the usage charge's D1 round trip: a glossary
  // the isolate has compiled costs the request no query of its own.
  glossary?: GlossaryTerms | NamedGlossary;
}

/** The statuses of a face's translate operation besides its own 400 and 403, as its OpenAPI document says them. */
export const TRANSLATE_ERRORS = {
  413: `The body is over ${LIMITS.bodyBytes} bytes, or the texts have more than ${LIMITS.requestChars} characters or ${LIMITS.sentences} sentences in all`,
  415: 'The body is neither JSON, form-encoded nor multipart',
  503: "The direction's model cannot be loaded right now (Retry-After)",
};

/** Translates each text (a document: sentences, lines, verbatim spans) in order; all sentences decode together. */
export async function translateTexts(
  c: Context<AppEnv>,
  requests: DocumentRequest[],
  params: TranslateParams,
): Promise<DocumentTranslation[]> {
  checkRequestChars(requests.map((r) => r.text));
  const { versions, markup, glossary, ...rest } = params;
  const options = { ...rest, maxSentences: LIMITS.sentences, dictionary: () => c.var.dictionary.get() }; // asked for only when a word needs it
  const leases = new Map<string, Promise<Lease>>();
  const translatorFor = async (direction: string): Promise<Translator> => {
    if (!leases.has(direction)) leases.set(direction, c.var.store.lease(direction, versions?.[direction]));
    return (await leases.get(direction)!).translator;
  };
  const billed = requests.reduce((sum, r) => sum + characterCount(r.text, markup?.mode), 0);
  const named = typeof glossary === 'object' ? glossary : undefined;
  const version = named && new GlossaryStore(c.env.DB).versionStatement(ownerOf(c), named.id);
  return metered(
    c,
    billed,
    async (current) => {
      try {
        const served = c.var.config.directions;
        const terms = named
          ? await storedTerms(c, named, current as number | null)
          : (glossary as GlossaryTerms | undefined);
        const withTerms = { ...options, glossary: terms };
        const { documents, timings } = markup
          ? await translateMarkupDocuments(requests, markup, served, translatorFor, withTerms)
          : await translateDocuments(requests, served, translatorFor, withTerms);
        report(c, timings, await Promise.all(leases.values()));
        return documents;
      } finally {
        for (const lease of leases.values())
          lease.then(
            (l) => l.release(),
            () => {},
          );
      }
    },
    version,
  );
}

export interface RoutedTranslation {
  translation: string;
  document?: DocumentTranslation; // absent for a text that came back as written
}

/**
 * Translates the texts a face routed (./languages.ts routeTexts) in order: those with a direction in one
 * translateTexts call (one batch), the others as they are. The request's characters are bounded counting every text;
 * markup that comes back as written is parsed all the same, so malformed XML is a 400 (MarkupError) whichever
 * language it is in.
 */
export async function translateRouted(
  c: Context<AppEnv>,
  texts: readonly string[],
  routes: readonly Route[],
  params: TranslateParams,
): Promise<RoutedTranslation[]> {
  checkRequestChars(texts);
  if (params.markup)
    for (const [i, text] of texts.entries()) if (!routes[i]?.direction) readMarkup(text, params.markup.mode);
  const translated = texts.flatMap((text, i) =>
    routes[i]?.direction ? [{ text, direction: routes[i].direction }] : [],
  );
  const documents = translated.length > 0 ? await translateTexts(c, translated, params) : [];
  let next = 0;
  return texts.map((text, i) => {
    if (!routes[i]?.direction) return { translation: text };
    const document = documents[next++]!;
    return { translation: document.translation, document };
  });
}

/** 413 for texts of more characters in all than one request translates (LIMITS.requestChars). */
function checkRequestChars(texts: readonly string[]): void {
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  if (chars > LIMITS.requestChars) {
    throw new ApiError(
      413,
      'too_much_text',
      `the texts have ${chars} characters in all, more than the ${LIMITS.requestChars} of one request; send it in several requests`,
    );
  }
}

function report(c: Context<AppEnv>, timings: TranslateTimings, leases: Lease[]): void {
  const loads = leases.filter((lease) => lease.loadMs !== undefined);
  if (loads.length > 0) reportLoads(c, loads);
  if (leases.length > 0) c.header('X-Model', leases.map((lease) => lease.translator.id).join(', ')); // the body's `model`s, and a reranking one
  const degraded = leases.flatMap((lease) => (lease.degraded ? [lease.degraded.live] : [])); // live models that could not be loaded
  if (degraded.length > 0) c.header('X-Model-Degraded', degraded.join(', '));
  const partial = leases.flatMap((lease) => (lease.partial ? [lease.translator.id] : [])); // ensembles whose first model answered alone
  if (partial.length > 0) c.header('X-Model-Partial', partial.join(', '));
  setMetric(c, 'tokenize', timings.tokenizeMs, undefined, 2);
  setMetric(c, 'encode', timings.encodeMs, undefined, 2);
  setMetric(c, 'decode', timings.decodeMs, undefined, 2);
}

/** `load` (this request's wait) and the loads' stages: `load-read` (R2), `load-verify` (sha256), `load-build`. */
function reportLoads(c: Context<AppEnv>, loads: Lease[]): void {
  const sum = (f: (lease: Lease) => number | undefined) => loads.reduce((total, lease) => total + (f(lease) ?? 0), 0);
  setMetric(
    c,
    'load',
    sum((lease) => lease.loadMs),
    'model load',
  );
  setMetric(
    c,
    'load-read',
    sum((lease) => lease.loadPhases?.readMs),
    'R2 read',
  );
  setMetric(
    c,
    'load-verify',
    sum((lease) => lease.loadPhases?.verifyMs),
    'sha256',
  );
  setMetric(
    c,
    'load-build',
    sum((lease) => lease.loadPhases?.buildMs),
    'WASM init + model build',
  );
}
