// Translating a file (./format.ts) with the document pipeline every API face uses: its segments go through
// ../document/translate-documents.ts (plain text) and ../document/translate-markup.ts (markup), in chunks of at
// most CHUNK_CHARS characters, each chunk decoded in batches, and the file is written back only once every segment is
// translated (a failure leaves no half-written file). `onProgress` hears after each chunk, so a job can say how far
// it is, and yields the thread between chunks.
import { translateMarkupDocuments } from '../document/translate-markup.js';
import { translateDocuments, type DocumentTranslateOptions, type TranslatorFor } from '../document/translate-documents.js';
import { readMarkup } from '../segment/markup.js';
import type { MarkupNode } from '../segment/markup/parse.js';
import type { ReadFile, Segment } from './format.js';

/** Most characters translated in one call: about 60-100 sentences, a batch the decoder runs in well under a second. */
export const CHUNK_CHARS = 6000;

export interface FileTranslateOptions extends DocumentTranslateOptions {
  direction: string; // every segment goes this way ("en-ja")
  onProgress?: (translatedChars: number, totalChars: number) => void | Promise<void>;
}

/** The file written back with every segment translated. */
export async function translateFile(file: ReadFile, served: readonly string[], translatorFor: TranslatorFor, options: FileTranslateOptions): Promise<Uint8Array> {
  const { direction, onProgress, ...rest } = options;
  const translations: string[] = new Array(file.segments.length);
  const total = textLength(file.segments);
  let done = 0;
  for (const chunk of chunks(file.segments)) {
    const groups = new Map<string, number[]>(); // plain text, and each kind of markup, in one call each
    for (const i of chunk) {
      const key = JSON.stringify(file.segments[i]!.markup ?? null);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    for (const indices of groups.values()) {
      const requests = indices.map((i) => ({ text: file.segments[i]!.text, direction }));
      const markup = file.segments[indices[0]!]!.markup;
      const { documents } = markup
        ? await translateMarkupDocuments(requests, markup, served, translatorFor, rest)
        : await translateDocuments(requests, served, translatorFor, rest);
      documents.forEach((doc, k) => (translations[indices[k]!] = doc.translation));
    }
    done += textLength(chunk.map((i) => file.segments[i]!));
    await onProgress?.(done, total);
  }
  return file.write(translations);
}

/** Segment indices in runs of at most CHUNK_CHARS characters (a longer segment is a chunk of its own). */
function* chunks(segments: Segment[]): Generator<number[]> {
  let chunk: number[] = [], chars = 0;
  for (const [i, segment] of segments.entries()) {
    if (chunk.length > 0 && chars + segment.text.length > CHUNK_CHARS) {
      yield chunk;
      [chunk, chars] = [[], 0];
    }
    chunk.push(i);
    chars += segment.text.length;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The characters a file bills, as DeepL counts them: Unicode code points of the text to translate, without the tags
 * of markup (nor the placeholders and formatting that ./inline.ts carries as markup).
 */
export function textLength(segments: Segment[]): number {
  const codePoints = (s: string) => [...s].length;
  const textOf = (nodes: MarkupNode[]): number =>
    nodes.reduce((sum, node) => sum + (node.kind === 'text' ? codePoints(node.value) : node.kind === 'element' ? textOf(node.children) : 0), 0);
  return segments.reduce((sum, s) => sum + (s.markup ? textOf(readMarkup(s.text, s.markup.mode)) : codePoints(s.text)), 0);
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
