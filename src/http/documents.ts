// Documents as files, for the faces that take them (DeepL's /v2/document, LibreTranslate's /translate_file): the
// uploaded file checked (its format by extension, its size, that it can be read and has text, its characters), stored
// in R2 under its owner's prefix and handed to the owner's jobs object (../store/document-jobs.ts), which translates
// it in the background; then its status, and its result once. Its characters are charged to the owner's usage at
// upload (./usage.ts: 456 beyond the key's limit) and given back if its job fails. Every failure here is a 4xx naming
// the cause; a file that fails later fails its job, with the reason in its status.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { EXTENSIONS, formatOf } from '../core/files/index.js';
import { FileError, type FileFormat } from '../core/files/format.js';
import { textLength } from '../core/files/translate-file.js';
import type { Formality } from '../core/register.js';
import { MarkupError } from '../core/segment/markup.js';
import { hashKey, resultKey, sourceKey, type DocumentJobs, type JobView } from '../store/document-jobs.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { ownerOf } from './owner.js';
import { metered } from './usage.js';

export const DOCUMENT_LIMITS = {
  characters: 200_000, // most billed characters in one document: ~4,000 sentences, a few minutes of decoding
  inFlight: 10, // most documents of one owner queued or translating at once (429 beyond)
  uploadBytes: 31 * 1024 * 1024, // largest upload body: a 30 MB .docx and the form around it
} as const;

/** The file part of an upload's form, as both faces' schemas take it (readUpload checks it again). */
export const FileField = z.custom<File>((value) => value instanceof File, {
  error: 'must be a file (a multipart/form-data part)',
});

/** What an upload's 413 means, for both faces' OpenAPI documents (readUpload, startDocument). */
export const UPLOAD_TOO_LARGE = `The file is over its format's size (10 MB; .docx 30 MB), or has more than ${DOCUMENT_LIMITS.characters} characters of text`;

/** The request paths that take an upload, for the body limit (../app.ts). */
export const UPLOAD_PATHS = /^\/(?:v2\/document|libretranslate\/translate_file)\/?$/;

export interface Upload {
  bytes: Uint8Array;
  filename: string;
  format: FileFormat;
}

/** The file field of a multipart form, named `filename` (or as the part names it); 400 or 413 when it cannot be taken. */
export async function readUpload(
  file: unknown,
  filename: string | undefined,
  invalid = 'Invalid file data.',
): Promise<Upload> {
  if (!(file instanceof File))
    throw new ApiError(
      400,
      'invalid_file',
      `${invalid} Send the document as the "file" part of a multipart/form-data body.`,
    );
  const name = filename ?? file.name;
  const format = formatOf(name);
  if (!format)
    throw new ApiError(
      400,
      'invalid_file',
      `${invalid} "${name}" has a file extension that cannot be translated; these can: ${EXTENSIONS.join(', ')}.`,
    );
  if (file.size > format.maxBytes)
    throw new ApiError(
      413,
      'file_too_large',
      `${invalid} The file has ${file.size} bytes; a ${format.extensions[0]} file may have at most ${format.maxBytes / (1024 * 1024)} MB.`,
    );
  if (file.size === 0) throw new ApiError(400, 'invalid_file', `${invalid} The file is empty.`);
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: name, format };
}

export interface StartOptions {
  target: string;
  source?: string;
  beam: number;
  glossaryId?: string; // checked by the route (../http/glossary.ts storedGlossary)
  formality?: Formality;
}

/** Checks the file can be translated, stores it and queues its job: its id and key (32 and 64 hex digits, as DeepL's). */
export async function startDocument(
  c: Context<AppEnv>,
  upload: Upload,
  options: StartOptions,
): Promise<{ id: string; key: string }> {
  const characters = countCharacters(upload, options.target);
  if (characters > DOCUMENT_LIMITS.characters) {
    throw new ApiError(
      413,
      'too_much_text',
      `the document has ${characters} characters of text, more than the ${DOCUMENT_LIMITS.characters} of one document; split it`,
    );
  }
  const owner = ownerOf(c);
  const [id, key] = [randomHex(16), randomHex(32)];
  // Charged now (456 beyond the key's limit), given back if the job fails (../store/document-jobs.ts).
  return metered(c, characters, async () => {
    await c.env.DOCUMENTS.put(sourceKey(owner, id), upload.bytes);
    const job = { id, keyHash: await hashKey(key), filename: upload.filename, ...options, characters };
    const created = await jobsOf(c, owner).create(owner, job, DOCUMENT_LIMITS.inFlight);
    if (!created.created) {
      await c.env.DOCUMENTS.delete(sourceKey(owner, id));
      throw new ApiError(
        429,
        'too_many_documents',
        `${created.inFlight} documents of this key are being translated, the most at once; wait for one to finish`,
        { 'Retry-After': '5' },
      );
    }
    return { id, key };
  });
}

/** The billed characters of the file, or a 400 naming why it cannot be translated. */
function countCharacters({ bytes, format }: Upload, target: string): number {
  try {
    return textLength(format.read(bytes, { target }).segments);
  } catch (err) {
    if (err instanceof FileError) throw new ApiError(400, 'invalid_file', err.message);
    if (err instanceof MarkupError)
      throw new ApiError(400, 'invalid_file', `the file's markup cannot be read: ${err.message}`);
    throw err;
  }
}

/** The job of this owner with this id and key, or undefined (as for one that does not exist). */
export async function documentStatus(c: Context<AppEnv>, id: string, key: string): Promise<JobView | undefined> {
  if (!DOCUMENT_ID.test(id)) return undefined;
  return jobsOf(c, ownerOf(c)).status(id, await hashKey(key));
}

/** The job once it is done or failed, or as it is after `ms`. */
export async function settled(c: Context<AppEnv>, id: string, key: string, ms: number): Promise<JobView | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await documentStatus(c, id, key);
    if (!job || job.status === 'done' || job.status === 'error' || Date.now() >= deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type Result =
  | { file: Uint8Array; filename: string; mediaType: string }
  | { notReady: JobView['status']; error?: string }
  | undefined;

/** A done document's translation, once: it is deleted as it is handed over (DeepL's rule). */
export async function takeResult(c: Context<AppEnv>, id: string, key: string, owner = ownerOf(c)): Promise<Result> {
  if (!DOCUMENT_ID.test(id)) return undefined;
  const claim = await jobsOf(c, owner).claim(id, await hashKey(key));
  if (!claim) return undefined;
  if (!claim.ready) return { notReady: claim.status, error: claim.error };
  const object = await c.env.DOCUMENTS.get(resultKey(owner, id));
  if (!object) return undefined;
  const file = new Uint8Array(await object.arrayBuffer());
  await c.env.DOCUMENTS.delete(resultKey(owner, id));
  return {
    file,
    filename: claim.filename,
    mediaType: formatOf(claim.filename)?.mediaType ?? 'application/octet-stream',
  };
}

const DOCUMENT_ID = /^[0-9A-F]{32}$/;

export function jobsOf(c: Context<AppEnv>, owner: string): DurableObjectStub<DocumentJobs> {
  return c.env.DOCUMENT_JOBS.get(c.env.DOCUMENT_JOBS.idFromName(owner));
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** The downloaded file's response: its bytes, media type and name (RFC 6266, UTF-8 names too). */
export function fileResponse(file: Uint8Array, filename: string, mediaType: string): Response {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(new Uint8Array(file), {
    headers: {
      'Content-Type': mediaType,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'Cache-Control': 'no-store',
    },
  });
}
