// Puts the random test model (built by global-setup.ts) into the Miniflare R2 bucket in the layout
// train/upload.ts writes, under any version id, optionally damaged, and points the live pointer at it.
import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import type { Manifest } from '../../src/core/artifact.js';
import { objectKey, pointerKey } from '../../src/core/layout.js';

export type Direction = 'en-ja' | 'ja-en';

export interface TestArtifact {
  manifest: Manifest;
  files: Record<string, Uint8Array>;
  sourceWords: string[];
  sourceText: string; // a text the model reads without unknown words
}

export function testArtifact(direction: Direction = 'en-ja'): TestArtifact {
  const provided = inject('artifacts')[direction];
  const files = Object.fromEntries(Object.entries(provided.files).map(([path, b64]) => [path, Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))]));
  return { manifest: JSON.parse(provided.manifest), files, sourceWords: provided.sourceWords, sourceText: provided.sourceText };
}

export interface SeedOptions {
  /** Replace what is stored for a path (manifest.json included); `null` leaves the object out. */
  override?: Record<string, Uint8Array | string | null>;
  /** Also make this version the live one (default true). */
  live?: boolean;
  direction?: Direction; // default en-ja
}

/** Stores the test model as `version` (its manifest rewritten to say so) and, by default, makes it live. */
export async function seedVersion(version: string, options: SeedOptions = {}): Promise<TestArtifact> {
  const { direction = 'en-ja' } = options;
  const artifact = testArtifact(direction);
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
  if (options.live !== false) await setLive(version, direction);
  return { ...artifact, manifest };
}

export async function setLive(version: string, direction: Direction = 'en-ja'): Promise<void> {
  await env.MODELS.put(pointerKey(direction), JSON.stringify({ version }));
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
