// Documents as files: one interface for every format this service translates. A format reads a file into segments
// (the parts the model translates, in order) and writes it back with their translations; everything else in the
// file (structure, markup, formatting, timing, keys, placeholders) comes back as it was. ./translate-file.ts
// translates the segments through ../document (sentences, verbatim spans, markup). Pure: no node:*, no DOM, no Hono.
import type { MarkupOptions } from '../segment/markup.js';

/**
 * A part of a file to translate: plain text (its line breaks and the whitespace between its sentences come back
 * where they were: ../segment/structure.ts) or markup (tags kept around the words they wrap: ../segment/markup.ts).
 */
export interface Segment {
  text: string;
  markup?: MarkupOptions;
}

/** A file read: its segments, and the file written back with one translation a segment, in order. */
export interface ReadFile {
  segments: Segment[];
  write(translations: string[]): Uint8Array;
}

/** What a format may need to know while reading: the language the file is translated into ("ja"). */
export interface FileContext {
  target: string;
}

export interface FileFormat {
  name: string; // "docx"
  extensions: string[]; // lower case, with the dot: [".docx"]
  mediaType: string; // of the translated file
  maxBytes: number; // DeepL's limits: 30 MB for .docx, 10 MB for the others
  /** Throws FileError for a file that is corrupt, encrypted, not of this format, or has no text to translate. */
  read(bytes: Uint8Array, context: FileContext): ReadFile;
}

/** A file that cannot be translated; the message names the cause for the person who sent it. */
export class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}

export const MB = 1024 * 1024;

/** The text of `bytes` without its BOM, and `encode` writing text back as it was: UTF-8 (with its BOM if it had one) or
 *  UTF-16 with its BOM; anything else is a FileError. */
export function decodeText(bytes: Uint8Array, what: string): { text: string; encode(text: string): Uint8Array } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, false);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    return { text: text.slice(bom.length), encode: (t) => new TextEncoder().encode(bom + t) };
  } catch {
    throw new FileError(`the ${what} is not UTF-8 text`);
  }
}

function utf16(bytes: Uint8Array, littleEndian: boolean): { text: string; encode(text: string): Uint8Array } {
  const text = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(bytes);
  const encode = (t: string) => {
    const out = new DataView(new ArrayBuffer(t.length * 2));
    for (let i = 0; i < t.length; i++) out.setUint16(i * 2, t.charCodeAt(i), littleEndian);
    return new Uint8Array(out.buffer);
  };
  return { text, encode };
}

/** At least one letter: a part without any (numbers, punctuation, whitespace) is kept, not sent to the model. */
export const hasLetters = (text: string): boolean => /\p{L}/u.test(text);
