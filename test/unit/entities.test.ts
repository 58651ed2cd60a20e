// Entities in the target's conventions (src/core/entities): cases written by hand each way, what must not be read,
// and two oracles: every value each renderer can write is read back as itself by the other language's reader (a
// round trip through both languages), and scaled amounts against integer arithmetic.
import { describe, expect, it } from 'vitest';
import {
  englishValue,
  formatDecimal,
  japaneseValue,
  parseDecimal,
  times10,
  type Decimal,
} from '../../src/core/entities/amount.js';
import { findEntities } from '../../src/core/entities/index.js';
import { findEnglish } from '../../src/core/entities/english.js';
import { findJapanese } from '../../src/core/entities/japanese.js';
import { inEnglish, inJapanese } from '../../src/core/entities/render.js';
import { CURRENCIES, ORDINAL_NOUNS, UNITS, type Entity } from '../../src/core/entities/values.js';

const pairs = (text: string, from: string, to: string) => findEntities(text, from, to).map((e) => [e.source, e.target]);

describe('English to Japanese', () => {
  it.each([
    [
      'The meeting moved to 3:30 pm on Friday, March 14th.',
      [
        ['3:30 pm', '午後3時30分'],
        ['Friday, March 14th', '3月14日（金）'],
      ],
    ],
    [
      'Doors open at 7 p.m. and close at 11:15PM.',
      [
        ['7 p.m.', '午後7時'],
        ['11:15PM', '午後11時15分'],
      ],
    ],
    [
      'Breakfast is at 7am, lunch at 12 pm, and the shop opens at 12:30 am.',
      [
        ['7am', '午前7時'],
        ['12 pm', '正午'],
        ['12:30 am', '午前0時30分'],
      ],
    ],
    ['Call me at 10 a.m.', [['10 a.m', '午前10時']]],
    ["Let's meet at 3 o'clock.", [["3 o'clock", '3時']]],
    ['It is due on March 14, 2026.', [['March 14, 2026', '2026年3月14日']]],
    [
      'Born on 14 March 1990, moved on the 2nd of May.',
      [
        ['14 March 1990', '1990年3月14日'],
        ['the 2nd of May', '5月2日'],
      ],
    ],
    ['The sale ends Sat, Mar. 8.', [['Sat, Mar. 8', '3月8日（土）']]],
    [
      'We open in March and close in May.',
      [
        ['March', '3月'],
        ['May', '5月'],
      ],
    ],
    ['The shop opened in September 2024.', [['September 2024', '2024年9月']]],
    [
      'See you on Monday or on the 14th.',
      [
        ['Monday', '月曜日'],
        ['the 14th', '14日'],
      ],
    ],
    [
      'Pay by the 3rd; he was the 3rd to pay.',
      [
        ['the 3rd', '3日'],
        ['3rd', '3番目'],
      ],
    ],
    [
      'The release is 2026-03-14, not 2026/3/15.',
      [
        ['2026-03-14', '2026年3月14日'],
        ['2026/3/15', '2026年3月15日'],
      ],
    ],
    [
      'This shirt costs $25 and that one $1,299.99.',
      [
        ['$25', '25ドル'],
        ['$1,299.99', '1,299.99ドル'],
      ],
    ],
    [
      'The room is 3,800 yen, the taxi ¥2000, the tip 500 JPY.',
      [
        ['3,800 yen', '3,800円'],
        ['¥2000', '2000円'],
        ['500 JPY', '500円'],
      ],
    ],
    [
      'Tickets are €10 in Paris and £5 in London.',
      [
        ['€10', '10ユーロ'],
        ['£5', '5ポンド'],
      ],
    ],
    [
      'It raised $5 million, then $2.5bn, then 300 million dollars.',
      [
        ['$5 million', '500万ドル'],
        ['$2.5bn', '25億ドル'],
        ['300 million dollars', '3億ドル'],
      ],
    ],
    [
      'A coffee is 50 cents more, about 20 USD in all.',
      [
        ['50 cents', '50セント'],
        ['20 USD', '20ドル'],
      ],
    ],
    [
      'Sales rose 12% and costs 3.5 percent.',
      [
        ['12%', '12%'],
        ['3.5 percent', '3.5%'],
      ],
    ],
    [
      'It is 5 km away, 2.5kg heavy and 30 cm long.',
      [
        ['5 km', '5km'],
        ['2.5kg', '2.5kg'],
        ['30 cm', '30cm'],
      ],
    ],
    [
      'Drink 500 mL of water when it is 35°C or 95 °F.',
      [
        ['500 mL', '500mL'],
        ['35°C', '35°C'],
        ['95 °F', '95°F'],
      ],
    ],
    [
      'It will drop to -3°C, minus 10 degrees, and fall -2.5%.',
      [
        ['-3°C', '-3°C'],
        ['minus 10 degrees', '-10度'],
        ['-2.5%', '-2.5%'],
      ],
    ],
    [
      'The road is 12 kilometers long and the limit is 60 km/h.',
      [
        ['12 kilometers', '12km'],
        ['60 km/h', '60km/h'],
      ],
    ],
    [
      'My phone has 128 GB and weighs 180 grams.',
      [
        ['128 GB', '128GB'],
        ['180 grams', '180g'],
      ],
    ],
    ['Our office is on the 12th floor.', [['12th floor', '12階']]],
    [
      'Take the lift to the third floor, or floor 21.',
      [
        ['third floor', '3階'],
        ['floor 21', '21階'],
      ],
    ],
    [
      'The 21st century, the 3rd time, the 10th anniversary, 1st place.',
      [
        ['21st century', '21世紀'],
        ['3rd time', '3回目'],
        ['10th anniversary', '10周年'],
        ['1st place', '1位'],
      ],
    ],
    ['He was the 3rd in line.', [['3rd', '3番目']]],
    [
      'The city has 1.2 million people and 3 thousand parks.',
      [
        ['1.2 million', '120万'],
        ['3 thousand', '3,000'],
      ],
    ],
    [
      'We waited 45 minutes, then 1 hour, 2 weeks and 3 months; 10 years ago.',
      [
        ['45 minutes', '45分'],
        ['1 hour', '1時間'],
        ['2 weeks', '2週間'],
        ['3 months', '3か月'],
        ['10 years', '10年'],
      ],
    ],
    [
      'About 1,500 people came; two people left after five minutes.',
      [
        ['1,500 people', '1,500人'],
        ['two people', '2人'],
        ['five minutes', '5分'],
      ],
    ],
    [
      'She is 30 years old and turned 30 last week; he turns 85 on Friday.',
      [
        ['30 years old', '30歳'],
        ['30', '30歳'],
        ['85', '85歳'],
        ['Friday', '金曜日'],
      ],
    ],
    [
      'Room 305 is 20 square meters, room no. 12 is 15 m².',
      [
        ['Room 305', '305号室'],
        ['20 square meters', '20平方メートル'],
        ['room no. 12', '12号室'],
        ['15 m²', '15平方メートル'],
      ],
    ],
    [
      'Pay ３，８００ yen at ３：３０ pm.',
      [
        ['３，８００ yen', '3,800円'],
        ['３：３０ pm', '午後3時30分'],
      ],
    ],
  ] as [string, string[][]][])('%s', (text, expected) => {
    expect(pairs(text, 'en', 'ja')).toEqual(expected);
  });

  it.each([
    'May I come in?', // a modal verb
    'Call me at 3.', // a bare number stays a number (a verbatim span)
    'The march was long and we sat down.', // lower-case words that are also names
    'It is 5m away and weighs 5 pounds.', // 5m: meters, minutes or million; pounds: money or weight
    'Meet at 15:00 on 3/14.', // written the same in both, or ambiguous: verbatim spans
    'Version 2.0 has 10 features.',
    'The COVID-19 rules of MP3 players.',
    'Call 03-5555-0199 now.',
    'He turned 3 pages and one of them is a roommate.', // "turn" before a noun the number counts; "one" without a unit
  ])('reads nothing in: %s', (text) => {
    expect(pairs(text, 'en', 'ja')).toEqual([]);
  });
});

describe('Japanese to English', () => {
  it.each([
    [
      '会議は3月14日（金）の午後3時30分に変更されました。',
      [
        ['3月14日（金）', 'Friday, March 14'],
        ['午後3時30分', '3:30 pm'],
      ],
    ],
    ['締め切りは2026年3月14日金曜日です。', [['2026年3月14日金曜日', 'Friday, March 14, 2026']]],
    ['３月１４日(土)に会いましょう。', [['３月１４日(土)', 'Saturday, March 14']]],
    [
      '午前10時から午後6時まで開いています。',
      [
        ['午前10時', '10 am'],
        ['午後6時', '6 pm'],
      ],
    ],
    [
      '3時半に駅で、15時30分に会社で。',
      [
        ['3時半', '3:30'],
        ['15時30分', '15:30'],
      ],
    ],
    [
      '午前0時に閉まり、午後0時30分に開きます。',
      [
        ['午前0時', '12 am'],
        ['午後0時30分', '12:30 pm'],
      ],
    ],
    ['午後３：３０に来てください。', [['午後３：３０', '3:30 pm']]],
    [
      '店は2026年4月に開き、3月に閉まる。',
      [
        ['2026年4月', 'April 2026'],
        ['3月', 'March'],
      ],
    ],
    [
      '2026年に金曜日と日曜の予定がある。',
      [
        ['2026年', '2026'],
        ['金曜日', 'Friday'],
        ['日曜', 'Sunday'],
      ],
    ],
    ['発売日は2026/3/14です。', [['2026/3/14', 'March 14, 2026']]],
    [
      'このシャツは25ドルで、あれは3,800円です。',
      [
        ['25ドル', '$25'],
        ['3,800円', '3,800 yen'],
      ],
    ],
    [
      'チケットは10ユーロ、5ポンド、100元、50セント。',
      [
        ['10ユーロ', '€10'],
        ['5ポンド', '£5'],
        ['100元', '100 yuan'],
        ['50セント', '50 cents'],
      ],
    ],
    [
      '入場料は１，５００円、$30、￥800です。',
      [
        ['１，５００円', '1,500 yen'],
        ['$30', '$30'],
        ['￥800', '800 yen'],
      ],
    ],
    [
      '家賃は1万5000円、予算は1億2000万円、売上は500万ドル。',
      [
        ['1万5000円', '15,000 yen'],
        ['1億2000万円', '120 million yen'],
        ['500万ドル', '$5 million'],
      ],
    ],
    [
      '人口は50万人で、3千人が来た。',
      [
        ['50万人', '500,000 people'],
        ['3千人', '3,000 people'],
      ],
    ],
    [
      '3時間と14日間と30分間、3か月と3ヶ月と2週間かかった。',
      [
        ['3時間', '3 hours'],
        ['14日間', '14 days'],
        ['30分間', '30 minutes'],
        ['3か月', '3 months'],
        ['3ヶ月', '3 months'],
        ['2週間', '2 weeks'],
      ],
    ],
    [
      '駅まで15分で、1人か2,000人が来る。',
      [
        ['15分', '15 minutes'],
        ['1人', '1 person'],
        ['2,000人', '2,000 people'],
      ],
    ],
    [
      '娘は20歳、502号室は20平方メートル。',
      [
        ['20歳', '20 years old'],
        ['502号室', 'Room 502'],
        ['20平方メートル', '20 square meters'],
      ],
    ],
    [
      '湿度は70%、割引は15パーセント、金利は2.5％。',
      [
        ['70%', '70%'],
        ['15パーセント', '15%'],
        ['2.5％', '2.5%'],
      ],
    ],
    [
      '駅から5km、重さ2.5キログラム、長さ30センチ。',
      [
        ['5km', '5 km'],
        ['2.5キログラム', '2.5 kg'],
        ['30センチ', '30 cm'],
      ],
    ],
    [
      '気温は35℃で、水を500ミリリットル飲んだ。',
      [
        ['35℃', '35°C'],
        ['500ミリリットル', '500 mL'],
      ],
    ],
    [
      '今夜はマイナス3℃、氷点下5°C、−2.5%。',
      [
        ['マイナス3℃', '-3°C'],
        ['氷点下5°C', '-5°C'],
        ['−2.5%', '-2.5%'],
      ],
    ],
    [
      '1マイルは約1.6kmです。',
      [
        ['1マイル', '1 mile'],
        ['1.6km', '1.6 km'],
      ],
    ],
    ['事務所は12階にあります。', [['12階', '12th floor']]],
    [
      '21世紀に3回目の10周年で1位、3番目だった。',
      [
        ['21世紀', '21st century'],
        ['3回目', '3rd time'],
        ['10周年', '10th anniversary'],
        ['1位', '1st place'],
        ['3番目', '3rd'],
      ],
    ],
    [
      '２２階と１１階と１３階と２３階。',
      [
        ['２２階', '22nd floor'],
        ['１１階', '11th floor'],
        ['１３階', '13th floor'],
        ['２３階', '23rd floor'],
      ],
    ],
  ] as [string, string[][]][])('%s', (text, expected) => {
    expect(pairs(text, 'ja', 'en')).toEqual(expected);
  });

  it.each([
    '3人目と2人前と1人分、5分の1、3時間目。', // the 3rd person, servings, a fraction, a school period
    '3階建ての家の階段。', // storeys, stairs
    '地下1階の店。', // a basement
    '1990年代と1000年前と2026年度。', // decades, years ago, fiscal years
    '5キロ歩いた。', // km or kg
    'もう1度、3度目の正直。', // a count
    '5年生と5日。', // a school year; a day or days
    '電話番号は03-5555-0199です。', // a phone number is verbatim
    '15:00に来て。', // written the same in both
  ])('reads nothing in: %s', (text) => {
    expect(pairs(text, 'ja', 'en')).toEqual([]);
  });
});

it('reads no entities between other languages, nor within one', () => {
  expect(findEntities('It costs $25.', 'en', 'fr')).toEqual([]);
  expect(findEntities('It costs $25.', 'en', 'en')).toEqual([]);
});

it('gives UTF-16 offsets into the text searched', () => {
  const text = '😀 ３月１４日に';
  const [found] = findEntities(text, 'ja', 'en');
  expect(text.slice(found!.start, found!.end)).toBe('３月１４日');
});

describe('a round trip through both languages (every value either side writes reads back as itself)', () => {
  let seed = 11;
  const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const amount = (scaled: boolean) => {
    const written = scaled ? String(1 + next(999)) : [String(next(100000)), '3,800', '12.5', '1,299.99'][next(4)]!;
    const value = parseDecimal(written);
    return {
      written,
      value: scaled ? { digits: value.digits, exp: value.exp + [3, 4, 6, 8, 9][next(5)]! } : value,
      scaled,
    };
  };
  // Units each side writes as it reads them (not 度, which Japanese writes for "degrees" but does not read).
  const READ_BOTH_WAYS = UNITS.filter((u) => u.jaForms.includes(u.ja) && u.enForms.includes(u.en));
  const values = (): Entity => {
    const half = next(3);
    switch (next(8)) {
      case 0:
        return half === 0
          ? { type: 'time', hour: next(24), minute: 1 + next(59) }
          : {
              type: 'time',
              hour: 1 + next(11),
              ...(next(2) ? { minute: 1 + next(59) } : {}),
              half: half === 1 ? 'am' : 'pm',
            };
      case 1: {
        const month = 1 + next(12);
        return [
          { type: 'date', month, day: 1 + next(28), weekday: next(7) },
          { type: 'date', year: 2000 + next(50), month, day: 1 + next(28) },
          { type: 'date', month },
          { type: 'date', weekday: next(7) },
          { type: 'date', year: 1990 + next(50), month },
        ][next(5)] as Entity;
      }
      case 2:
        return {
          type: 'money',
          amount: amount(next(3) === 0),
          currency: Object.values(CURRENCIES)[next(Object.values(CURRENCIES).length)]!,
        };
      case 3:
        return { type: 'percent', amount: { ...amount(false), ...(next(4) === 0 && { negative: true as const }) } };
      case 4:
        return {
          type: 'quantity',
          amount: { ...amount(false), ...(next(4) === 0 && { negative: true as const }) },
          unit: READ_BOTH_WAYS[next(READ_BOTH_WAYS.length)]!,
        };
      case 5:
        return {
          type: 'ordinal',
          n: 1 + next(120),
          ...(next(3) ? { noun: ORDINAL_NOUNS[next(ORDINAL_NOUNS.length)]! } : {}),
        };
      case 6:
        return { type: 'room', n: 1 + next(3000) };
      default:
        return { type: 'number', amount: amount(true) };
    }
  };

  /** What an entity says: an amount by its value, not how it was written (25万 and 250,000 say the same). */
  const meaning = (e: Entity) =>
    JSON.parse(
      JSON.stringify(e, (key, v: unknown) => (key === 'amount' ? formatDecimal((v as { value: Decimal }).value) : v)),
    );

  /** The one entity `reader` finds in `text` with `before` and `after` around it, when it spans the text whole. */
  const readWhole = (reader: typeof findEnglish, text: string, before: string, after: string) => {
    const found = reader(before + text + after);
    return found.length === 1 && found[0]!.start === before.length && found[0]!.end === before.length + text.length
      ? found[0]!.entity
      : undefined;
  };

  it('Japanese -> English -> Japanese', () => {
    for (let i = 0; i < 3000; i++) {
      const japanese = inJapanese(values());
      const read = readWhole(findJapanese, japanese, 'は', 'で');
      expect(read, japanese).toBeDefined();
      const english = inEnglish(read!);
      const back = readWhole(findEnglish, english, 'It is in ', ' now.');
      // A time without a half of the day is written the same in both ("15:06"), and so is a number below a million
      // ("281,000"): English keeps them as verbatim spans.
      if ((read!.type === 'time' && !read!.half) || (read!.type === 'number' && /^[\d,.]+$/.test(english))) {
        expect(back, english).toBeUndefined();
        continue;
      }
      expect(back, `${japanese} -> ${english}`).toBeDefined();
      expect(meaning(back!), `${japanese} -> ${english}`).toEqual(meaning(read!));
    }
  });

  it('English -> Japanese -> English', () => {
    for (let i = 0; i < 3000; i++) {
      const value = values();
      const english = inEnglish(value);
      if ((value.type === 'time' && !value.half) || (value.type === 'number' && /^[\d,.]+$/.test(english))) continue; // verbatim in English (above)
      const read = readWhole(findEnglish, english, 'It is in ', ' now.');
      expect(read, english).toBeDefined();
      const japanese = inJapanese(read!);
      const back = readWhole(findJapanese, japanese, 'は', 'で');
      expect(back, `${english} -> ${japanese}`).toBeDefined();
      expect(meaning(back!), `${english} -> ${japanese}`).toEqual(meaning(read!));
    }
  });
});

describe('scaled amounts', () => {
  it('says a value with the target scale words, exactly as integer arithmetic has it', () => {
    let seed = 5;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 2000; i++) {
      const n = BigInt(next(100000)) * 10n ** BigInt(next(12));
      const ja = japaneseValue({ digits: n, exp: 0 });
      // Read the Japanese back with integer arithmetic: each group of digits times its scale word's power of ten.
      let back = 0n;
      let rest = ja.replace(/,/g, '');
      for (const [word, power] of [
        ['兆', 12n],
        ['億', 8n],
        ['万', 4n],
      ] as const) {
        const [head, tail] = rest.includes(word) ? rest.split(word) : ['0', rest];
        back += BigInt(head!) * 10n ** power;
        rest = tail!;
      }
      expect(back + BigInt(rest || '0'), ja).toBe(n);
      const en = englishValue({ digits: n, exp: 0 });
      const [, number, word] = en.match(/^([\d.,]+)(?: (million|billion|trillion))?$/)!;
      const power = { million: 6, billion: 9, trillion: 12 }[word as 'million'] ?? 0;
      const parsed = parseDecimal(number!);
      expect(parsed.digits * 10n ** BigInt(parsed.exp + power), en).toBe(n);
    }
  });

  it('formats decimals without floating point', () => {
    expect(formatDecimal({ digits: 12n, exp: 8 })).toBe('1,200,000,000');
    expect(japaneseValue(times10(parseDecimal('1.2'), 9))).toBe('12億');
    expect(englishValue(times10(parseDecimal('1.2'), 9))).toBe('1.2 billion');
    expect(englishValue({ digits: 12345n, exp: 2 })).toBe('1,234,500');
    expect(englishValue({ digits: 1234567n, exp: 0 })).toBe('1,234,567');
    expect(japaneseValue({ digits: 125n, exp: -1 })).toBe('12.5');
  });
});
