// The bilingual dictionary the service looks unknown words up in (docs/dictionary.md): compiled from EDICT by
// train/dictionary/build.ts into two text files, read here by the Worker, the page and the Node tools alike.
//
// Files (UTF-8, gzipped in the artifact: ./artifact.ts; one line an entry, fields separated by tabs; lines sorted by key in UTF-16 code-unit order, so a key's
// lines are together, best first):
//   ja-en.tsv  key  reading  flags  target  senses
//     key: the Japanese as written (the headword, or for a word usually written in kana its reading too);
//     reading: kana, empty when the key is kana; flags: "P" for EDICT's common words;
//     target: the English a sentence gets for it (a noun or noun phrase, its case as English writes it), empty for a
//     word that is no noun (particles, verbs, pronouns: never pasted into a sentence);
//     senses: "pos:gloss/gloss|pos:gloss", or "@N" for a key that is another line's reading (N: that line).
//   en-ja.tsv  key  target  line  flags
//     key: an English word, lower case; target: the Japanese a sentence gets (katakana loanword, noun, in the form
//     Japanese writes it); line: the ja-en.tsv line of its entry (for the look-up's senses); flags: "P" common,
//     "C" its English is a proper noun (written with a capital: London, Internet), "V" the English word is a verb too
//     (EDICT has "to charge"), "S" the Japanese is a noun that takes する (リセット: a verb's place suits it).
// A look-up is a binary search over line offsets: the text is kept as it is (about 2 bytes a character in memory)
// with one Uint32 a line, no object per entry.

export type Language = 'en' | 'ja';

export interface DictionarySense {
  pos: string[]; // EDICT's part-of-speech tags: n, vs, adj-na, prt, v5r, ...
  glosses: string[];
}

/** One entry as GET /dictionary shows it. */
export interface DictionaryEntry {
  headword: string; // Japanese
  reading?: string; // kana, when the headword is not
  common: boolean; // EDICT's (P)
  senses: DictionarySense[];
  translation?: string; // what a translation into the other language writes for the word, when it is a noun
}

/** What a sentence gets for a word: its translation into the other language. */
export interface WordTranslation {
  target: string;
  common: boolean;
  proper: boolean; // the English side is a proper noun (written with a capital)
  verb?: boolean; // English -> Japanese: the English word is a verb too
  suru?: boolean; // English -> Japanese: the Japanese takes する, so it may stand where a verb was
}

/** Most entries one look-up returns. */
const MAX_ENTRIES = 10;

/** A compiled file: its text and where each line starts. */
class SortedLines {
  private readonly starts: Uint32Array;

  constructor(readonly text: string) {
    const starts: number[] = [];
    for (let at = 0; at < text.length;) {
      const end = text.indexOf('\n', at);
      if (end !== at) starts.push(at); // an empty line (the last one) is no entry
      at = end < 0 ? text.length : end + 1;
    }
    this.starts = Uint32Array.from(starts);
  }

  get count(): number {
    return this.starts.length;
  }

  line(i: number): string[] {
    const start = this.starts[i]!;
    const end = this.text.indexOf('\n', start);
    return this.text.slice(start, end < 0 ? undefined : end).split('\t');
  }

  private key(i: number): string {
    const start = this.starts[i]!;
    return this.text.slice(start, this.text.indexOf('\t', start));
  }

  /** The line numbers whose key is `key`, in file order (best first). */
  find(key: string): number[] {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.key(mid) < key) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let i = lo; i < this.starts.length && this.key(i) === key; i++) found.push(i);
    return found;
  }

  /** Throws unless field `field` of every line matches `pattern`, whose group 1 (when it has one) is a line below `lines`. */
  checkReferences(name: string, field: number, pattern: RegExp, lines: number): void {
    for (let i = 0; i < this.starts.length; i++) {
      const match = pattern.exec(this.line(i)[field]!);
      if (!match) throw new DictionaryError(`${name} line ${i + 1}: field ${field + 1} is not a line number`);
      if (match[1] !== undefined && Number(match[1]) >= lines)
        throw new DictionaryError(`${name} line ${i + 1} names line ${match[1]}, past the end`);
    }
  }

  /** Throws unless every line has `fields` fields and the keys are in order. */
  check(name: string, fields: number): void {
    for (let i = 0; i < this.starts.length; i++) {
      if (this.line(i).length !== fields)
        throw new DictionaryError(`${name} line ${i + 1} has not ${fields} tab-separated fields`);
      if (i > 0 && this.key(i - 1) > this.key(i)) throw new DictionaryError(`${name} line ${i + 1} is out of order`);
    }
  }
}

/** A dictionary file that cannot be read as this module's format. */
export class DictionaryError extends Error {}

export class Dictionary {
  private constructor(
    private readonly jaEn: SortedLines,
    private readonly enJa: SortedLines,
  ) {}

  /** The two files' texts, checked (field counts, order). */
  static parse(files: { 'ja-en': string; 'en-ja': string }): Dictionary {
    const jaEn = new SortedLines(files['ja-en']);
    const enJa = new SortedLines(files['en-ja']);
    jaEn.check('ja-en', 5);
    enJa.check('en-ja', 4);
    jaEn.checkReferences('ja-en', 4, /^@(\d+)$|^(?!@)/u, jaEn.count);
    enJa.checkReferences('en-ja', 2, /^(\d+)$/u, jaEn.count);
    return new Dictionary(jaEn, enJa);
  }

  /** Bytes the texts take in memory (UTF-16) and their line offsets. */
  get bytes(): number {
    return 2 * (this.jaEn.text.length + this.enJa.text.length) + 4 * (this.jaEn.count + this.enJa.count);
  }

  get entryCount(): { 'ja-en': number; 'en-ja': number } {
    return { 'ja-en': this.jaEn.count, 'en-ja': this.enJa.count };
  }

  /** The entries of a word written in `from` (English: as a lower-case key), best first. */
  entries(word: string, from: Language): DictionaryEntry[] {
    if (from === 'ja')
      return this.jaEn
        .find(word)
        .slice(0, MAX_ENTRIES)
        .map((i) => this.jaEntry(i));
    return this.enJa
      .find(word.toLowerCase())
      .slice(0, MAX_ENTRIES)
      .map((i) => {
        const [, target = '', line = ''] = this.enJa.line(i);
        return { ...this.jaEntry(Number(line)), translation: target };
      });
  }

  /**
   * What a sentence gets for `word` written in `from`: the best entry's translation, or undefined when it has none
   * (no entry, or the best one is no noun: a particle, a pronoun). English keys are lower case; `proper` asks for a proper noun only (a capitalised
   * word in mid-sentence: "London", not "Bill" read as "bill"), `common` for a common noun first.
   */
  translate(word: string, from: Language, want: 'proper' | 'any' = 'any'): WordTranslation | undefined {
    if (from === 'ja') {
      const [best] = this.jaEn.find(word);
      if (best === undefined) return undefined;
      const [, , flags = '', target = ''] = this.jaEn.line(this.ownLine(best));
      return target ? { target, common: flags.includes('P'), proper: /\p{Lu}/u.test(target) } : undefined;
    }
    const lines = this.enJa.find(word.toLowerCase()).map((i) => this.enJa.line(i));
    const proper = (flags: string) => flags.includes('C');
    const pick = want === 'proper' ? lines.find((l) => proper(l[3]!)) : (lines.find((l) => !proper(l[3]!)) ?? lines[0]);
    if (!pick) return undefined;
    const flags = pick[3]!;
    return {
      target: pick[1]!,
      common: flags.includes('P'),
      proper: proper(flags),
      verb: flags.includes('V'),
      suru: flags.includes('S'),
    };
  }

  /** The line of a key's own entry: itself, or the entry whose reading it is ("@N"). */
  private ownLine(i: number): number {
    const senses = this.jaEn.line(i)[4] ?? '';
    return senses.startsWith('@') ? Number(senses.slice(1)) : i;
  }

  private jaEntry(i: number): DictionaryEntry {
    const [headword = '', reading = '', flags = '', target = '', senses = ''] = this.jaEn.line(this.ownLine(i));
    const parsed = senses.split('|').map((sense) => {
      const colon = sense.indexOf(':');
      return { pos: sense.slice(0, colon).split(',').filter(Boolean), glosses: sense.slice(colon + 1).split('/') };
    });
    return {
      headword,
      ...(reading && { reading }),
      common: flags.includes('P'),
      senses: parsed,
      ...(target && { translation: target }),
    };
  }
}
