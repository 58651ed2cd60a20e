// .json i18n files (i18next, react-intl/FormatJS, vue-i18n, Chrome's messages.json alike): every string value is a
// message to translate, wherever it sits in objects and arrays; keys, numbers, booleans and the nesting are kept, and
// the file is written back with the indentation it had. Messages keep their placeholders ({name}, {{name}},
// %s, <b>: ./inline.ts); ICU plural and select arguments (`{count, plural, one {# file} other {# files}}`, parsed by
// @formatjs/icu-messageformat-parser) keep their structure, and the text of each of their branches is translated
// (# kept). A string without letters ("", "%s", "https://...") is kept. Object keys that look like array indices
// ("1") come first, as JavaScript orders them.
import {
  parse,
  TYPE,
  type MessageFormatElement,
  type PluralElement,
  type SelectElement,
} from '@formatjs/icu-messageformat-parser';
import { decodeText, FileError, MB, type FileFormat, type Segment } from './format.js';
import { PLACEHOLDER, readMessage } from './inline.js';

type Message = { segments: Segment[]; write(translations: string[]): string };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const json: FileFormat = {
  name: 'json',
  extensions: ['.json'],
  mediaType: 'application/json; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes) {
    const { text, encode } = decodeText(bytes, 'file');
    let value: Json;
    try {
      value = JSON.parse(text) as Json;
    } catch (err) {
      throw new FileError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const segments: Segment[] = [];
    const messages: { message: Message; from: number; set(text: string): void }[] = [];
    const walk = (node: Json, set: (v: Json) => void): void => {
      if (typeof node === 'string') {
        const message = icuMessage(node, false);
        if (message.segments.length > 0)
          messages.push({ message, from: segments.push(...message.segments) - message.segments.length, set });
      } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, (v) => (node[i] = v)));
      else if (node && typeof node === 'object')
        for (const key of Object.keys(node)) walk(node[key]!, (v) => (node[key] = v));
    };
    let root = value;
    walk(value, (v) => (root = v));
    if (segments.length === 0) throw new FileError('the file has no string with text to translate');
    const indent = text.match(/^[{[][^\S\n]*\r?\n([ \t]+)/)?.[1] ?? '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return {
      segments,
      write(translations) {
        for (const { message, from, set } of messages)
          set(message.write(translations.slice(from, from + message.segments.length)));
        const out = JSON.stringify(root, null, indent).replace(/\n/g, eol) + (/\s$/.test(text) ? eol : '');
        return encode(out);
      },
    };
  },
};

const WITH_POUND = new RegExp(`${PLACEHOLDER.source}|#`, 'g');
const isChoice = (e: MessageFormatElement): e is PluralElement | SelectElement =>
  e.type === TYPE.plural || e.type === TYPE.select;

/** A message whose ICU plural/select arguments keep their structure, each branch translated; else readMessage's. */
function icuMessage(text: string, inPlural: boolean): Message {
  const pattern = inPlural ? WITH_POUND : undefined;
  let elements: MessageFormatElement[];
  try {
    elements = parse(text, { captureLocation: true, ignoreTag: true });
  } catch {
    return readMessage(text, pattern); // not ICU ({{name}}, a stray brace): placeholders as they look
  }
  const choices = elements.filter(isChoice);
  if (choices.length === 0) return readMessage(text, pattern);
  // The message around the choices, each choice a placeholder token, and each branch a message of its own.
  const token = (k: number) => `{\u0000${k}}`;
  let outer = '',
    at = 0;
  const built = choices.map((choice, k) => {
    const { start, end } = choice.location!;
    outer += text.slice(at, start.offset) + token(k);
    at = end.offset;
    const branches = Object.values(choice.options).map((option) => {
      const from = option.location!.start.offset + 1,
        to = option.location!.end.offset - 1; // inside its braces
      return { from, to, message: icuMessage(text.slice(from, to), choice.type === TYPE.plural) };
    });
    return { start: start.offset, end: end.offset, branches };
  });
  outer += text.slice(at);
  const around = readMessage(outer, pattern);
  const parts = [around, ...built.flatMap((b) => b.branches.map((branch) => branch.message))];
  return {
    segments: parts.flatMap((p) => p.segments),
    write(translations) {
      let next = 0;
      const written = parts.map((p) => p.write(translations.slice(next, (next += p.segments.length))));
      let k = 1,
        result = written[0]!;
      built.forEach((choice, c) => {
        let raw = text.slice(choice.start, choice.end);
        const offsets = choice.branches.map((branch) => ({ ...branch, text: written[k++]! }));
        for (const branch of offsets.reverse())
          raw = raw.slice(0, branch.from - choice.start) + branch.text + raw.slice(branch.to - choice.start);
        result = result.replace(token(c), () => raw);
      });
      return result;
    },
  };
}
