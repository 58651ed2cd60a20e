// GET /health: whether every served direction has a model that answers (loading it if needed), for uptime checks:
//   200 "ok"           every direction is served by its live version;
//   200 "degraded"     every direction answers, but at least one by a fallback because its live version cannot be
//                      loaded (`degraded` says which, why in words, and the detail: R2 keys, sizes, sha256s);
//   503 "unavailable"  at least one direction has no version that loads (`error`, with the same detail).
// Degraded is 200 because the service answers: a check on the status code sees "up", a check on `status` sees the
// fault. The bilingual dictionary (../store/dictionary-store.ts) is checked too (loaded if need be): one that cannot be
// loaded makes the status "degraded" (translations go on without it, as before it existed), and `dictionary` says why;
// none published ("absent") is no fault. Also reports the live tensor count and the WASM memories (tfjs's heap, the served models' own), so a leak
// shows up from outside.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { RETRY_AFTER_SECONDS } from '../http/errors.js';
import type { DictionaryStatus } from '../store/dictionary-store.js';
import { ModelUnavailableError, type Degraded } from '../store/model-store.js';
import { tensorCount, wasmHeapBytes } from '../store/wasm-backend.js';

export const health = new OpenAPIHono<AppEnv>();

const DictionaryHealth = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable', 'absent', 'not loaded']),
    version: z.string().optional().openapi({ description: 'the version answering' }),
    entries: z.number().int().optional(),
    bytes: z.number().int().optional().openapi({ description: 'its memory in this isolate (text and line offsets)' }),
    live: z
      .string()
      .optional()
      .openapi({ description: 'dictionary@version the live pointer names, when it cannot be loaded' }),
    reason: z.string().optional(),
    detail: z.string().optional().openapi({ description: 'the failure with its R2 keys, sizes and sha256s' }),
  })
  .openapi({ description: 'the bilingual dictionary (GET /dictionary, words the models cannot read)' });

const Health = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    models: z
      .record(z.string(), z.string())
      .openapi({ description: 'direction -> direction@version answering for it' }),
    degraded: z
      .record(
        z.string(),
        z.object({
          live: z.string().openapi({ description: 'direction@version the live pointer names, which cannot be loaded' }),
          reason: z.string().openapi({ example: 'its weights failed verification' }),
          detail: z.string().openapi({ description: 'the failure with its R2 keys, sizes and sha256s' }),
        }),
      )
      .optional()
      .openapi({ description: 'direction -> why a fallback version answers for it' }),
    error: z
      .object({ code: z.string(), message: z.string(), detail: z.string() })
      .optional()
      .openapi({ description: 'the first direction that cannot be served' }),
    tensors: z.number().int().openapi({ description: 'tf.memory().numTensors in this isolate' }),
    wasmHeapBytes: z
      .number()
      .int()
      .optional()
      .openapi({ description: "bytes of tfjs's WASM heap, which loads the weights (it only grows)" }),
    modelMemoryBytes: z.number().int().openapi({
      description: "bytes of the served models' own WASM memories: their matrices and the largest batch's scratch",
    }),
    dictionary: DictionaryHealth.optional(),
  })
  .openapi('Health', { example: EXAMPLES.health });

health.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'Whether every direction can be served, and memory',
    responses: {
      200: {
        description: 'Every direction answers ("ok"), some by a fallback version ("degraded")',
        content: { 'application/json': { schema: Health } },
      },
      503: {
        description: 'A direction cannot be served; `error` says why',
        content: { 'application/json': { schema: Health } },
      },
    },
  }),
  async (c) => {
    const models: Record<string, string> = {};
    const degraded: Record<string, Degraded> = {};
    let error: { code: string; message: string; detail: string } | undefined;
    let modelMemoryBytes = 0;
    for (const direction of c.var.config.directions) {
      try {
        const lease = await c.var.store.lease(direction);
        models[direction] = lease.translator.id;
        modelMemoryBytes += lease.translator.memoryBytes;
        if (lease.degraded) degraded[direction] = lease.degraded;
        lease.release();
      } catch (err) {
        if (!(err instanceof ModelUnavailableError)) throw err;
        error ??= { code: err.code, message: err.message, detail: err.detail };
      }
    }
    const dictionary = withoutLicence(await c.var.dictionary.check());
    const faulty = dictionary.status === 'degraded' || dictionary.status === 'unavailable';
    const status = error ? 'unavailable' : Object.keys(degraded).length > 0 || faulty ? 'degraded' : 'ok';
    const body = {
      status,
      models,
      ...(Object.keys(degraded).length > 0 && { degraded }),
      ...(error && { error }),
      tensors: tensorCount(),
      wasmHeapBytes: wasmHeapBytes(),
      modelMemoryBytes,
      dictionary,
    } as const;
    if (error) return c.json(body, 503, { 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) });
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  },
);

/** The dictionary's status as /health reports it (its licence is /models' to show). */
const withoutLicence = (s: DictionaryStatus) => ('licence' in s ? (({ licence: _, ...rest }) => rest)(s) : s);
