// Translating a file (./format.ts) with the document pipeline every API face uses: its segments go through
// ../document/translate-documents.ts (plain text) and ../document/translate-markup.ts (markup), in chunks of at
// most CHUNK_CHARS characters (chunksOf), each chunk in one call per kind of segment (translateChunk), so a job can
// translate a file a chunk at a time, say how far it is, and pick up where it was; translateFile does it all at once.
// The file is written back only once every segment is translated: a failure leaves no half-written file.
import { translateMarkupDocuments } from '../document/translate-markup.js';
import {
  translateDocuments,
  type DocumentTranslateOptions,
  type TranslatorFor,
} from '../document/translate-documents.js';
import { characterCount } from '../segment/markup.js';
import type { ReadFile, Segment } from './format.js';

/**
 * Most characters of one chunk: about 60 sentences, 1-2 s of decoding at beam 2 on the shipped ensembles. A job's
 * object answers nothing else while a chunk decodes (it is single-threaded), and each chunk is a step of its own
 * within the platform's CPU limit per alarm.
 */
export const CHUNK_CHARS = 2000;

export interface FileTranslateOptions extends DocumentTranslateOptions {
  direction: string; // every segment goes this way ("en-ja")
}

/** The file written back with every segment translated. */
export async function translateFile(
  file: ReadFile,
  served: readonly string[],
  translatorFor: TranslatorFor,
  options: FileTranslateOptions,
): Promise<Uint8Array> {
  const translations: string[] = new Array(file.segments.length);
  for (const chunk of chunksOf(file.segments)) {
    const done = await translateChunk(file.segments, chunk, served, translatorFor, options);
    chunk.forEach((i, k) => (translations[i] = done[k]!));
  }
  return file.write(translations);
}

/** The translations of segments[i] for each i of `chunk`, in order: plain text, and each kind of markup, in one call each. */
export async function translateChunk(
  segments: Segment[],
  chunk: number[],
  served: readonly string[],
  translatorFor: TranslatorFor,
  options: FileTranslateOptions,
): Promise<string[]> {
  const { direction, ...rest } = options;
  const groups = new Map<string, number[]>(); // positions in `chunk`, by kind
  chunk.forEach((i, k) => {
    const key = JSON.stringify(segments[i]!.markup ?? null);
    groups.set(key, [...(groups.get(key) ?? []), k]);
  });
  const out: string[] = new Array(chunk.length);
  for (const positions of groups.values()) {
    const requests = positions.map((k) => ({ text: segments[chunk[k]!]!.text, direction }));
    const markup = segments[chunk[positions[0]!]!]!.markup;
    const { documents } = markup
      ? await translateMarkupDocuments(requests, markup, served, translatorFor, rest)
      : await translateDocuments(requests, served, translatorFor, rest);
    documents.forEach((doc, n) => (out[positions[n]!] = doc.translation));
  }
  return out;
}

/** Segment indices in runs of at most CHUNK_CHARS characters (a longer segment is a chunk of its own). */
export function chunksOf(segments: Segment[]): number[][] {
  const chunks: number[][] = [];
  let chunk: number[] = [],
    chars = 0;
  for (const [i, segment] of segments.entries()) {
    if (chunk.length > 0 && chars + segment.text.length > CHUNK_CHARS) {
      chunks.push(chunk);
      [chunk, chars] = [[], 0];
    }
    chunk.push(i);
    chars += segment.text.length;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * The characters a file bills, as DeepL counts them: Unicode code points of the text to translate, without the tags
 * of markup (nor the placeholders and formatting that ./inline.ts carries as markup).
 */
export function textLength(segments: Segment[]): number {
  return segments.reduce((sum, s) => sum + characterCount(s.text, s.markup?.mode), 0);
}

/** The language most of the file's text is written in: a sample of its segments, as ../language.ts reads scripts. */
export function sampleText(segments: Segment[], chars = 4000): string {
  let sample = '';
  for (const s of segments) {
    if (sample.length >= chars) break;
    sample += (s.markup ? s.text.replace(/<[^>]*>/g, ' ') : s.text) + '\n';
  }
  return sample;
}
