// Reading EDICT and ENAMDICT (the EDRDG's files as Debian's `edict` and `enamdict` packages ship them, EUC-JP, decoded
// by ../debian-package.ts eucJp): one headword a line,
//
//   電池 [でんち] /(n) battery/cell/(P)/
//   携帯 [けいたい] /(n,vs) (1) carrying (on one's person or in the hand)/(n) (2) (abbr) (uk) mobile phone/cell phone/(P)/
//   東京 [とうきょう] /(p,s) Tokyo/                                  (ENAMDICT: the tags say what kind of name)
//
// Rules: the headword, then its reading in [] (absent when the headword is kana); then "/"-separated fields. A field
// may open with tags in parentheses: a sense number "(2)" starts a new sense; part-of-speech tags ("n,vs") belong to
// the sense; misc tags ("uk", "abbr", "comp") too; the first parenthesis that is not made of known tags is gloss text
// ("(computer) image"). "(P)" alone marks a common word. The first line is the file's own header and is skipped.
// Pure: the build (./build.ts) and the unit tests read text decoded here.

export interface EdictSense {
  pos: string[]; // part-of-speech tags: n, vs, adj-na, prt, v5r, ...
  misc: string[]; // other tags: uk (usually kana), abbr, comp, arch, ...
  glosses: string[]; // as written, parentheses included
}

export interface EdictEntry {
  headword: string;
  reading?: string; // kana, when the headword is not
  common: boolean; // (P)
  senses: EdictSense[];
}

/** An ENAMDICT line: a name, its reading, what kind of name (tags) and its romanisations or translations. */
export interface NameEntry {
  headword: string;
  reading?: string;
  kinds: string[]; // s surname, g given, f female, m male, p place, st station, c company, o organisation, ...
  glosses: string[];
}

const LINE = /^(\S+)(?: \[([^\]]+)\])? \/(.*)\/$/u;
const POS = /^(?:n|v|adj|adv|aux|conj|cop|ctr|exp|int|num|pn|pref|prt|suf|unc|iv)(?:-[\w-]+|[0-9a-z-]*)?$/u;
const MISC = new Set([
  'uk',
  'uK',
  'abbr',
  'arch',
  'col',
  'fam',
  'fem',
  'hon',
  'hum',
  'id',
  'male',
  'obs',
  'obsc',
  'on-mim',
  'poet',
  'pol',
  'rare',
  'sens',
  'sl',
  'vulg',
  'X',
  'yoji',
  'm-sl',
  'net-sl',
  'chn',
  'joc',
  'derog',
  'ek',
  'ik',
  'iK',
  'io',
  'oK',
  'ok',
  'ateji',
  'gikun',
  'proverb',
  'dated',
  'hist',
  'litf',
  'quote',
  'tradem',
  'comp',
  'food',
  'ling',
  'math',
  'med',
  'MA',
  'Buddh',
  'Shinto',
  'Christn',
  'sports',
  'sumo',
  'physics',
  'chem',
  'biol',
  'bot',
  'zool',
  'anat',
  'geol',
  'astron',
  'baseb',
  'law',
  'mil',
  'music',
  'econ',
  'finc',
  'engr',
  'archit',
  'bus',
  'mahj',
  'shogi',
  'hanaf',
  'geom',
  'gramm',
  'P',
]);
const TAGS = /^\(([^()]*)\)\s*/u;

/** The entries of an EDICT file's text (its header line skipped, a line it cannot read too). */
export function parseEdict(text: string): EdictEntry[] {
  const entries: EdictEntry[] = [];
  for (const { headword, reading, fields } of records(text)) {
    const common = fields.includes('(P)');
    const senses: EdictSense[] = [];
    let pos: string[] = [];
    for (const field of fields) {
      if (field === '(P)' || field === '') continue;
      let rest = field;
      let sense = senses.at(-1);
      const misc: string[] = [];
      for (let tags = TAGS.exec(rest); tags; tags = TAGS.exec(rest)) {
        const parts = tags[1]!.split(',').map((p) => p.trim());
        if (parts.length === 1 && /^\d+$/.test(parts[0]!))
          sense = undefined; // "(2)": a new sense
        else if (parts.every((p) => POS.test(p))) pos = parts;
        else if (parts.every((p) => MISC.has(p) || p.endsWith(':'))) misc.push(...parts);
        else break;
        rest = rest.slice(tags[0].length);
      }
      if (!sense) senses.push((sense = { pos, misc: [], glosses: [] }));
      sense.misc.push(...misc);
      if (rest.trim()) sense.glosses.push(rest.trim());
    }
    entries.push({ headword, ...(reading && { reading }), common, senses: senses.filter((s) => s.glosses.length > 0) });
  }
  return entries;
}

/** The names of an ENAMDICT file's text. */
export function parseEnamdict(text: string): NameEntry[] {
  const names: NameEntry[] = [];
  for (const { headword, reading, fields } of records(text)) {
    const [first = '', ...others] = fields;
    const tags = TAGS.exec(first);
    const glosses = [tags ? first.slice(tags[0].length) : first, ...others].map((g) => g.trim()).filter(Boolean);
    names.push({
      headword,
      ...(reading && { reading }),
      kinds: tags ? tags[1]!.split(',').map((k) => k.trim()) : [],
      glosses,
    });
  }
  return names;
}

/** Each line after the header ("\u3000？？？ /EDICT, ...") as headword, reading and "/"-separated fields; unreadable lines skipped. */
function* records(text: string): Generator<{ headword: string; reading?: string; fields: string[] }> {
  for (const line of text.split('\n').slice(1)) {
    const match = LINE.exec(line.replace(/\r$/, ''));
    if (match) yield { headword: match[1]!, reading: match[2], fields: match[3]!.split('/') };
  }
}
