// GET /models/{direction}/files/{path}: the files of a direction's live model version, streamed from R2, for the
// page's offline mode (src/page/browser/offline.ts), which verifies them against the manifest's sha256s as the Worker does.
// Only manifest.json and the files it lists are served. Each response names its version (X-Model-Version): if the
// pointer moves between two requests the sha256 check fails in the browser, which then starts again.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { validateManifest } from '../core/artifact.js';
import { ApiError } from '../http/errors.js';
import { ModelUnavailableError } from '../store/model-store.js';
import { modelId, objectKey } from '../core/layout.js';
import { BINARY_CONTENT, ErrorResponse } from '../http/schemas.js';

export const modelFiles = new OpenAPIHono<AppEnv>();

const MANIFEST = 'manifest.json';

/** A file's path in an artifact (this route's and the dictionary's, ./dictionary.ts). */
export const FilePath = z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, { error: 'must be a relative file path' });

const FileParams = z.object({
  direction: z.string().openapi({ param: { name: 'direction', in: 'path' }, example: 'en-ja' }),
  path: FilePath.openapi({
    param: { name: 'path', in: 'path' },
    description: '"manifest.json" or a file it lists, e.g. "encoder/model.json"',
    example: MANIFEST,
  }),
});

const fileRoute = createRoute({
  method: 'get',
  path: '/{direction}/files/{path}',
  summary: "A file of a direction's live model (the page's in-browser translation)",
  request: { params: FileParams },
  responses: {
    200: {
      description: 'The file, as stored; `X-Model-Version` names the live version it belongs to',
      content: BINARY_CONTENT,
    },
    400: { description: 'Invalid path', content: { 'application/json': { schema: ErrorResponse } } },
    404: {
      description: 'Not a direction served here, or not a file of the live model',
      content: { 'application/json': { schema: ErrorResponse } },
    },
    503: { description: 'No live model for the direction', content: { 'application/json': { schema: ErrorResponse } } },
  },
});

// Hono needs `{.+}` for a path parameter with slashes; the document shows the plain template.
modelFiles.openAPIRegistry.registerPath(fileRoute);
modelFiles.openapi({ ...fileRoute, path: '/{direction}/files/{path{.+}}', hide: true }, async (c) => {
  const { direction, path } = c.req.valid('param');
  if (!c.var.config.directions.includes(direction))
    throw new ApiError(404, 'not_found', `direction "${direction}" is not served here`);
  const version = await c.var.store.liveVersion(direction);
  if (path !== MANIFEST && !(path in (await manifestOf(c.env.MODELS, direction, version)).files)) {
    throw new ApiError(404, 'not_found', `"${path}" is not a file of ${modelId(direction, version)}`);
  }
  const object = await c.env.MODELS.get(objectKey(direction, version, path));
  if (!object) throw new ModelUnavailableError(`model ${modelId(direction, version)}: "${path}" not found in R2`);
  return fileOfVersion(c, object, path, { 'X-Model-Version': version });
});

/**
 * A stored file of an artifact's version (a model's, the dictionary's), typed by its extension, with the header that
 * names its version. The URL names no version, so a cached copy must be revalidated (the ETag is the object's).
 */
export function fileOfVersion(
  c: Context,
  object: R2ObjectBody,
  path: string,
  version: Record<string, string>,
): Response {
  const type = path.endsWith('.json')
    ? 'application/json'
    : path.endsWith('.txt')
      ? 'text/plain; charset=utf-8'
      : 'application/octet-stream';
  return c.body(object.body, 200, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    ...version,
    ETag: object.httpEtag,
  });
}

async function manifestOf(bucket: R2Bucket, direction: string, version: string) {
  const object = await bucket.get(objectKey(direction, version, MANIFEST));
  if (!object) throw new ModelUnavailableError(`model ${modelId(direction, version)}: manifest.json not found in R2`);
  return validateManifest(await object.json());
}
