// Sentences of one line or paragraph, English and Japanese alike (a text's language is decided per
// sentence later), and the cutting of a sentence too long for the model. Pure.
//
// A sentence ends after a run of terminators (. ! ? … 。 ！ ？ ． and runs such as "?!", "!!!") plus
// the closing quotes and brackets that follow it ('"Stop."', "。」", "！）"), when:
// - no terminator lies inside a verbatim span (URL, e-mail, number: "3.14", "a.com/?q=1"), and the end
//   is not inside a matched bracket or quote pair ('He said "Hi. Bye." Then' ends after '."' only;
//   "彼は「行く。帰る。」と言った。" is one sentence); unmatched brackets are ignored;
// - Japanese terminators (。！？．) end a sentence with or without a following space, except that
//   "？" / "！" or a closing bracket followed at once by the quotative と/っ continues it
//   ("「すごい！」と叫んだ", "本当？と聞いた");
// - Latin terminators (. ! ?) need whitespace then anything but a lower-case letter or , ; : after
//   them, or a Japanese character at once ("Tokyo.美味しい"). So "Wait... what?" is one sentence and
//   "I waited... Then he came." two; an ellipsis never ends a sentence without a following space.
// - after "." the word before decides: titles and e.g./i.e./vs./cf. never end a sentence ("Mr. Smith",
//   "St. Louis"); No./Fig./p./Vol. do not before a digit; nor does a list enumerator first in the text
//   or after a sentence or colon ("1. Buy milk. 2. Call mom."). An initialism ("U.S.", "a.m.") or a
//   single capital ("J. Smith") ends a sentence only before a common sentence starter (He, The, Then,
//   ...) or Japanese: "I live in the U.S. He lives in Japan." is two, "The U.S. Army is" one. Any other
//   word ends one by the rule above ("apples, etc. Then" splits, "etc. and" does not). Doubtful cases
//   do not split: a wrong split breaks a sentence the model cannot mend, a missed one only hands it
//   two sentences at once (and cutSentence still cuts a long one there).
// Newlines count as spaces (the caller passes them only when they are not boundaries).
//
// Hand-written, not sentence-splitter@5.0.1: on this file's test cases it splits "3 p.m. | on Monday"
// and "www.example.com/a? | b=1", never splits after a closing quote ('He said "Stop." Then he left.'
// stays one sentence), and is 6x slower: 37.7 ms against 6.2 ms for the same 7.7 kB of mixed prose
// (Node 20, this machine under load; 0.8 us/char here, about half of it findVerbatim), CPU a Worker
// pays on every request.
import { findVerbatim } from './verbatim.js';

export interface Span {
  start: number;
  end: number;
}

const CLOSERS = `)\\]}"'”’»›」』）］｝】〉》〕〗〙〛`;
const TERMINATOR = new RegExp(`([.!?…‥。！？．｡‼⁇⁈⁉]+)([${CLOSERS}]*)`, 'g');
const FULL_WIDTH = /[。！？．｡]/;
const ELLIPSIS = /^(?:\.{2,}|[…‥]+)$/;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u;
const PAIRS: Record<string, string> = {
  '(': ')',
  '[': ']',
  '{': '}',
  '"': '"',
  '“': '”',
  '«': '»',
  '「': '」',
  '『': '』',
  '（': '）',
  '［': '］',
  '｛': '｝',
  '【': '】',
  '〈': '〉',
  '《': '》',
  '〔': '〕',
};
const CLOSING = new Set(Object.values(PAIRS));
const NEVER_END = new Set(
  'mr mrs ms dr prof st mt rev fr gen col lt capt sgt gov sen rep hon e.g i.e vs cf viz approx'.split(' '),
);
const BEFORE_NUMBER = new Set('no nos fig figs p pp vol ch sec art eq ref'.split(' '));
const STARTERS = new Set(
  'I You He She It We They This That These Those There Here The A An My Our Your His Her Its Their But And So Then However Also If When What Why How Who Where In On At After Today'.split(
    ' ',
  ),
);

export function splitSentences(text: string): Span[] {
  return between(text, sentenceEnds(text, mask(findVerbatim(text), text.length, 0), true), 0, text.length);
}

/** Positions just after each sentence end; `pairs: false` also ends sentences inside quotes. */
function sentenceEnds(text: string, inVerbatim: Uint8Array, pairs: boolean): number[] {
  const depth = pairs ? pairDepth(text) : undefined;
  const ends: number[] = [];
  for (const m of text.matchAll(TERMINATOR)) {
    const end = m.index + m[0].length;
    if (inVerbatim[m.index] || (depth && depth[end] > 0)) continue;
    if (endsHere(text, m.index, m[1], m[2] !== '', end)) ends.push(end);
  }
  return ends;
}

function endsHere(text: string, at: number, term: string, closed: boolean, end: number): boolean {
  let j = end;
  while (j < text.length && /\s/.test(text[j])) j++;
  if (j === text.length) return true;
  const spaced = j > end;
  const next = String.fromCodePoint(text.codePointAt(j)!);
  if (FULL_WIDTH.test(term)) return spaced || !/[とっ]/.test(next) || !(closed || /[！？!?]/.test(term));
  if (/[\p{Ll},;:、，]/u.test(next)) return false;
  if (!spaced && (!JAPANESE.test(next) || ELLIPSIS.test(term))) return false;
  if (term !== '.') return true;
  const word = /[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)*$/u.exec(text.slice(Math.max(0, at - 40), at))?.[0] ?? '';
  if (NEVER_END.has(word.toLowerCase())) return false;
  if (BEFORE_NUMBER.has(word.toLowerCase()) && /\p{N}/u.test(next)) return false;
  const lead = text.slice(Math.max(0, at - word.length - 4), at - word.length);
  const atStart = lead.length === at - word.length && /^[\s([]*$/.test(lead);
  if (
    (/^\d{1,3}$/.test(word) || (atStart && /^[A-Za-z]$/.test(word))) &&
    (atStart || /[.!?。！？:：]\s+[([]?$/.test(lead))
  ) {
    return false; // a list enumerator, first or after a sentence or colon: "1. Buy milk", "Steps: 1. Open it"
  }
  if (/^\p{L}(?:\.\p{L})+$|^\p{Lu}$/u.test(word)) {
    return (spaced && JAPANESE.test(next)) || STARTERS.has(/^\p{L}+/u.exec(text.slice(j, j + 20))?.[0] ?? '');
  }
  return true;
}

/** depth[p] > 0 when position p lies inside a matched pair: after its opener, up to its closer. */
function pairDepth(text: string): Int32Array {
  const depth = new Int32Array(text.length + 2);
  const open: number[] = []; // indices of openers not yet closed
  for (let i = 0; i < text.length; i++) {
    const floor = Math.max(0, open.length - 8); // look 8 openers deep at most: linear on any input
    let k = CLOSING.has(text[i]) ? open.length - 1 : -1;
    while (k >= floor && PAIRS[text[open[k]]] !== text[i]) k--;
    if (k >= floor) {
      depth[open[k] + 1]++;
      depth[i + 1]--;
      open.length = k;
    } else if (Object.hasOwn(PAIRS, text[i])) open.push(i);
  }
  for (let p = 1; p < depth.length; p++) depth[p] += depth[p - 1];
  return depth;
}

/** mask[p] = 1 for p in [start + shift, end) of every span: shift 0 marks characters, 1 the
 *  positions strictly inside a span (where no cut may go). */
function mask(spans: Span[], length: number, shift: 0 | 1): Uint8Array {
  const inside = new Uint8Array(length + 1);
  for (const v of spans) inside.fill(1, v.start + shift, v.end);
  return inside;
}

/** The trimmed, non-empty pieces of text[from, to) between the cut positions (sorted, inside it). */
function between(text: string, cuts: number[], from: number, to: number): Span[] {
  const spans: Span[] = [];
  let start = from;
  for (const end of [...cuts, to]) {
    const span = trim(text, start, end);
    if (span) spans.push(span);
    start = end;
  }
  return spans;
}

function trim(text: string, start: number, end: number): Span | undefined {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return start < end ? { start, end } : undefined;
}

// Cutting a sentence that does not fit. Cut points, strongest first: sentence ends inside quotes or
// brackets; ; ；; , ， 、 ： and ": "; spaces; grapheme boundaries (so never inside a surrogate pair).
// No level cuts inside a verbatim span (a span counts as one character). A level splits the text into
// units; consecutive units are grouped into the fewest pieces that fit, and among those the most
// balanced (least sum of squared lengths). A unit that does not fit on its own is cut at the next level.
const after = (re: RegExp) => (text: string) => [...text.matchAll(re)].map((m) => m.index + m[0].length);
const LEVELS: ((text: string, inVerbatim: Uint8Array) => number[])[] = [
  (text, inVerbatim) => sentenceEnds(text, inVerbatim, false),
  after(new RegExp(`[;；][${CLOSERS}]*`, 'g')),
  after(new RegExp(`(?:[,，、：]|:(?=\\s))[${CLOSERS}]*`, 'g')),
  (text) => [...text.matchAll(/\s+/g)].map((m) => m.index),
  (text) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index),
];

export function cutSentence(text: string, fits: (piece: string) => boolean): Span[] {
  const verbatim = findVerbatim(text);
  const inVerbatim = mask(verbatim, text.length, 0);
  const noCut = mask(verbatim, text.length, 1);
  const points: number[][] = []; // per level, computed on first use
  const cut = (span: Span, level: number): Span[] => {
    if (level === LEVELS.length || fits(text.slice(span.start, span.end))) return [span];
    points[level] ??= LEVELS[level](text, inVerbatim).filter((p) => !noCut[p]);
    const units = between(
      text,
      points[level].filter((p) => p > span.start && p < span.end),
      span.start,
      span.end,
    );
    if (units.length < 2) return cut(span, level + 1);
    return group(text, units, fits).flatMap((piece) => cut(piece, level + 1));
  };
  const whole = trim(text, 0, text.length);
  return whole ? cut(whole, 0) : [];
}

/** Fewest, then most balanced, runs of consecutive units that fit; a unit alone is always allowed. */
function group(text: string, units: Span[], fits: (piece: string) => boolean): Span[] {
  const best = [{ count: 0, cost: 0, from: -1 }]; // best[i]: the best grouping of units[0, i)
  for (let i = 1; i <= units.length; i++) {
    best[i] = { count: Infinity, cost: Infinity, from: -1 };
    for (let j = i - 1; j >= 0; j--) {
      const start = units[j].start;
      const end = units[i - 1].end;
      if (j < i - 1 && !fits(text.slice(start, end))) break; // a longer run would not fit either
      const count = best[j].count + 1;
      const cost = best[j].cost + (end - start) ** 2;
      if (count < best[i].count || (count === best[i].count && cost < best[i].cost)) best[i] = { count, cost, from: j };
    }
  }
  const pieces: Span[] = [];
  for (let i = units.length; i > 0; i = best[i].from)
    pieces.unshift({ start: units[best[i].from].start, end: units[i - 1].end });
  return pieces;
}
