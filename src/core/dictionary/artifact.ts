// The dictionary's artifact (model-artifacts/dictionary/, and the same files under models/dictionary/<version>/ in R2,
// its live version named by current/dictionary.json: ../layout.ts): manifest.json, the two compiled files gzipped
// (./dictionary.ts has their format) and the EDRDG's licence statement. train/dictionary/build.ts writes it; the
// Worker (src/store/dictionary-store.ts), the page and the Node tools open it here, every file checked against the
// manifest's size and sha256 as a model's are (../open-artifact.ts). DecompressionStream and Web Crypto only: it runs
// in workerd, Node and browsers alike.
import { z } from 'zod';
import { ArtifactError } from '../artifact.js';
import { modelId } from '../layout.js';
import { readFiles, type ReadFile } from '../open-artifact.js';
import { Dictionary } from './dictionary.js';

export const DICTIONARY = 'dictionary'; // its name in R2 keys and pointers, where a model has its direction
export const DICTIONARY_FORMAT = 1;
export const DICTIONARY_FILES = { 'ja-en': 'ja-en.tsv.gz', 'en-ja': 'en-ja.tsv.gz' } as const;

const FileEntry = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex sha256'),
  bytes: z.int().min(0),
});

export const DictionaryManifestSchema = z
  .object({
    format: z.literal(DICTIONARY_FORMAT),
    name: z.literal(DICTIONARY),
    version: z.string().regex(/^[\w.-]+$/, 'must be letters, digits, . _ -'),
    licence: z.object({
      name: z.string().min(1), // "CC BY-SA 3.0"
      holder: z.string().min(1),
      url: z.string().min(1),
      file: z.string().min(1), // the licence statement, listed in `files`
      credit: z.string().min(1), // the line a page or an API response shows
    }),
    source: z.record(z.string(), z.string()), // package -> the .deb it was read from
    entries: z.object({ 'ja-en': z.int().min(0), 'en-ja': z.int().min(0) }),
    build: z.looseObject({ command: z.string() }), // how it was made, and what it was measured to cover
    files: z.record(z.string(), FileEntry),
  })
  .superRefine((m, ctx) => {
    for (const path of [...Object.values(DICTIONARY_FILES), m.licence.file]) {
      if (!Object.hasOwn(m.files, path))
        ctx.addIssue({ code: 'custom', path: ['files', path], message: 'must be listed' });
    }
  });

export type DictionaryManifest = z.infer<typeof DictionaryManifestSchema>;

/** A parsed manifest.json of the dictionary, checked; ArtifactError naming the first bad field otherwise. */
export function validateDictionaryManifest(value: unknown): DictionaryManifest {
  const parsed = DictionaryManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
  throw new ArtifactError(`dictionary manifest.json: "${field}" ${issue?.message ?? 'is invalid'}`);
}

export interface OpenedDictionary {
  manifest: DictionaryManifest;
  dictionary: Dictionary;
}

/** Reads manifest.json and the files, verifies them, and parses the dictionary; `version`, when given, must be the manifest's. */
export async function openDictionary(read: ReadFile, version?: string): Promise<OpenedDictionary> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await read('manifest.json')));
  } catch (err) {
    if (err instanceof SyntaxError) throw new ArtifactError(`dictionary manifest.json is invalid (${err.message})`);
    throw err;
  }
  const manifest = validateDictionaryManifest(json);
  if (version !== undefined && manifest.version !== version)
    throw new ArtifactError(`manifest.json describes ${modelId(DICTIONARY, manifest.version)}`);
  const { files } = await readFiles(read, manifest, Object.values(DICTIONARY_FILES));
  const [jaEn, enJa] = await Promise.all([
    gunzipText(files[DICTIONARY_FILES['ja-en']]!),
    gunzipText(files[DICTIONARY_FILES['en-ja']]!),
  ]);
  return { manifest, dictionary: Dictionary.parse({ 'ja-en': jaEn, 'en-ja': enJa }) };
}

/** UTF-8 text of gzipped bytes. */
export async function gunzipText(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await new Response(stream).text();
  } catch (err) {
    throw new ArtifactError(`a dictionary file is not gzip (${err instanceof Error ? err.message : String(err)})`);
  }
}
