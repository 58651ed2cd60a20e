// GET /health: 200 only when every served direction has a model that loads (loading it if needed), else 503
// with the reason. Also reports the backend and the live tensor count, so a leak shows up from outside.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { RETRY_AFTER_SECONDS } from '../http/errors.js';
import { ModelUnavailableError } from '../store/model-store.js';
import { tensorCount, wasmHeapBytes } from '../store/wasm-backend.js';

export const health = new OpenAPIHono<AppEnv>();

const Health = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    models: z.record(z.string(), z.string()).openapi({ description: 'direction -> direction@version being served' }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    tensors: z.number().int().openapi({ description: 'tf.memory().numTensors in this isolate' }),
    wasmHeapBytes: z.number().int().optional(),
  })
  .openapi('Health');

health.openapi(
  createRoute({
    method: 'get',
    path: '/',
    responses: {
      200: { description: 'Every direction can be served', content: { 'application/json': { schema: Health } } },
      503: { description: 'A direction cannot be served; `error` says why', content: { 'application/json': { schema: Health } } },
    },
  }),
  async (c) => {
    const models: Record<string, string> = {};
    const headers = { 'Cache-Control': 'no-store' };
    for (const direction of c.var.config.directions) {
      try {
        const lease = await c.var.store.lease(direction);
        models[direction] = lease.translator.id;
        lease.release();
      } catch (err) {
        if (!(err instanceof ModelUnavailableError)) throw err;
        const error = { code: err.code, message: err.message };
        const body = { status: 'unavailable' as const, models, error, tensors: tensorCount(), wasmHeapBytes: wasmHeapBytes() };
        return c.json(body, 503, { ...headers, 'Retry-After': String(RETRY_AFTER_SECONDS) });
      }
    }
    return c.json({ status: 'ok' as const, models, tensors: tensorCount(), wasmHeapBytes: wasmHeapBytes() }, 200, headers);
  },
);
