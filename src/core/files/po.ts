// .po and .pot gettext catalogues, read and written by pofile: each entry's msgid (and msgid_plural) is kept and
// its translation written to msgstr, with the target language's plural forms (Japanese has one, English two); the
// header says the Language. What is translated: every entry whose msgstr is empty or flagged fuzzy (a translation a
// person has already written and not flagged is kept); what it writes is flagged fuzzy, so a translator reviews it
// as gettext's own tools mark a guess. Obsolete entries (#~) and the header entry are not translated. Placeholders
// (%s %d %1$s %(name)s {name} <b>) are kept verbatim (./inline.ts), and each line of a message is translated apart.
import PO from 'pofile';
import { decodeText, FileError, MB, type FileFormat, type Segment } from './format.js';
import { readMessage } from './inline.js';

/** Plural forms of the targets this service has: how many msgstr an entry with msgid_plural gets. */
const PLURAL_FORMS: Record<string, { header: string; forms: (singular: number, plural: number) => number[] }> = {
  ja: { header: 'nplurals=1; plural=0;', forms: (_singular, plural) => [plural] },
  en: { header: 'nplurals=2; plural=(n != 1);', forms: (singular, plural) => [singular, plural] },
};

export const po: FileFormat = {
  name: 'po',
  extensions: ['.po', '.pot'],
  mediaType: 'text/x-gettext-translation; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes, { target }) {
    const { text, encode } = decodeText(bytes, 'catalogue');
    const catalogue = parse(text);
    const plural = PLURAL_FORMS[target] ?? PLURAL_FORMS.en!;
    const segments: Segment[] = [];
    const messages: { write(translations: string[]): string; from: number; to: number }[] = [];
    const add = (message: string) => {
      const read = readMessage(message);
      messages.push({ write: read.write, from: segments.length, to: segments.length + read.segments.length });
      segments.push(...read.segments);
      return messages.length - 1;
    };
    const entries = catalogue.items
      .filter((item) => !item.obsolete && item.msgid !== '' && (item.flags.fuzzy || item.msgstr.every((s) => s === '')))
      .map((item) => ({
        item,
        singular: add(item.msgid),
        plural: item.msgid_plural == null ? -1 : add(item.msgid_plural),
      }));
    if (segments.length === 0)
      throw new FileError(
        catalogue.items.length === 0
          ? 'the catalogue has no entries'
          : 'the catalogue has no untranslated entry with text to translate',
      );
    return {
      segments,
      write(translations) {
        const written = messages.map((m) => m.write(translations.slice(m.from, m.to)));
        for (const { item, singular, plural: pluralIndex } of entries) {
          item.msgstr =
            pluralIndex < 0 ? [written[singular]!] : plural.forms(singular, pluralIndex).map((k) => written[k]!);
          item.flags.fuzzy = true;
        }
        catalogue.headers.Language = target;
        if (entries.some((e) => e.plural >= 0) || catalogue.headers['Plural-Forms'])
          catalogue.headers['Plural-Forms'] = plural.header;
        return encode(catalogue.toString() + '\n');
      },
    };
  },
};

function parse(text: string): PO {
  if (!/^\s*(?:#|msgctxt|msgid)/m.test(text)) throw new FileError('not a gettext catalogue: no msgid');
  try {
    return PO.parse(text);
  } catch (err) {
    throw new FileError(`not a valid gettext catalogue: ${err instanceof Error ? err.message : String(err)}`);
  }
}
