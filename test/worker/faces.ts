// Helpers shared by the tests of the client-compatible faces (deepl.test.ts, libretranslate.test.ts).
import { SELF, env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { Env } from '../../src/http/env.js';
import { post } from './seed.js';

/** What the native face answers for the same text (same model, the deployment's default beam), with `options` (format, ...). */
export async function nativeTranslation(
  text: string,
  direction: string,
  options: Record<string, unknown> = {},
): Promise<string> {
  const res = await SELF.fetch(post('/translate', { text, direction, ...options }));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ translation: string }>()).translation;
}

/** An error of a face: the status, and a body that is exactly `{[field]: "<message>"}`. */
export async function expectFaceError(
  res: Response,
  status: number,
  field: 'message' | 'error',
  message: RegExp,
): Promise<void> {
  expect(res.status).toBe(status);
  const body = await res.json<Record<string, unknown>>();
  expect(Object.keys(body)).toEqual([field]);
  expect(body[field]).toMatch(message);
}

/** The test deployment, configured to serve one more direction whose model was never uploaded (en-fr). */
export const WITH_FRENCH: Env = { ...env, DIRECTIONS: 'en-ja,ja-en,en-fr' };
