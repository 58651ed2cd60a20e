// DeepL's GET|POST /v2/languages (the live models' languages, English targets as EN-GB and EN-US, JA's
// supports_formality) and GET|POST /v2/usage (the key's characters and limit), mounted at /v2 beside ./deepl.ts.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { errorResponses } from '../http/face-errors.js';
import { fieldsBody, readFields, serveDocumented } from '../http/fields.js';
import { languagesOf, liveDirections } from '../http/languages.js';
import { ownerOf } from '../http/owner.js';
import { usageOf } from '../store/keys.js';
import { DEEPL_TAG, DeepLError, deeplFields, FORBIDDEN, targetVariants } from './deepl.js';

export const deeplLanguages = new OpenAPIHono<AppEnv>();

const LanguagesFields = z
  .object({
    type: z
      .enum(['source', 'target'], { error: 'must be "source" or "target"' })
      .default('source')
      .openapi({ description: 'The languages translated from, or into.', example: 'target' }),
  })
  .openapi({ example: EXAMPLES.deeplLanguagesRequest });

const Languages = z
  .array(
    z.object({
      language: z.string().openapi({ example: 'EN-GB' }),
      name: z.string().openapi({ example: 'English (British)' }),
      supports_formality: z.boolean().optional().openapi({
        description:
          'Targets only: true for JA when the live en-ja model was trained with registers (formality more/less).',
      }),
    }),
  )
  .openapi('DeepLLanguages', { example: EXAMPLES.deeplLanguages });

const listLanguages: Handler<AppEnv> = async (c) => {
  const { type } = deeplFields(LanguagesFields, await readFields(c));
  const live = await liveDirections(c);
  const languages = languagesOf(live);
  if (type === 'source') {
    const sources = languages
      .filter((l) => l.targets.length > 0)
      .map((l) => ({ language: l.code.toUpperCase(), name: l.name }));
    return c.json(sources satisfies z.input<typeof Languages>);
  }
  const targets = new Set(languages.flatMap((l) => l.targets));
  const formal = await withFormality(c, live);
  return c.json(
    languages
      .filter((l) => targets.has(l.code))
      .flatMap((l) => targetVariants(l.code, l.name))
      .map((l) => ({ ...l, supports_formality: formal.has(l.language.slice(0, 2).toLowerCase()) })) satisfies z.input<
      typeof Languages
    >,
  );
};

/** Target languages whose live model was trained with registers (../core/register.ts): DeepL's supports_formality. */
async function withFormality(c: Context<AppEnv>, directions: string[]): Promise<Set<string>> {
  const formal = new Set<string>();
  for (const direction of directions.filter((d) => d.endsWith('-ja'))) {
    const lease = await c.var.store.lease(direction);
    if (lease.translator.supportsRegister) formal.add('ja');
    lease.release();
  }
  return formal;
}

const languagesRoute = {
  path: '/languages',
  tags: [DEEPL_TAG.name],
  summary: 'The languages of the live models',
  responses: {
    200: {
      description: 'English targets as EN-GB and EN-US (one model serves both)',
      content: { 'application/json': { schema: Languages } },
    },
    ...errorResponses(DeepLError, { 400: '`type` is neither "source" nor "target"', 403: FORBIDDEN }),
  },
};
serveDocumented(
  deeplLanguages,
  { ...languagesRoute, method: 'get', request: { query: LanguagesFields } },
  listLanguages,
);
serveDocumented(
  deeplLanguages,
  { ...languagesRoute, method: 'post', request: { body: fieldsBody(LanguagesFields, false) } },
  listLanguages,
);

const Usage = z
  .object({ character_count: z.number().int(), character_limit: z.number().int() })
  .openapi('DeepLUsage', { example: EXAMPLES.deeplUsage });

const usageRoute = {
  path: '/usage',
  tags: [DEEPL_TAG.name],
  summary: "The key's characters translated and its limit",
  responses: {
    200: {
      description:
        "Characters translated with this key (as billed_characters counts them) and its limit (`npm run keys -- add --limit N`; without one DeepL's 1,000,000,000,000); a request that would pass it is 456",
      content: { 'application/json': { schema: Usage } },
    },
    ...errorResponses(DeepLError, { 403: FORBIDDEN }),
  },
};
for (const method of ['get', 'post'] as const) {
  serveDocumented(deeplLanguages, { ...usageRoute, method }, async (c) => {
    const { characterCount, characterLimit } = await usageOf(c.env.DB, ownerOf(c));
    return c.json({ character_count: characterCount, character_limit: characterLimit } satisfies z.input<typeof Usage>);
  });
}
