// GET / (the translation page) and GET /docs (the API described by /openapi.json), HTML from ../page/html.ts.
// Both are cross-origin isolated (COOP + COEP), which lets the page's offline mode run tfjs-wasm with threads
// (SharedArrayBuffer), and allowed nothing from other origins (../page/headers.ts).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { PAGE_HEADERS } from '../page/headers.js';
import { docsHtml, pageHtml } from '../page/html.js';

export const page = new OpenAPIHono<AppEnv>();

const isolated: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.res.headers.set(name, value);
};

const html = (summary: string) => ({
  summary,
  middleware: isolated,
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
});

page.openapi(createRoute({ method: 'get', path: '/', ...html('The translation page') }), (c) => {
  const { directions, defaultBeam } = c.var.config;
  return c.html(pageHtml({ directions, defaultBeam }), 200);
});

page.openapi(
  createRoute({ method: 'get', path: '/docs', ...html('This API reference, rendered from /openapi.json') }),
  (c) => c.html(docsHtml(), 200),
);
