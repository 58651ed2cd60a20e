// Japanese register (DeepL's "formality" for JA): polite (です/ます form, "more") or plain (だ/る form, "less").
// One rule decides it for training and for measuring outputs, on the text without spaces:
// - polite when it has a polite auxiliary or its forms: です, でした, でしょう, ます, ました, ません, ましょう, ませ(ん),
//   or a polite request or set phrase: ください / 下さい, ございます, いらっしゃい;
// - plain otherwise (だ, である, the dictionary or た form of a verb, an adjective alone, a noun alone).
// A text that mixes both (a polite sentence quoting a plain one) counts as polite: its reader hears the polite one.
//
// A model trained with register tags (train/augment.ts) reads its source after one of REGISTER_TAGS: the register of
// the reference it was trained to produce.

export type Register = 'polite' | 'plain';

export const REGISTER_TAGS: Record<Register, string> = { polite: '<polite>', plain: '<plain>' };

/**
 * Where a source carries its tag: `first`, before its words; `around`, before and after them, so that a left-to-right
 * encoder's final state, which starts the decoder, has just read it (train/augment.ts; a manifest's source.registerTag).
 */
export const TAG_PLACEMENTS = ['first', 'around'] as const;
export type TagPlacement = (typeof TAG_PLACEMENTS)[number];

export const withRegisterTag = (ids: number[], tag: number, placement: TagPlacement): number[] =>
  placement === 'around' ? [tag, ...ids, tag] : [tag, ...ids];

/** An attention row over a source tagged by withRegisterTag, without the tag's columns: a row over its words. */
export const withoutTagColumns = (row: Float32Array, placement: TagPlacement): Float32Array =>
  row.subarray(1, placement === 'around' ? -1 : undefined);

/**
 * The narrowest search of a request that asks a register: the tag makes the model lean to it, not always enough, and
 * a wider beam holds more outputs in the register for inRegisterFirst to choose from (dev, en-ja: `more` 85.0% polite
 * at beam 4, 92.6% at 8; docs/quality.md).
 */
export const REGISTER_BEAM = 8;

/**
 * How wide a source is searched again when none of its outputs at REGISTER_BEAM is in the asked register (dev, en-ja
 * ensemble: `more` 93.8% polite -> 97.4%; the other 94% of sentences pay nothing).
 */
export const REGISTER_WIDE_BEAM = 16;

const POLITE = /です|でした|でしょう|ます|ました|ません|ましょう|ませ|下さい|ください|ございます|いらっしゃい/u;

export function registerOf(japanese: string): Register {
  return POLITE.test(japanese.replace(/\s+/gu, '')) ? 'polite' : 'plain';
}

/**
 * `items` with those whose text is in `register` first, each group in its order: the beam's outputs, ranked for a
 * request that asks a register, since they often hold the asked form where the best one has not.
 */
export function inRegisterFirst<T>(items: T[], textOf: (item: T) => string, register: Register): T[] {
  const asked = items.map((item) => registerOf(textOf(item)) === register);
  return [...items.filter((_, i) => asked[i]), ...items.filter((_, i) => !asked[i])];
}

/**
 * DeepL's `formality`: `more` (polite) and `less` (plain) for a target that has registers, refused for one that has
 * not; `prefer_more` and `prefer_less` ask the same, and fall back to the default where there is no choice.
 */
export const FORMALITIES = ['default', 'more', 'less', 'prefer_more', 'prefer_less'] as const;
export type Formality = (typeof FORMALITIES)[number];

/** `more` or `less` asked of a model without registers; the message names it. */
export class FormalityError extends Error {}

/** The register a model that `supports` registers (or not: `model` names it) is asked for, if any. */
export function registerFor(formality: Formality | undefined, supports: boolean, model: string): Register | undefined {
  if (!formality || formality === 'default') return undefined;
  const register = formality.endsWith('more') ? 'polite' : 'plain';
  if (supports) return register;
  if (formality.startsWith('prefer_')) return undefined;
  throw new FormalityError(
    `formality "${formality}" is only for Japanese output of a model trained with registers; ${model} has none`,
  );
}
