// .txt: each line with letters is a segment (DeepL's split_sentences=1: a line break ends a sentence); the line
// breaks as written (\n, \r\n), blank lines, indentation and the encoding (UTF-8 with or without a BOM, UTF-16) come
// back as they were.
import { decodeText, FileError, hasLetters, MB, type FileFormat, type Segment } from './format.js';

export const txt: FileFormat = {
  name: 'txt',
  extensions: ['.txt'],
  mediaType: 'text/plain; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes) {
    const { text, encode } = decodeText(bytes, 'file');
    const parts = text.split(/(\r\n|\r|\n)/); // lines at even indices
    const segments: Segment[] = [];
    const slots = parts.map((part, i) => (i % 2 === 0 && hasLetters(part) ? segments.push({ text: part }) - 1 : -1));
    if (segments.length === 0) throw new FileError('the file has no text to translate');
    return {
      segments,
      write: (translations) =>
        encode(parts.map((part, i) => (slots[i]! >= 0 ? translations[slots[i]!]! : part)).join('')),
    };
  },
};
