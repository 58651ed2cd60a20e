// A joint-sequence ("graphone") transliteration model, as in Bisani & Ney's Sequitur and Novak's Phonetisaurus: a
// word pair is a sequence of graphones, each a chunk of English letters with the chunk of katakana it is written as
// (m-i -> ミ, ch -> ッチ, ael -> エル); an n-gram model over graphones gives P(English, katakana) jointly, so the
// same model transliterates both ways: English -> katakana searches the katakana given the letters, katakana ->
// English the letters given the katakana. train/names/joint-training.ts learns the chunks (EM alignment) and the
// n-grams (Kneser-Ney, backoff form); this file reads its format and searches.
//
// Rules of the search:
// - the input is cut into chunks the model knows, left to right; every chunk has at least one unit on each side (no
//   insertions), so an input of n units takes at most n graphones;
// - a hypothesis's state is its last order-1 graphones, cut to the longest suffix the model has as a context, and
//   hypotheses with the same state and position are merged (the better kept);
// - at most `beam` hypotheses are extended from each input position; the best complete one, with the end-of-word
//   graphone's probability, wins. No complete hypothesis (a letter no chunk covers): undefined.
//
// Text format (one string, so that the Worker, Node and the page import it as a module; read once, in tens of ms):
//   line 1: "jsm2 <order> <quantisation> <start state>"; line 2: the graphones, "<letters> <kana>" joined by "|", ids 2
//   onwards (id 0 ends a word, id 1 starts it); line 3: base64 of little-endian arrays, S states and T transitions:
//   u32 S, u32 T, u16 transitions of each state [S], u16 shorter state [S], u16 graphone [T], u16 next state [T],
//   u8 backoff [S], u8 ln P [T] (u8 values are round(-x * quantisation)).

const END = 0; // graphone ids: 0 ends a word, 1 starts it, the inventory's from 2
const SMALL_KANA = /[ァィゥェォャュョヮ]/u;

export type Side = 'en' | 'ja';

interface Hypothesis {
  score: number; // ln P of the graphones so far
  state: number; // the context the next graphone is conditioned on
  output: string;
}

export class JointSequenceModel {
  // States are the model's contexts (state 0 the empty one); state s's transitions are first[s] .. first[s + 1] - 1
  // of the transition arrays, sorted by graphone. ln P and ln backoff are stored as round(-x * quantisation).
  private readonly first: Uint32Array;
  private readonly shorter: Uint16Array; // the state of the context without its first graphone (0xffff: none)
  private readonly backoff: Uint8Array;
  private readonly graphone: Uint16Array;
  private readonly to: Uint16Array;
  private readonly logp: Uint8Array;
  private readonly q: number;
  private readonly chunks: Record<Side, Map<string, { graphone: number; other: string }[]>> = {
    en: new Map(),
    ja: new Map(),
  };
  private readonly longest: Record<Side, number> = { en: 0, ja: 0 };
  private readonly start: number;

  constructor(text: string) {
    const [header, graphones, base64] = text.split('\n') as [string, string, string];
    const [magic, , quantisation, start] = header.split(' ');
    if (magic !== 'jsm2' || base64 === undefined) throw new Error('not a joint-sequence model (jsm2)');
    this.q = Number(quantisation);
    graphones.split('|').forEach((graphone, i) => {
      const [en, ja] = graphone.split(' ') as [string, string];
      this.index('en', en, 2 + i, ja, en.length);
      this.index('ja', ja, 2 + i, en, kanaUnits(ja).length);
    });
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const u32 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    const S = u32(0);
    const T = u32(4);
    let at = 8;
    const u16s = (n: number): Uint16Array => {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++, at += 2) out[i] = bytes[at]! | (bytes[at + 1]! << 8);
      return out;
    };
    const counts = u16s(S);
    this.first = new Uint32Array(S + 1);
    for (let s = 0; s < S; s++) this.first[s + 1] = this.first[s]! + counts[s]!;
    this.shorter = u16s(S);
    this.graphone = u16s(T);
    this.to = u16s(T);
    this.backoff = bytes.subarray(at, (at += S));
    this.logp = bytes.subarray(at, (at += T));
    if (at !== bytes.length || this.first[S] !== T) throw new Error('a joint-sequence model of the wrong length');
    this.start = Number(start);
  }

  private index(side: Side, chunk: string, graphone: number, other: string, units: number): void {
    const list = this.chunks[side].get(chunk) ?? [];
    list.push({ graphone, other });
    this.chunks[side].set(chunk, list);
    this.longest[side] = Math.max(this.longest[side], units);
  }

  /**
   * The most likely spelling on the other side of `input`: katakana for folded English letters (side 'en'), English
   * letters for katakana (side 'ja'); undefined when no chunking of `input` exists.
   */
  transliterate(input: string, from: Side, beam = 8): string | undefined {
    const units = from === 'ja' ? kanaUnits(input) : [...input];
    const table = this.chunks[from];
    const at: Map<number, Hypothesis>[] = [];
    for (let i = 0; i <= units.length; i++) at.push(new Map());
    at[0]!.set(this.start, { score: 0, state: this.start, output: '' });
    for (let i = 0; i < units.length; i++) {
      const best = [...at[i]!.values()].sort((a, b) => b.score - a.score).slice(0, beam);
      for (let n = 1; n <= this.longest[from] && i + n <= units.length; n++) {
        const next = at[i + n]!;
        for (const { graphone, other } of table.get(units.slice(i, i + n).join('')) ?? []) {
          for (const hyp of best) {
            const step = this.step(hyp.state, graphone);
            const score = hyp.score + step.logp;
            const old = next.get(step.to);
            if (!old || old.score < score) next.set(step.to, { score, state: step.to, output: hyp.output + other });
          }
        }
      }
    }
    let winner: Hypothesis | undefined;
    for (const hyp of at[units.length]!.values()) {
      const score = hyp.score + this.step(hyp.state, END).logp;
      if (!winner || score > winner.score) winner = { ...hyp, score };
    }
    return winner?.output;
  }

  /** ln P(graphone | state) by backoff, and the state after it. */
  private step(state: number, graphone: number): { logp: number; to: number } {
    let penalty = 0;
    for (let s = state; s !== 0xffff; s = this.shorter[s]!) {
      let lo = this.first[s]!;
      let hi = this.first[s + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.graphone[mid]! < graphone) lo = mid + 1;
        else hi = mid;
      }
      if (lo < this.first[s + 1]! && this.graphone[lo] === graphone)
        return { logp: penalty - this.logp[lo]! / this.q, to: this.to[lo]! };
      penalty -= this.backoff[s]! / this.q;
    }
    return { logp: -100, to: 0 }; // not in the inventory (a corrupt model)
  }
}

/** Katakana cut into units a chunk may hold: a kana with the small kana after it (ジョ, ティ), ー, ッ, ン alone. */
export function kanaUnits(kana: string): string[] {
  const units: string[] = [];
  for (const ch of kana) {
    if (SMALL_KANA.test(ch) && units.length > 0) units[units.length - 1] += ch;
    else units.push(ch);
  }
  return units;
}
