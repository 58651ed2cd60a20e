// Japanese names written in kanji, through a table of the commonest surnames, given names and places with their
// romaji (train/names/japanese-names.ts chooses them by IPAdic's costs and ENAMDICT's readings):
// - a word that is in the table is that name; a surface listed under several kinds takes the kind where it ranks
//   best (rank = position within its kind, commonest first);
// - a word that is not, but splits into a surname followed by a given name of the table, is a full name (山田太郎);
//   of several splits the one whose ranks add up lowest wins;
// - in Latin letters (./romaji.ts) a full name keeps the Japanese order, family name first ("Yamada Taro"), as
//   written in the source and as the Japanese government asks for in English since 2020;
// - English to kanji goes only through places and surnames (Kyoto -> 京都, Tanaka -> 田中): of the commonest place and
//   the commonest surname whose romaji is the word, among the first `REVERSE_RANKS` of each, the better ranked (Osaka:
//   the place 大阪 53rd, not the surname 逢坂 391st; Sato: the surname 佐藤 42nd, not the place 里 535th); a surname
//   only when more of the first `REVERSE_RANKS` surnames than given names spell it (Kenji: IPAdic lists 堅二 as a
//   surname, and 7 given names: it stays a given name). A given name has too many kanji for one romaji (健司, 健次,
//   健二 ...) to guess one: one in Latin letters that the table has (`givenName`) is written in katakana from its
//   romaji (./index.ts: Shinichi シンイチ), as Japanese writes a name whose kanji it does not know.
// Table text: one line a kind, "<kind>:" then "<surface> <romaji>" entries joined by "|", commonest first; the romaji
// is lower-case Hepburn under ./romaji.ts's rules, with n' before a vowel kept (shin'ichi, dropped in `latin`).

export type NameKind = 's' | 'g' | 'p'; // surname, given name, place

export interface TableName {
  surface: string;
  kind: NameKind | 'full';
  latin: string; // capitalised Hepburn, family name first
}

type Entry = { romaji: string; kind: NameKind; rank: number };
type Spelling = { surface: string; romaji: string; rank: number; count: number };

/** At most this many surnames and places (commonest first) are candidates for English -> kanji. */
export const REVERSE_RANKS = 1500;

const KANJI_NAME = /^(?=.*\p{Script=Han})[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}々ー]{1,10}$/u;

export class NameTable {
  private readonly entries = new Map<string, Entry[]>();
  // by kind, then romaji without apostrophes: the best-ranked surface, and how many surfaces among the first
  // REVERSE_RANKS of the kind have that romaji
  private readonly spellings: Record<NameKind, Map<string, Spelling>> = { s: new Map(), g: new Map(), p: new Map() };

  constructor(text: string) {
    for (const line of text.split('\n')) {
      const kind = line.slice(0, 1) as NameKind;
      if (!line.startsWith(`${kind}:`)) continue;
      line
        .slice(2)
        .split('|')
        .forEach((entry, rank) => {
          const [surface, romaji] = entry.split(' ') as [string, string];
          const list = this.entries.get(surface) ?? [];
          list.push({ romaji, kind, rank });
          this.entries.set(surface, list);
          const key = romaji.replace(/'/g, '');
          const names = this.spellings[kind];
          const old = names.get(key) ?? { surface, romaji, rank, count: 0 };
          if (rank < REVERSE_RANKS) old.count++;
          names.set(key, old);
        });
    }
  }

  private best(surface: string, kind?: NameKind): Entry | undefined {
    const list = (this.entries.get(surface) ?? []).filter((entry) => kind === undefined || entry.kind === kind);
    return list.sort((a, b) => a.rank - b.rank)[0];
  }

  /** The name a kanji word is, by the rules above; undefined when it is not in the table, whole or split. */
  find(word: string): TableName | undefined {
    if (!KANJI_NAME.test(word)) return undefined;
    const whole = this.best(word);
    if (whole) return { surface: word, kind: whole.kind, latin: capitalise(whole.romaji) };
    let split: { family: Entry; given: Entry } | undefined;
    for (let k = 1; k < word.length; k++) {
      const family = this.best(word.slice(0, k), 's');
      const given = family && this.best(word.slice(k), 'g');
      if (family && given && (!split || family.rank + given.rank < split.family.rank + split.given.rank))
        split = { family, given };
    }
    if (!split) return undefined;
    return {
      surface: word,
      kind: 'full',
      latin: `${capitalise(split.family.romaji)} ${capitalise(split.given.romaji)}`,
    };
  }

  /** The kanji of a surname or place written in Latin letters ("Tanaka" -> 田中), by the rule above. */
  fromLatin(word: string): string | undefined {
    const key = word.toLowerCase();
    const place = this.spellings.p.get(key);
    let surname = this.spellings.s.get(key);
    if (surname && surname.count <= (this.spellings.g.get(key)?.count ?? 0)) surname = undefined;
    const best = [place, surname]
      .filter((name) => name && name.rank < REVERSE_RANKS)
      .sort((a, b) => a!.rank - b!.rank)[0];
    return best?.surface;
  }

  /** The romaji of the table's commonest given name a word in Latin letters spells ("Shinichi" -> shin'ichi), if any. */
  givenName(word: string): string | undefined {
    return this.spellings.g.get(word.toLowerCase())?.romaji;
  }
}

const capitalise = (romaji: string): string => romaji.charAt(0).toUpperCase() + romaji.slice(1).replace(/'/g, '');
