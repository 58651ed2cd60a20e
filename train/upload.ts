// Uploads model artifacts to R2, checks what the bucket holds, and moves the live pointer:
//
//   npm run upload -- --model model-artifacts/en-ja [--local | --remote] [--bucket NAME] [--persist-to DIR]
//   npm run upload -- --verify [--model DIR | --direction D]    check the live version, write nothing
//   npm run upload -- --rollback [--to VERSION] --direction D   verify VERSION (default: the previous), make it live
//   npm run upload -- --help
//
// Upload, so readers never see half an upload and a damaged bucket is repaired: check the manifest and every sha256
// locally; if the bucket holds no manifest.json of that version, put every file and then manifest.json, else read
// back every object (size and sha256) and put again each one that is missing or differs, saying which; read back
// what was put; only then write the pointer current/<direction>.json = {"version", "previous": the version it named}.
// Uploading the version that is already live leaves the pointer as it is, once every object is verified (repairing
// it if needed: a running Worker switches back to it within POINTER_TTL_SECONDS). Credentials stay with wrangler.
//
// The dictionary (model-artifacts/dictionary: src/core/dictionary/artifact.ts) is uploaded, verified and rolled back the
// same way under the name "dictionary" where a model has its direction (--direction dictionary).
// --remote and --local: ./r2-bucket.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateManifest } from '../src/core/artifact.js';
import { DICTIONARY, validateDictionaryManifest } from '../src/core/dictionary/artifact.js';
import {
  modelId,
  objectKey,
  parsePointer,
  pointerKey,
  pointerText,
  VERSION_PATTERN,
  type Pointer,
} from '../src/core/layout.js';
import { openArtifact, readFiles, sha256Hex } from '../src/core/open-artifact.js';
import { artifactFolders, folderReader } from './artifact-folder.js';
import { runCli, UsageError } from './cli.js';
import { localBucket, remoteBucket, type Bucket } from './r2-bucket.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run upload -- [--model DIR ...] [--verify | --rollback [--to VERSION]] [--direction D ...] [options]

  --model DIR       an artifact folder (with manifest.json), or a folder of them (npm start passes model-artifacts):
                    upload each version, verify every object it lists (re-putting what is missing or differs), make it live
  --verify          check the live version of each direction in the bucket (size and sha256 of every object) and write
                    nothing; exit 1 on any difference. Directions from --model DIR (whose version must be the live one)
                    or --direction D, else DIRECTIONS in wrangler.toml and the dictionary
  --rollback        verify a stored version and point current/<D>.json at it (--direction D, exactly one; D may be
                    "dictionary");
                    the version rolled back from becomes the pointer's "previous", so a second --rollback undoes it
  --to VERSION      the version to roll back to (default: the pointer's "previous")
  --local           wrangler's local R2 (default; what \`npm start\` / \`wrangler dev\` read); --remote the real bucket
  --bucket NAME     default: bucket_name of the MODELS binding in wrangler.toml
  --persist-to DIR  local state folder (default wrangler's .wrangler/state)
  --help, -h        this text`;

/** What a stored object must be: manifest.json's entry for it (or the local manifest.json's own size and sha256). */
type Expected = Record<string, { bytes: number; sha256: string }>;

/** What the uploader reads of a manifest, a model's or the dictionary's: its R2 name (direction or "dictionary"), version, files. */
interface Listing {
  direction: string;
  version: string;
  files: Expected;
}

/** A manifest.json's content, validated as the dictionary's (name "dictionary") or a model's. */
function listingOf(json: unknown): Listing {
  if (typeof json === 'object' && json !== null && (json as { name?: unknown }).name === DICTIONARY) {
    const { version, files } = validateDictionaryManifest(json);
    return { direction: DICTIONARY, version, files };
  }
  const { direction, version, files } = validateManifest(json);
  return { direction, version, files };
}

/** The bucket or an artifact is not as it must be (exit 1; a mistake in the flags is a UsageError, exit 2). */
class UploadError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', multiple: true },
      direction: { type: 'string', multiple: true },
      verify: { type: 'boolean', default: false },
      rollback: { type: 'boolean', default: false },
      to: { type: 'string' },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      bucket: { type: 'string' },
      'persist-to': { type: 'string' },
    },
    strict: true, // unknown flags are errors
  });
  const models = values.model ?? [];
  const directions = values.direction ?? [];
  if (values.local && values.remote) throw new UsageError('--local and --remote exclude each other');
  if (values.remote && values['persist-to']) throw new UsageError('--persist-to is for --local only');
  if (values.verify && values.rollback) throw new UsageError('--verify and --rollback exclude each other');
  if (values.to !== undefined && !values.rollback) throw new UsageError('--to is for --rollback only');
  for (const direction of directions)
    if (!/^[\w-]+$/.test(direction)) throw new UsageError(`--direction "${direction}": give a direction such as en-ja`);
  if (values.rollback && (directions.length !== 1 || models.length > 0))
    throw new UsageError('--rollback takes exactly one --direction (and no --model)');
  if (values.verify && directions.length > 0 && models.length > 0)
    throw new UsageError('--verify takes --model or --direction, not both');
  if (!values.verify && !values.rollback && directions.length > 0)
    throw new UsageError('--direction is for --verify and --rollback; an upload takes it from the manifest');
  if (!values.verify && !values.rollback && models.length === 0)
    throw new UsageError('give the artifact folder: --model model-artifacts/en-ja (see --help)');
  if (values.to !== undefined && !VERSION_PATTERN.test(values.to))
    throw new UsageError(`--to "${values.to}" is no version id (letters, digits, . _ -)`);

  const folders = (await Promise.all(models.map(artifactFolders))).flat();
  const name = values.bucket ?? (await bucketFromWranglerToml());
  const bucket = values.remote
    ? remoteBucket(name)
    : await localBucket(name, resolve(values['persist-to'] ?? join(ROOT, '.wrangler/state')));
  try {
    if (values.rollback) return await rollback(bucket, directions[0] ?? '', values.to);
    if (!values.verify) {
      for (const folder of folders) await upload(folder, bucket);
      return;
    }
    // Without --direction the dictionary is checked too, but a bucket without one is intact: the Worker translates without it.
    const targets =
      folders.length > 0
        ? folders.map((folder) => ({ folder }))
        : directions.length > 0
          ? directions.map((direction) => ({ direction }))
          : [
              ...(await directionsFromWranglerToml()).map((direction) => ({ direction })),
              { direction: DICTIONARY, optional: true },
            ];
    let intact = true;
    for (const target of targets) intact = (await verify(bucket, target)) && intact; // every direction, even after a failure
    if (!intact) throw new UploadError(`--verify found differences in ${bucket.description} (nothing was written)`);
  } finally {
    await bucket.close();
  }
}

async function upload(folder: string, bucket: Bucket): Promise<void> {
  const where = relative(process.cwd(), folder) || '.';
  const { manifest, objects, expected } = await readArtifact(folder, where);
  const { direction, version } = manifest;
  const id = modelId(direction, version);
  const count = Object.keys(objects).length;

  // A version without manifest.json (new, or an upload cut short) is put whole; else only what differs.
  let toPut: Array<[path: string, why: string]>;
  if (!(await bucket.get(objectKey(direction, version, 'manifest.json')))) {
    console.log(`uploading ${id} from ${where} to ${bucket.description}`);
    toPut = Object.keys(objects).map((path) => [path, 'new']);
  } else {
    console.log(`${id} is already in ${bucket.description}: reading back its ${count} objects`);
    toPut = (await differences(bucket, direction, version, expected)).map(({ path, problem }) => [
      path,
      `${problem}: put again`,
    ]);
  }
  for (const [path, why] of toPut) {
    const bytes = objects[path] ?? new Uint8Array();
    await bucket.put(objectKey(direction, version, path), join(folder, path), bytes); // manifest.json last
    console.log(`  ${path} (${bytes.byteLength} bytes)${why === 'new' ? '' : `: ${why}`}`);
  }
  if (toPut.length > 0) {
    const again = await differences(
      bucket,
      direction,
      version,
      Object.fromEntries(toPut.map(([path]) => [path, expected[path]!])),
    );
    if (again.length > 0) {
      const live = (await readPointer(bucket, direction).catch(() => undefined))?.version === version;
      const hint = live
        ? `; ${id} stays live and unloadable (the Worker serves an earlier version): npm run upload -- --rollback --direction ${direction}`
        : '';
      throw new UploadError(`${id}: read back after the put, ${describe(again)}; the pointer was not changed${hint}`);
    }
  }

  let pointer: Pointer | undefined;
  try {
    pointer = await readPointer(bucket, direction);
  } catch (err) {
    console.warn(`  ${(err as Error).message}: it is replaced`);
  }
  if (pointer?.version === version) {
    if (toPut.length > 0)
      console.log(
        `${id} is live again, repaired (${toPut.length} of ${count} objects): a running Worker serves it within POINTER_TTL_SECONDS`,
      );
    else console.log(`${id} is already live in ${bucket.description}: all ${count} objects verified`);
    return;
  }
  await writePointer(bucket, direction, { version, ...(pointer && { previous: pointer.version }) });
  console.log(
    `${id} is live: ${pointerKey(direction)} -> ${version}${pointer ? ` (previous: ${pointer.version})` : ''}; all ${count} objects verified`,
  );
}

/** Checks the live version of a direction (or of a folder's direction, against that folder) without writing. */
async function verify(
  bucket: Bucket,
  target: { folder: string } | { direction: string; optional?: boolean },
): Promise<boolean> {
  const where = 'folder' in target ? relative(process.cwd(), target.folder) || '.' : '';
  const local = 'folder' in target ? await readArtifact(target.folder, where) : undefined;
  const direction = local ? local.manifest.direction : 'direction' in target ? target.direction : '';
  let pointer: Pointer | undefined;
  try {
    pointer = await readPointer(bucket, direction);
  } catch (err) {
    console.log(`${direction}: ${(err as Error).message}`);
    return false;
  }
  if (!pointer) {
    console.log(`${direction}: ${pointerKey(direction)} is not in ${bucket.description}: nothing is live`);
    return 'optional' in target && target.optional === true;
  }
  const id = modelId(direction, pointer.version);
  let matches = true;
  let expected: Expected;
  if (local && local.manifest.version === pointer.version) expected = local.expected;
  else {
    if (local)
      console.log(`${direction}: the live version is ${pointer.version}, not ${local.manifest.version} as in ${where}`);
    matches = !local;
    try {
      expected = (await storedManifest(bucket, direction, pointer.version)).files;
    } catch (err) {
      console.log(`${id}: ${(err as Error).message}`);
      return false;
    }
  }
  const found = await differences(bucket, direction, pointer.version, expected);
  const count = Object.keys(expected).length + ('manifest.json' in expected ? 0 : 1); // a stored manifest.json was validated
  for (const { path, problem } of found) console.log(`  ${path}: ${problem}`);
  const previous = pointer.previous ? ` (previous: ${pointer.previous})` : '';
  if (found.length > 0)
    console.log(
      `${id} is live in ${bucket.description}, but ${found.length} of its ${count} objects differ${previous}`,
    );
  else console.log(`${id} is live in ${bucket.description}: all ${count} objects verified${previous}`);
  return matches && found.length === 0;
}

/** Verifies `to` (default: the pointer's previous version) as stored, then points the pointer at it. */
async function rollback(bucket: Bucket, direction: string, to: string | undefined): Promise<void> {
  let pointer: Pointer | undefined;
  try {
    pointer = await readPointer(bucket, direction);
  } catch (err) {
    if (to === undefined)
      throw new UploadError(`${(err as Error).message}; give the version to roll back to: --to VERSION`);
  }
  const version = to ?? pointer?.previous;
  if (version === undefined) {
    const why = pointer ? `names ${pointer.version} and no previous version` : `is not in ${bucket.description}`;
    throw new UploadError(`${pointerKey(direction)} ${why}; give the version to roll back to: --to VERSION`);
  }
  const id = modelId(direction, version);
  const { files } = await storedManifest(bucket, direction, version);
  const found = await differences(bucket, direction, version, files);
  if (found.length > 0)
    throw new UploadError(`${id} cannot be made live: ${describe(found)}; the pointer was not changed`);
  const count = Object.keys(files).length + 1; // and manifest.json
  if (pointer?.version === version)
    return console.log(`${id} is already live in ${bucket.description}: all ${count} objects verified`);
  await writePointer(bucket, direction, { version, ...(pointer && { previous: pointer.version }) });
  console.log(
    `${id} is live (rolled back from ${pointer?.version ?? 'nothing'}): ${pointerKey(direction)} -> ${version}; all ${count} objects verified`,
  );
}

/** The manifest, validated; every file it lists, checked against its size and sha256; what R2 must hold for them. */
async function readArtifact(
  folder: string,
  where: string,
): Promise<{ manifest: Listing; objects: Record<string, Uint8Array>; expected: Expected }> {
  let manifest: Listing;
  let files: Record<string, Uint8Array>;
  try {
    const read = folderReader(folder);
    const json: unknown = JSON.parse(new TextDecoder().decode(await read('manifest.json')));
    manifest = listingOf(json);
    const verified =
      manifest.direction === DICTIONARY
        ? await readFiles(read, { ...manifest, name: DICTIONARY }, Object.keys(manifest.files))
        : await openArtifact(read);
    files = verified.files;
  } catch (err) {
    throw new UploadError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!VERSION_PATTERN.test(manifest.version))
    throw new UploadError(`${where}: version "${manifest.version}" may only use letters, digits, . _ -`);
  if ('manifest.json' in files) throw new UploadError(`${where}: manifest.json lists itself`);
  const manifestBytes = new Uint8Array(await readFile(join(folder, 'manifest.json')));
  const own = { bytes: manifestBytes.byteLength, sha256: await sha256Hex(manifestBytes) };
  return {
    manifest,
    objects: { ...files, 'manifest.json': manifestBytes },
    expected: { ...manifest.files, 'manifest.json': own },
  };
}

/** The stored manifest.json of a version, validated and naming that direction (or the dictionary) and version. */
async function storedManifest(bucket: Bucket, direction: string, version: string): Promise<Listing> {
  const key = objectKey(direction, version, 'manifest.json');
  const bytes = await bucket.get(key);
  if (!bytes) throw new UploadError(`${key} is not in ${bucket.description}`);
  let manifest: Listing;
  try {
    manifest = listingOf(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (err) {
    throw new UploadError(`${key} is invalid (${(err as Error).message})`);
  }
  if (manifest.direction !== direction || manifest.version !== version)
    throw new UploadError(`${key} describes ${modelId(manifest.direction, manifest.version)}`);
  return manifest;
}

/** Every stored object of the version that is missing or whose size or sha256 is not the expected one. */
async function differences(
  bucket: Bucket,
  direction: string,
  version: string,
  expected: Expected,
): Promise<Array<{ path: string; problem: string }>> {
  const found = [];
  for (const [path, want] of Object.entries(expected)) {
    const bytes = await bucket.get(objectKey(direction, version, path));
    const sha256 = bytes && bytes.byteLength === want.bytes ? await sha256Hex(bytes) : undefined;
    const problem = !bytes
      ? 'missing'
      : bytes.byteLength !== want.bytes
        ? `has ${bytes.byteLength} bytes, expected ${want.bytes}`
        : sha256 !== want.sha256
          ? `sha256 ${sha256}, expected ${want.sha256}`
          : undefined;
    if (problem) found.push({ path, problem });
  }
  return found;
}

const describe = (found: Array<{ path: string; problem: string }>): string =>
  found.map(({ path, problem }) => `${path} ${problem}`).join('; ');

/** The pointer of a direction, or undefined when there is none; UploadError when it cannot be read. */
async function readPointer(bucket: Bucket, direction: string): Promise<Pointer | undefined> {
  const bytes = await bucket.get(pointerKey(direction));
  if (!bytes) return undefined;
  try {
    return parsePointer(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new UploadError(`${pointerKey(direction)} ${(err as Error).message}`);
  }
}

async function writePointer(bucket: Bucket, direction: string, pointer: Pointer): Promise<void> {
  const bytes = Buffer.from(pointerText(pointer));
  await withTempFile(bytes, (file) => bucket.put(pointerKey(direction), file, bytes));
}

async function bucketFromWranglerToml(): Promise<string> {
  const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
  const block = toml.split('[[r2_buckets]]').find((b) => /^\s*binding\s*=\s*"MODELS"/m.test(b));
  const name = block?.match(/^\s*bucket_name\s*=\s*"([^"]+)"/m)?.[1];
  if (!name)
    throw new UploadError('wrangler.toml has no [[r2_buckets]] binding "MODELS" with a bucket_name; pass --bucket');
  return name;
}

/** DIRECTIONS of wrangler.toml's [vars], what --verify checks when given no --model or --direction. */
async function directionsFromWranglerToml(): Promise<string[]> {
  const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
  const value = toml.match(/^\s*DIRECTIONS\s*=\s*"([^"]*)"/m)?.[1];
  const directions =
    value
      ?.split(',')
      .map((d) => d.trim())
      .filter(Boolean) ?? [];
  if (directions.length === 0) throw new UploadError('wrangler.toml sets no DIRECTIONS; pass --direction or --model');
  return directions;
}

async function withTempFile<T>(content: Uint8Array, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'upload-'));
  try {
    const file = join(dir, 'pointer.json');
    await writeFile(file, content);
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runCli(USAGE, main);
