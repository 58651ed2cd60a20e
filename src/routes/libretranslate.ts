// The LibreTranslate face, mounted at /libretranslate: POST /libretranslate/translate and GET /libretranslate/languages,
// so LibreTranslate clients work with this Worker's URL + "/libretranslate" as their server. A prefix rather than the
// root: the native POST /translate rejects unknown fields (so a typo never passes silently) and answers errors in its
// own shape, which telling bodies apart by their fields would have to give up. Requests become ../translation.ts calls
// like the native face's, with the deployment's default beam; errors are `{"error": "..."}` (libreErrors, ../app.ts).
import { z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { AppEnv } from '../app.js';
import { apiKeyMatches } from '../auth.js';
import { sourceLanguage } from '../direction.js';
import { ApiError } from '../errors.js';
import { SourceLanguage, TargetLanguage, directionFor, languagesOf, liveDirections } from '../languages.js';
import { translateTexts } from '../translation.js';
import { faceErrors } from './face-errors.js';
import { asArray, parseFields, readFields } from './fields.js';
import { LIMITS, Texts } from './schemas.js';

export const libretranslate = new Hono<AppEnv>();

export const libreErrors = faceErrors(({ message }) => ({ error: message }));

// Other LibreTranslate parameters (alternatives, ...) are ignored, as LibreTranslate ignores what it does not know.
const TranslateFields = z.object({
  q: z.preprocess(asArray, Texts),
  source: SourceLanguage.optional(),
  target: TargetLanguage,
  format: z.literal('text', { error: 'only "text" is supported (this service does not translate HTML)' }).optional(),
});

libretranslate.post('/translate', async (c) => {
  const fields = await readFields(c, LIMITS.bodyBytes);
  // The key is checked before anything else is read, so a client without it learns nothing about the request.
  if (!(await apiKeyMatches(c.env.API_KEY, typeof fields.api_key === 'string' ? fields.api_key : undefined))) {
    throw new ApiError(403, 'forbidden', 'Invalid API key');
  }
  const { q, source, target } = parseFields(TranslateFields, fields);
  const direction = directionFor(source, target, q, c.var.config.directions);
  const results = await translateTexts(c, q, { direction, beam: c.var.config.defaultBeam });
  const translatedText = results.map((r) => r.translation);
  // Detection reads the script: certain when the text's script is the language translated from, wrong otherwise
  // (then translateTexts warned).
  const detectedLanguage = results.map((r) => ({ language: sourceLanguage(direction), confidence: r.warnings ? 0 : 100 }));
  const single = !Array.isArray(fields.q);
  return c.json({
    translatedText: single ? translatedText[0] : translatedText,
    ...(source === undefined && { detectedLanguage: single ? detectedLanguage[0] : detectedLanguage }),
  });
});

libretranslate.get('/languages', async (c) => c.json(languagesOf(await liveDirections(c))));
