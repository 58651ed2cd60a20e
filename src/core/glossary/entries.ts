// Glossary entries as DeepL takes and gives them: TSV or CSV text, one entry (source term, target term) a line.
// Pure: the Worker's glossary API, the page and the Node tools read and write entries here.
//
// Rules (DeepL's, developers.deepl.com "Supported glossary formats"):
// - Lines end with \n, \r\n or \r; blank lines are skipped. Terms are trimmed of surrounding whitespace.
// - TSV: source, one tab, target. CSV (RFC 4180): source,target[,source_lang,target_lang]; a field with a comma or a
//   quote is quoted, a quote inside doubled ("source""Entry"). Language columns, when given, must be the dictionary's.
// - A term is non-empty, at most MAX_TERM_BYTES UTF-8 bytes, and has no control character (C0, C1, U+2028, U+2029):
//   so no tab or line break inside a term, in either format.
// - Source terms are unique within a dictionary.
// A violation is a GlossaryEntriesError in DeepL's words: message "Invalid glossary entries provided", detail naming the
// entry by its index and the position (UTF-16 offset) of its line, as the live API's detail does.

export interface Entry {
  source: string;
  target: string;
}

export type EntriesFormat = 'tsv' | 'csv';

/** DeepL's limits: a term (and a glossary's name) at most 1,024 UTF-8 bytes, a glossary at most 10 MiB. */
export const MAX_TERM_BYTES = 1024;
export const MAX_GLOSSARY_BYTES = 10 * 1024 * 1024;

export class GlossaryEntriesError extends Error {
  constructor(readonly detail: string) {
    super('Invalid glossary entries provided');
  }
}

/** The entries of `text` in `format`; `pair` (lower-case codes) checks CSV language columns. */
export function parseEntries(text: string, format: EntriesFormat, pair?: { source: string; target: string }): Entry[] {
  const rows = format === 'tsv' ? tsvRows(text) : csvRows(text);
  const at = (index: number) => `Key with the index ${index} (starting at position ${rows[index]?.position ?? 0})`;
  const entries = rows.map(({ fields }, index) => {
    if (fields.length < 2)
      throw new GlossaryEntriesError(
        `${at(index)} misses ${format === 'tsv' ? 'tab separator' : 'a comma separating source and target'}`,
      );
    if (format === 'tsv' && fields.length > 2)
      throw new GlossaryEntriesError(`${at(index)} has more than one tab separator`);
    if (format === 'csv') checkLanguages(fields, pair, at(index));
    return { source: fields[0]!.trim(), target: fields[1]!.trim() };
  });
  checkEntries(entries, at);
  return entries;
}

/** Throws GlossaryEntriesError at the first entry against the rules; `at(i)` names entry i in the message. */
export function checkEntries(entries: readonly Entry[], at: (index: number) => string = (i) => `Entry ${i}`): void {
  if (entries.length === 0) throw new GlossaryEntriesError('The glossary has no entries');
  const seen = new Map<string, number>();
  entries.forEach(({ source, target }, index) => {
    checkTerm(source, `${at(index)}: the source term`);
    checkTerm(target, `${at(index)}: the target term`);
    const first = seen.get(source);
    if (first !== undefined)
      throw new GlossaryEntriesError(
        `${at(index)} duplicates key with the index ${first}${at(first).replace(/^.*?(?= \(|$)/, '')}`,
      );
    seen.set(source, index);
  });
}

/** Entries as DeepL's GET .../entries gives them: TSV, one entry a line, no final line break. */
export const toTsv = (entries: readonly Entry[]): string => entries.map((e) => `${e.source}\t${e.target}`).join('\n');

/** UTF-8 size of entries as TSV (what the glossary size limit counts). */
export const tsvBytes = (entries: readonly Entry[]): number =>
  entries.reduce((sum, e) => sum + utf8Bytes(e.source) + utf8Bytes(e.target) + 2, 0);

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u0080-\u009f\u2028\u2029]/u;

function checkTerm(term: string, what: string): void {
  if (term === '') throw new GlossaryEntriesError(`${what} is empty`);
  const control = term.match(CONTROL)?.[0];
  if (control)
    throw new GlossaryEntriesError(
      `${what} contains the control character U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
  if (utf8Bytes(term) > MAX_TERM_BYTES)
    throw new GlossaryEntriesError(`${what} is longer than ${MAX_TERM_BYTES} UTF-8 bytes`);
}

function checkLanguages(fields: string[], pair: { source: string; target: string } | undefined, at: string): void {
  if (fields.length === 2) return;
  if (fields.length !== 4)
    throw new GlossaryEntriesError(
      `${at} has ${fields.length} columns; CSV entries have 2 (source,target) or 4 (source,target,source_lang,target_lang)`,
    );
  const [source, target] = [fields[2]!.trim().toLowerCase(), fields[3]!.trim().toLowerCase()];
  if (pair && (source !== pair.source || target !== pair.target)) {
    throw new GlossaryEntriesError(
      `${at} is for ${source} -> ${target}, not the dictionary's ${pair.source} -> ${pair.target}`,
    );
  }
}

interface Row {
  fields: string[];
  position: number; // offset of the line in the text
}

const LINE = /\r\n|\n|\r/g;

function tsvRows(text: string): Row[] {
  const rows: Row[] = [];
  let position = 0;
  for (const line of text.split(LINE)) {
    if (line.trim() !== '') rows.push({ fields: line.split('\t'), position });
    position += line.length + (text.startsWith('\r\n', position + line.length) ? 2 : 1);
  }
  return rows;
}

/** RFC 4180 records; a quoted field may hold commas and quotes (and line breaks, which checkTerm then refuses). */
function csvRows(text: string): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < text.length) {
    const position = i;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length)
            throw new GlossaryEntriesError(
              `Key with the index ${rows.length} (starting at position ${position}) has a quote that is not closed`,
            );
          if (text[i] === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (text[i] === '"') break;
          else field += text[i++];
        }
        i++;
        const rest = text.slice(i).match(/^[^,\r\n]*/)?.[0] ?? ''; // text after the closing quote belongs to the field
        field += rest;
        i += rest.length;
      } else {
        const plain = text.slice(i).match(/^[^,\r\n]*/)?.[0] ?? '';
        field = plain;
        i += plain.length;
      }
      fields.push(field);
      if (text[i] !== ',') break;
      i++;
    }
    i += text.startsWith('\r\n', i) ? 2 : i < text.length ? 1 : 0;
    if (fields.some((f) => f.trim() !== '')) rows.push({ fields, position });
  }
  return rows;
}
