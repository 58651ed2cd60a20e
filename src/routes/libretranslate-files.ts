// LibreTranslate's file translation, mounted at /libretranslate beside ./libretranslate.ts: POST /translate_file
// (multipart: file, source, target, api_key) answers `{"translatedFileUrl": ...}` once the file is translated, as
// LibreTranslate does (it translates during the request); GET /download_file/{token}/{filename} is that URL, which
// LibreTranslate clients fetch without their key, so the token names the document and carries its key (a
// capability, as LibreTranslate's own random file names are): it downloads once, then the document is gone. The job
// runs as a DeepL document does (../http/documents.ts); a request that would wait longer than WAIT_MS answers 503.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { admit } from '../http/api-key.js';
import { ApiError } from '../http/errors.js';
import { errorResponses } from '../http/face-errors.js';
import { parseFields, readFields, serveDocumented } from '../http/fields.js';
import {
  DOCUMENT_LIMITS,
  FileField,
  fileResponse,
  readUpload,
  settled,
  startDocument,
  takeResult,
  UPLOAD_TOO_LARGE,
} from '../http/documents.js';
import { SourceLanguage, TargetLanguage, unservedPair } from '../http/languages.js';
import { ownerOf } from '../http/owner.js';
import { BINARY_CONTENT } from '../http/schemas.js';
import { LIBRETRANSLATE_TAG, LibreError } from './libretranslate.js';

export const libretranslateFiles = new OpenAPIHono<AppEnv>();

/** Longest a request waits for its file to be translated (Cloudflare gives a request 100 s). */
const WAIT_MS = 90_000;

const FileFields = z
  .object({
    file: FileField.openapi({ type: 'string', format: 'binary' }),
    source: SourceLanguage.optional(),
    target: TargetLanguage,
    api_key: z
      .string()
      .optional()
      .openapi({ description: 'The key, when the deployment has keys; checked before any other field.' }),
  })
  .openapi('LibreTranslateFileRequest');

const Translated = z
  .object({
    translatedFileUrl: z.string().openapi({ description: 'Where to download the translation, once (no key needed).' }),
  })
  .openapi('LibreTranslateFile', { example: EXAMPLES.libreFile });

serveDocumented(
  libretranslateFiles,
  {
    method: 'post',
    path: '/translate_file',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'Translate a file',
    request: { body: { required: true, content: { 'multipart/form-data': { schema: FileFields } } } },
    responses: {
      200: {
        description: 'The translated file is ready at translatedFileUrl',
        content: { 'application/json': { schema: Translated } },
      },
      ...errorResponses(LibreError, {
        400: 'A field is invalid, the language pair is not served, the file extension is not served, or the file cannot be read or translated (the message says why)',
        403: '"Invalid API key"',
        413: UPLOAD_TOO_LARGE,
        429: `This key has ${DOCUMENT_LIMITS.inFlight} documents being translated already`,
        503: `The translation takes longer than ${WAIT_MS / 1000} s`,
      }),
    },
  },
  async (c) => {
    const fields = await readFields(c);
    if (!(await admit(c, typeof fields.api_key === 'string' ? fields.api_key : undefined)))
      throw new ApiError(403, 'forbidden', 'Invalid API key');
    const { file, source, target } = parseFields(FileFields, fields);
    const served = c.var.config.directions;
    if (source === target) throw new ApiError(400, 'invalid_request', 'source and target are the same language');
    if (!served.some((d) => d.endsWith(`-${target}`) && (source === undefined || d === `${source}-${target}`)))
      throw unservedPair(source ?? 'auto', target, served);
    const upload = await readUpload(file, undefined, 'Invalid file.');
    const { id, key } = await startDocument(c, upload, { target, source, beam: c.var.config.documentBeam });
    const job = await settled(c, id, key, WAIT_MS);
    if (job?.status === 'error')
      throw new ApiError(400, 'translation_failed', job.error ?? 'the file could not be translated');
    if (job?.status !== 'done')
      throw new ApiError(
        503,
        'still_translating',
        `the file is still being translated after ${WAIT_MS / 1000} s; send a smaller file`,
      );
    const token = `${id}.${key}.${btoa(ownerOf(c)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`; // base64url
    const url = new URL(`/libretranslate/download_file/${token}/${encodeURIComponent(upload.filename)}`, c.req.url);
    return c.json({ translatedFileUrl: url.href } satisfies z.input<typeof Translated>);
  },
);

const TOKEN = /^([0-9A-F]{32})\.([0-9A-F]{64})\.([\w-]+)$/;

serveDocumented(
  libretranslateFiles,
  {
    method: 'get',
    path: '/download_file/{token}/{filename}',
    tags: [LIBRETRANSLATE_TAG.name],
    summary: 'Download a translated file, once',
    request: {
      params: z.object({
        token: z.string().openapi({ param: { name: 'token', in: 'path' }, example: EXAMPLES.libreFileToken }),
        filename: z.string().openapi({ param: { name: 'filename', in: 'path' }, example: 'notes.docx' }),
      }),
    },
    responses: {
      200: { description: 'The translated file; it is deleted as it is sent', content: BINARY_CONTENT },
      ...errorResponses(LibreError, {
        404: 'No such file: downloaded already, expired (24 hours), or never translated',
      }),
    },
  },
  async (c) => {
    const [, id, key, owner] = c.req.param('token')?.match(TOKEN) ?? [];
    const ownerName = owner && fromBase64Url(owner);
    const taken = id && key && ownerName ? await takeResult(c, id, key, ownerName) : undefined;
    if (!taken || 'notReady' in taken)
      throw new ApiError(
        404,
        'not_found',
        'No such file: it was downloaded already, has expired, or was never translated',
      );
    return fileResponse(taken.file, taken.filename, taken.mediaType);
  },
);

function fromBase64Url(text: string): string | undefined {
  try {
    return atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
}
