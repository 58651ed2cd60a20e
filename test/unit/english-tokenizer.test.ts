import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detokenizeEnglish, tokenizeEnglish } from '../../src/core/tokenize/english.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = path.resolve(repoRoot, '../shared/data/small_parallel_enja');

const tok = (text: string) => tokenizeEnglish(text).join(' ');

describe('tokenizeEnglish', () => {
  it('lowercases and splits punctuation off words', () => {
    expect(tok('When you cross the street, watch out for cars.')).toBe(
      'when you cross the street , watch out for cars .',
    );
    expect(tok('Not again!! Really?!')).toBe('not again ! ! really ? !');
    expect(tok("Come what may; I won't change: ever")).toBe("come what may ; i won 't change : ever");
  });

  it('splits every clitic at its apostrophe, as the corpus does', () => {
    expect(tok("I can't, I'm sure you're right")).toBe("i can 't , i 'm sure you 're right");
    expect(tok("Don't! He won't. She'd've, we'll, they've")).toBe(
      "don 't ! he won 't . she 'd 've , we 'll , they 've",
    );
    expect(tok("It's Tom's, at ten o'clock")).toBe("it 's tom 's , at ten o 'clock");
  });

  it('keeps a lone apostrophe as its own token', () => {
    expect(tok("ten minutes' walk, we're goin' home")).toBe("ten minutes ' walk , we 're goin ' home");
    expect(tok("he said, 'let's go.'")).toBe("he said , ' let 's go . '");
  });

  it("writes every double quote as ''", () => {
    expect(tok('He said, "Stop."')).toBe("he said , '' stop . ''");
    expect(tok("read ''gone with the wind'' now")).toBe("read '' gone with the wind '' now");
    expect(tok('\u201cHi,\u201d she said')).toBe("'' hi , '' she said");
  });

  it('keeps the period of abbreviations and initials, with no extra period at the end', () => {
    expect(tok('Mr. Smith and Mrs. Brown met Ms. White.')).toBe('mr. smith and mrs. brown met ms. white .');
    expect(tok('I have been to the U.S. twice')).toBe('i have been to the u.s. twice');
    expect(tok('The meeting closed at 4 p.m.')).toBe('the meeting closed at 4 p.m.');
    expect(tok('Is everything O.K.? He is taller than I.')).toBe('is everything o.k. ? he is taller than i.');
    expect(tok('No. I am sorry.')).toBe('no . i am sorry .');
  });

  it('keeps numbers, hyphenated words and ordinals whole, and splits $ and %', () => {
    expect(tok("Here's $5,000, 3.5% of it, at 10:30 on the 5th")).toBe(
      "here 's $ 5,000 , 3.5 % of it , at 10:30 on the 5th",
    );
    expect(tok('a well-known, up-to-date 3-2 win')).toBe('a well-known , up-to-date 3-2 win');
    expect(tok('I lived for years... and years\u2026')).toBe('i lived for years ... and years ...');
  });

  it('normalizes unicode, typographic quotes and whitespace', () => {
    expect(tok('\uff29\u2019m\u3000\uff26\uff29\uff2e\uff25\uff01')).toBe("i 'm fine !"); // full-width forms
    expect(tok('  she\tsaid\r\n\u201chello\u201d  ')).toBe("she said '' hello ''");
    expect(tok('Caf\u0065\u0301 fa\u00e7ade')).toBe('caf\u00e9 fa\u00e7ade'); // combining accent composed
    expect(tok('well\u2014known')).toBe('well -- known');
    expect(tok("\uff02a\uff02 \u2033b\u2033 ``c''")).toBe("'' a '' '' b '' '' c ''"); // full-width, double prime, PTB
  });

  it('drops control and invisible characters instead of failing on them', () => {
    expect(tok('a\u0000b c\u200bd \u200fe\u202e \ufeffend')).toBe('a b cd e end');
    expect(tok('lone \ud800 surrogates \udc00 here')).toBe('lone surrogates here');
  });

  it('never throws on unusual unicode and always returns non-empty tokens without spaces', () => {
    const inputs = [
      '',
      ' \n\t ',
      '\u0000',
      '\ud83d',
      '\ude00x',
      '\u202b\u0645\u0631\u062d\u0628\u0627\u202c',
      'a\u200db\u200cc',
      '\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 family',
      '\ud83d\udc4d\ud83c\udffd ok',
      '\u0301\u0302 marks',
      'z\u0351\u0352\u0353\u0354\u0355',
      '\u0130stanbul',
      'Stra\u00dfe',
      '\ufdfa',
      '\u{e0041}tag',
      '\u{10ffff}',
      'x'.repeat(10000),
    ];
    for (const input of inputs) {
      const tokens = tokenizeEnglish(input);
      expect(tokens.every((t) => t !== '' && !/\s/.test(t))).toBe(true);
      expect(() => detokenizeEnglish(tokens)).not.toThrow();
    }
    expect(tokenizeEnglish('')).toEqual([]);
  });
});

describe('detokenizeEnglish', () => {
  const detok = (line: string) => detokenizeEnglish(line.split(' '));

  it('joins clitics and punctuation and capitalizes sentences and "I"', () => {
    expect(detok("i can 't tell who will arrive first .")).toBe("I can't tell who will arrive first.");
    expect(detok("no . i 'm sorry , i 've got to go back early .")).toBe("No. I'm sorry, I've got to go back early.");
    expect(detok('you are tired , and so am i.')).toBe('You are tired, and so am I.');
    expect(detok("here 's $ 5 , 5 % off ( today ) ...")).toBe("Here's $5, 5% off (today)...");
  });

  it('pairs double quotes and attaches them to what they enclose', () => {
    expect(detok("he said , '' it 's nine o 'clock . ''")).toBe('He said, "It\'s nine o\'clock."');
    expect(detok("'' you 'd better come in , '' the man said .")).toBe('"You\'d better come in," the man said.');
  });

  it('tells quoting single quotes from apostrophes', () => {
    expect(detok("he said to me , ' let 's play catch . '")).toBe("He said to me, 'Let's play catch.'");
    expect(detok("say ' ahhh ' .")).toBe("Say 'ahhh'.");
    expect(detok("it is ten minutes ' walk from here .")).toBe("It is ten minutes' walk from here.");
    expect(detok("we 're goin ' home .")).toBe("We're goin' home.");
  });

  it('does not capitalize a sentence that starts with a number', () => {
    expect(detok('5 people came .')).toBe('5 people came.');
  });

  it('returns an empty string for no tokens', () => {
    expect(detokenizeEnglish([])).toBe('');
  });
});

describe('round trip on the corpus: tokenizeEnglish(detokenizeEnglish(tokens)) gives the tokens back', () => {
  for (const split of ['dev', 'train']) {
    it(`for at least 99.5% of ${split}.en`, ({ skip }) => {
      const file = path.join(CORPUS, `${split}.en`);
      skip(!existsSync(file), `shared corpus not found at ${file}`);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const same = lines.filter((line) => tok(detokenizeEnglish(line.split(' '))) === line).length;
      expect(same / lines.length).toBeGreaterThanOrEqual(0.995);
    });
  }
});
