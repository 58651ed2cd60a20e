// Entities: the parts of a sentence that each language writes by its own conventions, found by rule in the source
// and written again in the target's, English <-> Japanese. Pure: runs in workerd, Node and browsers. The masks
// (../document/verbatim-mask.ts) turn each into a placeholder that comes back as its target text.
//
// What is read (digits may be full-width; the target always gets ASCII digits, the writer's separators kept):
// - times with a half of the day or a clock word: 3:30 pm <-> 午後3時30分, 10 am <-> 午前10時, 12 am <-> 午前0時,
//   12 pm <-> 正午, 3 o'clock -> 3時; Japanese without a half: 15時30分 -> 15:30, 3時半 -> 3:30. A bare "15:00" is written
//   the same in both: it stays a verbatim span (../segment/verbatim.ts).
// - dates: Friday, March 14 <-> 3月14日（金）; March 14th, 2026 <-> 2026年3月14日; 14 March; the 14th of March; March 2026
//   <-> 2026年3月; a month alone (capitalised: "in March" <-> 3月); a weekday alone (Friday <-> 金曜日); the 14th after
//   on/by/until/from/since/before/after/through -> 14日; year-first digits 2026-03-14 and 2026/3/14 -> 2026年3月14日 /
//   March 14, 2026; 2026年 -> 2026. English writes "March 14" (no "th"); Japanese gives the weekday in full-width
//   brackets after the date. Slash dates that are not year-first (3/14, 14/3) are ambiguous and stay verbatim.
// - money: $25 <-> 25ドル, 3,800円 <-> 3,800 yen, €10 <-> 10ユーロ, £5 <-> 5ポンド, ¥500 -> 500円, 50 cents <-> 50セント,
//   20 USD; scale words said in the target's: $5 million <-> 500万ドル, 1億2000万円 -> 120 million yen, 1万円 -> 10,000 yen.
// - percentages: 70%, 70 percent, 70パーセント -> 70%; below zero with a minus joined to the digits, "minus", マイナス or
//   氷点下 (-3°C, -2.5%), as quantities are.
// - quantities with a unit (./values.ts UNITS): English a space before a symbol ("5 km", "500 mL") but
//   none before a degree sign ("20°C"); Japanese none ("5km"); unit words become symbols (kilometers, キロメートル -> km).
//   Durations, people and ages are quantities too: 45 minutes <-> 45分, 2 hours <-> 2時間, 2 weeks <-> 2週間, 3 months <->
//   3か月, 14日間 -> 14 days, 10 years -> 10年, 1,500 people <-> 1,500人, 30 years old <-> 30歳 ("turned 30" -> 30歳);
//   a number said in words before a unit said in words counts ("five minutes", "two people"); 20 square meters <->
//   20平方メートル.
// - ordinals: 12th floor <-> 12階, 21st century <-> 21世紀, 3rd time <-> 3回目, 10th anniversary <-> 10周年, 1st place
//   <-> 1位, other ordinals 3rd <-> 3番目; floor 12 and third floor -> 12階, 3階. Rooms: Room 305 <-> 305号室.
// - numbers said with a scale word: 5 million <-> 500万, 3千 -> 3,000. A bare number is no entity: it stays a number
//   (a verbatim span), as do phone numbers (digit for digit).
// Not read, because the words are too often something else: English "May" and month/weekday abbreviations except
// capitalised next to a day number, a month alone in lower case ("march"), "5m", "pounds", "3 days" (3日 or 3日間 by
// what follows); Japanese キロ (km or kg), 度 (a count as often as degrees), 5年 and 5日 (a year of an era or a school's,
// a day of the month), 3人目 and 2人前, 5分の1, 3階建て, 1990年代. Of overlapping candidates the longest is kept.
import { findEnglish } from './english.js';
import { findJapanese } from './japanese.js';
import { inEnglish, inJapanese } from './render.js';
import type { EntityType } from './values.js';

export type { Entity, EntityType } from './values.js';

/** An entity of a text, with what it becomes in the target language. */
export interface EntityMatch {
  start: number; // UTF-16 offsets in the text searched
  end: number;
  source: string; // the text's own words
  target: string;
  type: EntityType;
}

/** The entities of `text` (language `from`) and their target text (language `to`); none for other languages. */
export function findEntities(text: string, from: string, to: string): EntityMatch[] {
  const find = from === 'en' && to === 'ja' ? findEnglish : from === 'ja' && to === 'en' ? findJapanese : undefined;
  const render = to === 'ja' ? inJapanese : inEnglish;
  return (find?.(text) ?? []).map(({ start, end, entity }) => ({
    start,
    end,
    source: text.slice(start, end),
    target: render(entity),
    type: entity.type,
  }));
}
