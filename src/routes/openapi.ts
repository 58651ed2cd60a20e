// GET /openapi.json: the OpenAPI 3.1 document of the app, generated on request from the registry its routes fill
// with their own zod schemas, so the description cannot drift from the validation. Every native operation also names
// the native error shape ({"error": {"code", "message"}}) as its `default` response: any route can answer 404, 405,
// 413, 429, 500 or 503 through the shared error handler. The DeepL and LibreTranslate operations name their face's
// error shape as their own `default` instead (../http/face-errors.ts), and are grouped by their tags; the native operations
// (those without a tag) under NATIVE_TAG, listed first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { DEEPL_TAG } from './deepl.js';
import { GLOSSARIES_TAG } from './glossaries.js';
import { LIBRETRANSLATE_TAG } from './libretranslate.js';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const NATIVE_TAG = {
  name: 'Edge translator API',
  description:
    'The native API: `POST /translate` and `GET /translate`, the models and their health, this document and the pages. Keys (when the deployment has them) go as `Authorization: Bearer <key>`.',
};

const INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Edge translator',
    version: '1',
    description:
      'Neural machine translation (English <-> Japanese) at the edge. Errors are {"error": {"code", "message"}}, but in their own shapes on the DeepL and LibreTranslate faces. [The translation page](/).',
  },
  tags: [NATIVE_TAG, DEEPL_TAG, GLOSSARIES_TAG, LIBRETRANSLATE_TAG],
};

/** The sub-app serving the document of `app` (the app it is mounted on, with every other route already added). */
export function openapi(app: OpenAPIHono<AppEnv>): OpenAPIHono<AppEnv> {
  const docs = new OpenAPIHono<AppEnv>();
  docs.openapi(
    createRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI document',
      responses: {
        200: {
          description: 'This document',
          content: {
            'application/json': {
              schema: z
                .record(z.string(), z.unknown())
                .openapi({ example: { openapi: '3.1.0', info: INFO.info, paths: {} } }),
            },
          },
        },
      },
    }),
    (c) => c.json(withErrorDefaults(app.getOpenAPI31Document(INFO)), 200),
  );
  return docs;
}

/** The document with the native operations tagged and every operation's `default` (error) response. */
function withErrorDefaults(document: Document): Document {
  const components = { ...document.components };
  if (!components.schemas?.Error) return document;
  components.responses = {
    ...components.responses,
    Error: {
      description: 'An error; `code` is stable, `message` names the cause',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.tags ??= [NATIVE_TAG.name];
      operation.responses = {
        ...operation.responses,
        default: operation.responses?.default ?? { $ref: '#/components/responses/Error' },
      };
    }
  }
  return { ...document, components };
}
