// Languages for the client-compatible API faces (DeepL, LibreTranslate). Their clients name a source and a target
// language ("EN", "ja", "en-US"), or only a target, where this service serves directions ("en-ja"): this module routes
// each text to a direction (routeTexts; ./translate-texts.ts translateRouted translates them so), and lists the
// languages of the directions whose model is live, so clients only offer what works.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { AUTO, LANGUAGE_NAMES, detectLanguage, sourceLanguage, targetLanguage } from '../core/language.js';
import { ModelUnavailableError } from '../store/model-store.js';
import { ApiError } from './errors.js';

export const languageName = (code: string): string => LANGUAGE_NAMES[code] ?? code;

// A primary language subtag and at most one region or script subtag: "en", "EN-US", "zh-Hans". Both cases spelled
// out rather than with the `i` flag, which a JSON Schema `pattern` (GET /openapi.json) cannot carry.
const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/;
const CODE_ERROR = 'must be a language code such as "en", "JA" or "EN-US"';
const CODE_DESCRIPTION = 'A language code in any case, with or without a region: "en", "JA", "EN-US".';

/** The language of a code, case-insensitively and without its region: "EN-US" -> "en". */
const primary = (code: string): string => (code.split('-')[0] ?? code).toLowerCase();

export const TargetLanguage = z
  .string({ error: CODE_ERROR })
  .regex(LANGUAGE_CODE, { error: CODE_ERROR })
  .transform(primary)
  .openapi({ description: CODE_DESCRIPTION, example: 'ja' });

/** A source language, or "auto" (read as undefined: detect from the text). */
export const SourceLanguage = z
  .string({ error: `${CODE_ERROR}, or "auto"` })
  .refine((code) => code.toLowerCase() === AUTO || LANGUAGE_CODE.test(code), { error: `${CODE_ERROR}, or "auto"` })
  .transform((code) => (code.toLowerCase() === AUTO ? undefined : primary(code)))
  .openapi({
    description: `${CODE_DESCRIPTION} Or "auto", the default: each text's own script says its language.`,
    example: 'en',
  });

/** How one text of a face's request reaches the target language. */
export interface Route {
  language: string; // the text's language: the source the client named, or the one the text's own script reads as
  direction?: string; // the served direction that translates it; none when `language` is the target's
}

/**
 * Routes each text into `target`: from `source` when the client named one, else from the language the text's own
 * script reads as (per text, so a mixed batch goes both ways, and each text reports its own language). A text already
 * in the target language has nothing to translate and comes back as written, as both APIs answer such a text: DeepL
 * returns (and bills) it, LibreTranslate translates it with Argos's identity translation. `unsupported(from)` is
 * thrown when no served direction leads from a text's language into `target`.
 */
export function routeTexts(
  source: string | undefined,
  target: string,
  texts: readonly string[],
  served: readonly string[],
  unsupported: (from: string) => Error,
): Route[] {
  return texts.map((text) => {
    const language = source ?? detectLanguage(text);
    if (language === target) return { language };
    const direction = served.find((d) => sourceLanguage(d) === language && targetLanguage(d) === target);
    if (!direction) throw unsupported(language);
    return { language, direction };
  });
}

/** The 400 for a pair that is not served: `into "de"` when no direction leads into the target at all. */
export function unservedPair(from: string, to: string, served: readonly string[]): ApiError {
  const pair = served.some((d) => targetLanguage(d) === to) ? `from "${from}" into "${to}"` : `into "${to}"`;
  return new ApiError(
    400,
    'unsupported_direction',
    `cannot translate ${pair} here; served directions: ${served.join(', ')}`,
  );
}

/** The configured directions whose live pointer names a model in R2 (a pointer read, not a model load). */
export async function liveDirections(c: Context<AppEnv>): Promise<string[]> {
  const { directions } = c.var.config;
  const live = await Promise.all(
    directions.map((d) =>
      c.var.store.liveVersion(d).then(
        () => true,
        (err: unknown) => {
          if (err instanceof ModelUnavailableError) return false;
          throw err;
        },
      ),
    ),
  );
  return directions.filter((_, i) => live[i]);
}

export interface Language {
  code: string; // "en"
  name: string; // "English"
  targets: string[]; // the languages it translates into (empty for a language that is only a target)
}

/** Every language of `directions`, sources first, each with its targets. */
export function languagesOf(directions: readonly string[]): Language[] {
  const codes = new Set([...directions.map(sourceLanguage), ...directions.map(targetLanguage)]);
  return [...codes].map((code) => ({
    code,
    name: languageName(code),
    targets: directions.filter((d) => sourceLanguage(d) === code).map(targetLanguage),
  }));
}
