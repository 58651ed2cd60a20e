// Every error the API returns has one shape, {"error": {"code", "message"}}, and is produced in one place:
// routes throw (ApiError for client mistakes, ModelUnavailableError when R2 cannot give us a model) and
// `onError` turns whatever was thrown into JSON. Unexpected errors become a 500 with no stack trace.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { TooMuchTextError } from '../core/document/translate-documents.js';
import { GlossaryEntriesError } from '../core/glossary/entries.js';
import { UnsupportedDirectionError } from '../core/language.js';
import { MarkupError } from '../core/segment/markup.js';
import { FormalityError } from '../core/register.js';
import { InvalidOptionsError, TranslateInputError } from '../core/translation.js';
import { DictionaryNotFoundError, GlossaryLimitError, GlossaryNotFoundError } from '../store/glossaries.js';
import { ModelUnavailableError } from '../store/model-store.js';

/** A client error with a stable machine-readable code; `detail` says more where an API's shape has room (DeepL's). */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly detail?: string,
  ) {
    super(status, { message });
  }
}

/** Seconds a client should wait before retrying a 503 (the store re-reads R2 about this often). */
export const RETRY_AFTER_SECONDS = 5;

// Codes for HTTPExceptions thrown by Hono itself (validators, middleware) rather than by our routes.
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

export interface ErrorBody {
  error: { code: string; message: string; detail?: string };
}

export const errorBody = (code: string, message: string, detail?: string): ErrorBody => ({
  error: { code, message, ...(detail !== undefined && { detail }) },
});

export const bodyTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, 'body_too_large', `request body must be at most ${maxBytes} bytes`);

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.detail), err.status, err.headers);
  if (err instanceof ModelUnavailableError) {
    return c.json(errorBody(err.code, err.message), 503, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  }
  if (err instanceof TranslateInputError) return c.json(errorBody('untranslatable_text', err.message), 400);
  if (err instanceof TooMuchTextError)
    return c.json(errorBody('too_much_text', `${err.message}; send it in several requests`), 413);
  if (err instanceof MarkupError) return c.json(errorBody('invalid_markup', `invalid markup: ${err.message}`), 400);
  if (err instanceof InvalidOptionsError) return c.json(errorBody('invalid_request', err.message), 400);
  if (err instanceof FormalityError) return c.json(errorBody('unsupported_formality', err.message), 400);
  if (err instanceof UnsupportedDirectionError) return c.json(errorBody('unsupported_direction', err.message), 400);
  // Glossaries (../store/glossaries.ts) in DeepL's words: another owner's glossary is as absent as a deleted one.
  if (err instanceof GlossaryNotFoundError) return c.json(errorBody('glossary_not_found', 'Glossary not found'), 404);
  if (err instanceof DictionaryNotFoundError)
    return c.json(errorBody('dictionary_not_found', 'Dictionary not found'), 404);
  if (err instanceof GlossaryEntriesError)
    return c.json(errorBody('invalid_glossary_entries', err.message, err.detail), 400);
  if (err instanceof GlossaryLimitError) return c.json(errorBody('glossary_limit', err.message), err.status);
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(errorBody(CODE_BY_STATUS[err.status] ?? 'bad_request', err.message), err.status);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('internal_error', 'internal error'), 500);
}

export const notFound = (c: Context): Response =>
  c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);

export const methodNotAllowed = (c: Context, methods: string[]): Response =>
  c.json(
    errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(', ')}`),
    405,
    {
      Allow: methods.join(', '),
    },
  );

/**
 * Turns a failed zod parse into a 400 naming the first offending field, e.g.
 * `beam: must be an integer from 1 to 10` or `unknown field "foo"`. Codes let clients branch without parsing text.
 */
export function invalidRequest(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError(400, 'invalid_request', 'invalid request');
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((k) => `"${k}"`).join(', ');
    return new ApiError(400, 'unknown_field', `unknown field ${names}${path ? ` in ${path}` : ''}`);
  }
  return new ApiError(400, codeFor(issue), path ? `${path}: ${issue.message}` : issue.message);
}

function codeFor(issue: z.core.$ZodIssue): string {
  const [field] = issue.path;
  if (field === 'beam') return 'invalid_beam';
  if (field === 'texts' && issue.path.length === 1 && issue.code === 'too_big') return 'too_many_texts';
  if (issue.code === 'too_big' && issue.origin === 'string') return 'text_too_long';
  if (issue.code === 'too_small' && issue.origin === 'string') return 'empty_text';
  return 'invalid_request';
}
