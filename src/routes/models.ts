// GET /models: per direction, the version answering (the live one, or a fallback while that cannot be loaded: then
// `degraded` says which and why) with its manifest's hyper-parameters and metrics, plus what this isolate holds in
// memory (versions, requests holding them) and the live tensor count; and the bilingual dictionary the service looks
// unknown words up in, with its licence (EDICT, the EDRDG's, CC BY-SA: credited wherever its words are shown).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import type { Manifest } from '../core/artifact.js';
import type { DictionaryStatus } from '../store/dictionary-store.js';
import { tensorCount } from '../store/wasm-backend.js';
import { ErrorResponse } from '../http/schemas.js';

export const models = new OpenAPIHono<AppEnv>();

const Side = z.object({ lang: z.string(), tokenizer: z.string(), maxLength: z.number().int() });
const ModelInfo = z
  .object({
    direction: z.string(),
    version: z.string(),
    model: z.string().openapi({ description: 'direction@version, as in translation responses' }),
    createdAt: z.string(),
    source: Side,
    target: Side,
    hyperParameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    metrics: z.record(z.string(), z.union([z.number(), z.string()])),
    training: z
      .record(z.string(), z.union([z.number(), z.string(), z.boolean()]))
      .openapi({ description: 'scalar fields of manifest.training' }),
    ensemble: z
      .array(
        z.object({
          version: z.string(),
          hyperParameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
          metrics: z.record(z.string(), z.union([z.number(), z.string()])),
        }),
      )
      .optional()
      .openapi({
        description:
          'the further models this one decodes with (requests can opt out with ensemble: false), each trained on its own',
      }),
    degraded: z.object({ live: z.string(), reason: z.string() }).optional().openapi({
      description:
        'set when this version answers because the live one (`live`) cannot be loaded; GET /health has the detail',
    }),
  })
  .openapi('Model');

const DictionaryInfo = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable', 'absent', 'not loaded']),
    version: z.string().optional(),
    entries: z.number().int().optional(),
    licence: z
      .object({ name: z.string(), holder: z.string(), url: z.string(), credit: z.string() })
      .optional()
      .openapi({ description: "the dictionary's licence and the credit line it asks for" }),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'why it is degraded or unavailable (GET /health has the detail)' }),
  })
  .openapi('DictionaryInfo');

const Models = z
  .object({
    models: z.array(ModelInfo),
    dictionary: DictionaryInfo.optional(),
    loaded: z.array(
      z.object({
        direction: z.string(),
        version: z.string(),
        ready: z.boolean(),
        holders: z.number().int(),
        retired: z.boolean(),
      }),
    ),
    tensors: z.number().int(),
  })
  .openapi('Models', { example: EXAMPLES.models });

models.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'The models answering: versions, hyper-parameters, metrics',
    responses: {
      200: {
        description: 'The model answering for every served direction',
        content: { 'application/json': { schema: Models } },
      },
      503: {
        description: 'A direction has no version that can be loaded',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    },
  }),
  async (c) => {
    const infos = [];
    for (const direction of c.var.config.directions) {
      const lease = await c.var.store.lease(direction);
      try {
        const info = describe(lease.translator.manifest, lease.translator.id);
        infos.push(
          lease.degraded ? { ...info, degraded: { live: lease.degraded.live, reason: lease.degraded.reason } } : info,
        );
      } finally {
        lease.release();
      }
    }
    const dictionary = dictionaryInfo(await c.var.dictionary.check());
    return c.json({ models: infos, dictionary, loaded: c.var.store.loaded(), tensors: tensorCount() }, 200, {
      'Cache-Control': 'no-store',
    });
  },
);

function describe(m: Manifest, id: string): z.infer<typeof ModelInfo> {
  const { parameters, quantization, ...architecture } = m.model;
  const side = ({ lang, tokenizer, maxLength }: Manifest['source']) => ({ lang, tokenizer, maxLength });
  return {
    direction: m.direction,
    version: m.version,
    model: id,
    createdAt: m.createdAt,
    source: side(m.source),
    target: side(m.target),
    hyperParameters: { ...architecture, parameters, quantization },
    metrics: m.metrics,
    training: Object.fromEntries(
      Object.entries(m.training).filter((entry): entry is [string, number | string | boolean] => isScalar(entry[1])),
    ),
    ...(m.ensemble && {
      ensemble: m.ensemble.map((member) => ({
        version: member.version,
        hyperParameters: member.model,
        metrics: member.metrics,
      })),
    }),
  };
}

function dictionaryInfo(s: DictionaryStatus): z.infer<typeof DictionaryInfo> {
  if (s.status === 'ok' || s.status === 'degraded') {
    const { name, holder, url, credit } = s.licence;
    return {
      status: s.status,
      version: s.version,
      entries: s.entries,
      licence: { name, holder, url, credit },
      ...(s.reason && { reason: s.reason }),
    };
  }
  return { status: s.status, ...('reason' in s && { reason: s.reason }) };
}

const isScalar = (v: unknown): v is number | string | boolean => ['number', 'string', 'boolean'].includes(typeof v);
