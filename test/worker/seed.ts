// Puts the random test model (built by global-setup.ts) into the Miniflare R2 bucket in the layout
// train/upload.ts writes, under any version id, optionally damaged, and points the live pointer at it (keeping the
// version it named as "previous", as the uploader does). `damage` breaks a stored object afterwards.
import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import type { Manifest } from '../../src/core/artifact.js';
import { objectKey, parsePointer, pointerKey, type Pointer } from '../../src/core/layout.js';

export type Direction = 'en-ja' | 'ja-en';

export interface TestArtifact {
  manifest: Manifest;
  files: Record<string, Uint8Array>;
  sourceWords: string[];
  sourceText: string; // a text the model reads without unknown words
}

/**
 * A direction's test model, 'en-ja-subwords': an en-ja model of subword pieces (test/helpers/random-model.ts),
 * 'en-ja-ensemble': the en-ja model with another as an ensemble (train/ensemble.ts), or 'en-ja-registers': one whose
 * source vocabulary has the register tags (src/core/register.ts).
 */
export type ArtifactName = Direction | 'en-ja-subwords' | 'en-ja-ensemble' | 'en-ja-registers';

export function testArtifact(name: ArtifactName = 'en-ja'): TestArtifact {
  const provided = inject('artifacts')[name];
  const files = Object.fromEntries(
    Object.entries(provided.files).map(([path, b64]) => [path, Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))]),
  );
  return {
    manifest: JSON.parse(provided.manifest),
    files,
    sourceWords: provided.sourceWords,
    sourceText: provided.sourceText,
  };
}

export interface SeedOptions {
  /** Replace what is stored for a path (manifest.json included); `null` leaves the object out. */
  override?: Record<string, Uint8Array | string | null>;
  /** Also make this version the live one (default true). */
  live?: boolean;
  direction?: Direction; // default en-ja
  artifact?: ArtifactName; // which test model to store; default the direction's
  /** The pointer's "previous": by default the version it named before (as the uploader writes it); null for none. */
  previous?: string | null;
}

/** Stores the test model as `version` (its manifest rewritten to say so) and, by default, makes it live. */
export async function seedVersion(version: string, options: SeedOptions = {}): Promise<TestArtifact> {
  const { direction = 'en-ja' } = options;
  const artifact = testArtifact(options.artifact ?? direction);
  const manifest = { ...artifact.manifest, version };
  const objects: Record<string, Uint8Array | string | null> = {
    ...artifact.files,
    'manifest.json': JSON.stringify(manifest),
    ...options.override,
  };
  for (const [path, value] of Object.entries(objects)) {
    const key = objectKey(direction, version, path);
    if (value === null) await env.MODELS.delete(key);
    else await env.MODELS.put(key, value);
  }
  if (options.live !== false) await setLive(version, direction, options.previous);
  return { ...artifact, manifest };
}

/** Points the pointer at `version`; `previous` as in SeedOptions. */
export async function setLive(
  version: string,
  direction: Direction = 'en-ja',
  previous?: string | null,
): Promise<void> {
  const before = previous === undefined ? (await livePointer(direction))?.version : (previous ?? undefined);
  const pointer: Pointer = before && before !== version ? { version, previous: before } : { version };
  await env.MODELS.put(pointerKey(direction), JSON.stringify(pointer));
}

export async function livePointer(direction: Direction = 'en-ja'): Promise<Pointer | undefined> {
  const object = await env.MODELS.get(pointerKey(direction));
  if (!object) return undefined;
  try {
    return parsePointer(await object.text());
  } catch {
    return undefined;
  }
}

export type Damage = 'flip' | 'truncate' | 'delete';

/** Breaks a stored object of a version in place: one bit flipped (bit rot), cut to half its size, or deleted. */
export async function damage(
  version: string,
  path: string,
  how: Damage,
  direction: Direction = 'en-ja',
): Promise<void> {
  const key = objectKey(direction, version, path);
  if (how === 'delete') return void (await env.MODELS.delete(key));
  const object = await env.MODELS.get(key);
  if (!object) throw new Error(`${key} is not in the bucket`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  await env.MODELS.put(
    key,
    how === 'flip' ? bytes.map((b, i) => (i === bytes.length >> 1 ? b ^ 1 : b)) : bytes.slice(0, bytes.length >> 1),
  );
}

export async function removeLive(direction: Direction = 'en-ja'): Promise<void> {
  await env.MODELS.delete(pointerKey(direction));
}

/** A sentence the random model can read without unknown words. */
export function knownSentence(words: string[], count = 4): string {
  return words.slice(0, count).join(' ');
}

/** JSON POST to the Worker under test. */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://translator.test${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const url = (path: string): string => `http://translator.test${path}`;
