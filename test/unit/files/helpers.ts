// Translating a file's segments with a stand-in for the model whose output is known exactly: `fn` of each plain
// text, and of each block of markup (through the real markup pipeline, with the identity projection, so `fn` must
// keep lengths: upper-casing does).
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { translateMarkup } from '../../../src/core/document/translate-markup.js';
import type { FileFormat } from '../../../src/core/files/format.js';

export const upper = (text: string): string => text.toUpperCase();

export async function translateWith(
  format: FileFormat,
  input: string | Uint8Array,
  fn = upper,
  target = 'ja',
): Promise<{ out: Uint8Array; sent: string[] }> {
  const file = format.read(typeof input === 'string' ? strToU8(input) : input, { target });
  const sent: string[] = [];
  const translations = await Promise.all(
    file.segments.map((s) =>
      s.markup
        ? translateMarkup(
            s.text,
            s.markup,
            async (blocks) => (
              sent.push(...blocks),
              blocks.map((b) => ({ text: fn(b), project: (start, end) => ({ start, end }) }))
            ),
          )
        : (sent.push(s.text), fn(s.text)),
    ),
  );
  return { out: file.write(translations), sent };
}

export const text = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/** A .docx package with `body` as the body of word/document.xml (and what Word needs around it). */
export function docxOf(body: string, extra: Record<string, string> = {}): Uint8Array {
  const ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${ns}><w:body>${body}</w:body></w:document>`,
    ),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strToU8(v)])),
  });
}

export const documentXml = (docx: Uint8Array): string => strFromU8(unzipSync(docx)['word/document.xml']!);
