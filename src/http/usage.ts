// Usage: the characters each owner (./owner.ts) has translated, counted as DeepL bills them (code points of the text,
// not of its markup: ../core/segment/markup.ts characterCount), against the owner's limit (../store/keys.ts;
// `npm run keys -- add --limit N`). Every face's translation is metered here, in translateTexts: the characters are
// charged before the work, so a request that would pass the limit is refused with DeepL's 456 "Quota exceeded" before
// any decoding, and given back when the work then fails.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { charge, refund } from '../store/keys.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { ownerOf } from './owner.js';

/** DeepL's status for a used-up quota (its clients throw QuotaExceededError on it). */
const QUOTA_EXCEEDED = 456 as ContentfulStatusCode;

/**
 * Runs `work` with `characters` charged to the request's owner: 456 when they would pass its limit, refunded on
 * failure. `also`, a query the request needs anyway (a stored glossary's version: ./translate-texts.ts), is read in
 * the same D1 round trip as the charge, and its value handed to `work`.
 */
export async function metered<T>(
  c: Context<AppEnv>,
  characters: number,
  work: (also?: unknown) => Promise<T>,
  also?: D1PreparedStatement,
): Promise<T> {
  const owner = ownerOf(c);
  const result = await charge(c.env.DB, owner, characters, also);
  if (!result.charged) {
    throw new ApiError(
      QUOTA_EXCEEDED,
      'quota_exceeded',
      `Quota exceeded: these ${characters} characters would pass this key's character limit (GET /v2/usage)`,
    );
  }
  try {
    return await work(result.also);
  } catch (err) {
    await refund(c.env.DB, owner, characters);
    throw err;
  }
}
