// DeepL's document API, mounted at /v2 beside ./deepl.ts (behind the same key check and `{"message"}` errors):
// POST /v2/document uploads a file and answers its document_id and document_key; POST (or GET) /v2/document/{id}
// with the key says its status (queued, translating, done, error) with seconds_remaining, billed_characters once done
// and error_message on error; POST (or GET) /v2/document/{id}/result downloads the translation once, after which the
// document is gone (DeepL's rule), as it is 24 hours after upload. The work is ../http/documents.ts and
// ../store/document-jobs.ts; the formats are ../core/files. As DeepL (developers.deepl.com/api-reference/document,
// DeepLcom/deepl-mock documents.js), except that the upload answers once its document is done or after a second:
// a small document is done at the first status check.
// - an unknown extension is 400 "Invalid file data."; source_lang equal to target_lang is 400 "Source and target
//   language are equal."; without source_lang, a document detected to be in the target language fails its job with
//   that message; formality applies as on /v2/translate: "more"/"less" is 400 for a target without registers (all
//   but JA), and fails the job when the live en-ja model has none; prefer_* fall back;
// - glossary_id needs source_lang (400 otherwise) and names a glossary of the key's with that pair (as on
//   /v2/translate: ../http/glossary.ts); its terms apply to the document; output_format may only name the input's
//   own format (no conversion);
// - an unknown id, or a wrong document_key, is 404 (the id of another key's document too: never visible); the
//   result before `done` is 503 "Document translation is not done" (deepl-node's DocumentNotReadyError);
// - a file that cannot be read (corrupt, encrypted, empty, no text) is refused at upload with 400 naming the cause,
//   so a job errs only for what shows while translating (a language pair not served, a model that cannot load).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { EXAMPLES } from '../http/examples.js';
import { ApiError } from '../http/errors.js';
import { errorResponses } from '../http/face-errors.js';
import { fieldsBody, readFields, serveDocumented } from '../http/fields.js';
import {
  DOCUMENT_LIMITS,
  documentStatus,
  FileField,
  fileResponse,
  readUpload,
  settled,
  startDocument,
  takeResult,
  UPLOAD_TOO_LARGE,
} from '../http/documents.js';
import { storedGlossary } from '../http/glossary.js';
import { SourceLanguage, TargetLanguage } from '../http/languages.js';
import { BINARY_CONTENT } from '../http/schemas.js';
import { DEEPL_TAG, DeepLError, FORBIDDEN, Formality, checkLanguages, deeplFields } from './deepl.js';

export const deeplDocuments = new OpenAPIHono<AppEnv>();

const UploadFields = z
  .object({
    file: FileField.openapi({
      type: 'string',
      format: 'binary',
      description: 'The document: .txt, .html, .htm, .docx, .srt, .vtt, .po, .pot, .xlf, .xliff, .md, .json.',
    }),
    filename: z
      .string()
      .optional()
      .openapi({ description: "The document's name, when the file part has none; its extension says the format." }),
    target_lang: TargetLanguage,
    source_lang: SourceLanguage.optional(),
    formality: Formality.optional(),
    glossary_id: z.string().optional().openapi({
      description:
        "A glossary's id (POST /v2/glossaries or /v3/glossaries): its source_lang -> target_lang terms are applied. Needs source_lang.",
    }),
    output_format: z
      .string()
      .optional()
      .openapi({ description: "Only the input's own format (e.g. docx): no conversion." }),
  })
  .openapi('DeepLDocumentUpload');

const Handle = z
  .object({
    document_id: z.string().openapi({ example: '04DE5AD98A02647D83285A36021911C6' }),
    document_key: z.string(),
  })
  .openapi('DeepLDocumentHandle', { example: EXAMPLES.documentHandle });

const KeyFields = z
  .object({
    document_key: z
      .string({ error: 'required: the document_key the upload answered' })
      .regex(/^[0-9A-Fa-f]{64}$/, { error: 'must be the 64 hex digits the upload answered' })
      .openapi({ example: EXAMPLES.documentKey.document_key }),
  })
  .openapi({ example: EXAMPLES.documentKey });

const Status = z
  .object({
    document_id: z.string(),
    status: z.enum(['queued', 'translating', 'done', 'error']),
    seconds_remaining: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'An estimate while queued or translating; 0 when done.' }),
    billed_characters: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'When done: the code points of the text translated (not of markup).' }),
    error_message: z.string().optional().openapi({ description: 'When the job failed: why.' }),
  })
  .openapi('DeepLDocumentStatus', { example: EXAMPLES.documentStatus });

serveDocumented(
  deeplDocuments,
  {
    method: 'post',
    path: '/document',
    tags: [DEEPL_TAG.name],
    summary: 'Upload a document to translate',
    request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadFields } } } },
    responses: {
      200: {
        description: 'The handle to ask for its status and result with',
        content: { 'application/json': { schema: Handle } },
      },
      ...errorResponses(DeepLError, {
        400: 'A parameter is missing or invalid, the file extension is not served ("Invalid file data."), or the file cannot be read (corrupt, encrypted, empty, no text): the message says which',
        403: FORBIDDEN,
        413: UPLOAD_TOO_LARGE,
        429: `This key has ${DOCUMENT_LIMITS.inFlight} documents queued or translating already`,
      }),
    },
  },
  async (c) => {
    const fields = deeplFields(UploadFields, await readFields(c));
    const { target_lang: target, source_lang: source } = fields;
    const upload = await readUpload(fields.file, fields.filename); // the file first: a file no language could help is said first
    checkLanguages(source, target, c.var.config.directions);
    if (source === target) throw new ApiError(400, 'invalid_request', 'Source and target language are equal.');
    // Only Japanese has registers (../core/register.ts); whether the live model has them shows when the job runs.
    if ((fields.formality === 'more' || fields.formality === 'less') && target !== 'ja')
      throw new ApiError(400, 'invalid_request', "'formality' is not supported for given 'target_lang'.");
    if (fields.glossary_id !== undefined && source === undefined)
      throw new ApiError(
        400,
        'invalid_request',
        'Use of a glossary requires the source_lang parameter to be specified.',
      );
    if (
      fields.output_format !== undefined &&
      !upload.format.extensions.includes(`.${fields.output_format.toLowerCase()}`)
    ) {
      throw new ApiError(
        400,
        'invalid_request',
        `Value for 'output_format' not supported. A ${upload.format.extensions[0]} document is translated into the same format.`,
      );
    }
    if (fields.glossary_id !== undefined) await storedGlossary(c, fields.glossary_id, [`${source}-${target}`], true); // 400 or 404 now, not later
    const { id, key } = await startDocument(c, upload, {
      target,
      source,
      beam: c.var.config.documentBeam,
      glossaryId: fields.glossary_id,
      formality: fields.formality,
    });
    await settled(c, id, key, UPLOAD_WAIT_MS);
    return c.json({ document_id: id, document_key: key } satisfies z.input<typeof Handle>);
  },
);

/**
 * How long the upload waits for its document to be done before it answers: a small document is then done at the
 * client's first status check, which spares it the 5 s between checks of DeepL's clients (deepl-node, deepl-python).
 */
const UPLOAD_WAIT_MS = 1000;

const notFound = () =>
  new ApiError(404, 'not_found', 'Document not found: no document of this key has this id and document_key.');

const status: Handler<AppEnv> = async (c) => {
  const id = c.req.param('id')!;
  const { document_key: key } = deeplFields(KeyFields, await readFields(c));
  const job = await documentStatus(c, id, key);
  if (!job) throw notFound();
  return c.json({
    document_id: id,
    status: job.status,
    ...(job.secondsRemaining !== undefined && { seconds_remaining: job.secondsRemaining }),
    ...(job.status === 'done' && { billed_characters: job.billedCharacters }),
    ...(job.error !== undefined && { error_message: job.error }),
  } satisfies z.input<typeof Status>);
};

const result: Handler<AppEnv> = async (c) => {
  const { document_key: key } = deeplFields(KeyFields, await readFields(c));
  const taken = await takeResult(c, c.req.param('id')!, key);
  if (!taken) throw notFound();
  if ('notReady' in taken)
    throw new ApiError(
      503,
      'not_ready',
      `Document translation is not done: it is ${taken.notReady}${taken.error ? ` (${taken.error})` : ''}.`,
    );
  return fileResponse(taken.file, taken.filename, taken.mediaType);
};

const idParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '04DE5AD98A02647D83285A36021911C6' }),
});

/** The id in the path and the document_key in the body (POST) or the query (GET), as status and result take them. */
const keyRequest = (method: 'post' | 'get') => ({
  params: idParam,
  ...(method === 'post' ? { body: fieldsBody(KeyFields, true) } : { query: KeyFields }),
});

for (const method of ['post', 'get'] as const) {
  serveDocumented(
    deeplDocuments,
    {
      method,
      path: '/document/{id}',
      tags: [DEEPL_TAG.name],
      summary: "A document's status",
      request: keyRequest(method),
      responses: {
        200: {
          description: 'queued, translating, done (with billed_characters) or error (with error_message)',
          content: { 'application/json': { schema: Status } },
        },
        ...errorResponses(DeepLError, {
          400: 'No document_key',
          403: FORBIDDEN,
          404: 'No document of this key has this id and document_key (downloaded, expired, or never uploaded)',
        }),
      },
    },
    status,
  );
  serveDocumented(
    deeplDocuments,
    {
      method,
      path: '/document/{id}/result',
      tags: [DEEPL_TAG.name],
      summary: 'Download the translated document, once',
      request: keyRequest(method),
      responses: {
        200: {
          description: 'The translated file, in the format it was uploaded in; it is deleted as it is sent',
          content: BINARY_CONTENT,
        },
        ...errorResponses(DeepLError, {
          400: 'No document_key',
          403: FORBIDDEN,
          404: 'No document of this key has this id and document_key',
          503: 'The translation is not done yet (or failed: the message says why)',
        }),
      },
    },
    result,
  );
}
