// Token <-> id mapping. The text form (one token a line, line number = id) is the vocab file of an artifact,
// written by train/ and parsed by the Worker, so this module uses no fs.
import { SPECIAL_TOKENS, SPECIAL_TOKEN_TEXT } from './artifact.js';

export interface VocabBuildOptions {
  maxSize?: number; // most ids to hand out, special tokens included (>= 4); default: every token
  minCount?: number; // drop tokens seen fewer times than this; default 1
}

export class VocabError extends Error {}

export class Vocab {
  private readonly ids: Map<string, number>;

  private constructor(private readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((token, id) => [token, id]));
  }

  /** Special tokens first, then by count (most frequent first), ties by code point order: deterministic. */
  static build(sentences: string[][], options: VocabBuildOptions = {}): Vocab {
    const { maxSize = Infinity, minCount = 1 } = options;
    if (!(maxSize >= SPECIAL_TOKEN_TEXT.length)) {
      throw new VocabError(
        `maxSize must be at least ${SPECIAL_TOKEN_TEXT.length} (the special tokens), got ${maxSize}`,
      );
    }
    const counts = countTokens(sentences);
    const ranked = [...counts]
      .filter(([, count]) => count >= minCount)
      .sort(([a, ca], [b, cb]) => cb - ca || compareCodePoints(a, b))
      .map(([token]) => token);
    return new Vocab([...SPECIAL_TOKEN_TEXT, ...ranked.slice(0, maxSize - SPECIAL_TOKEN_TEXT.length)]);
  }

  /** Reads the text form; a trailing newline is allowed. */
  static parse(text: string): Vocab {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    SPECIAL_TOKEN_TEXT.forEach((special, id) => {
      if (lines[id] !== special) {
        throw new VocabError(
          `vocab line ${id + 1} must be the special token "${special}", found ${JSON.stringify(lines[id] ?? '(end of file)')}`,
        );
      }
    });
    const seen = new Map<string, number>();
    lines.forEach((token, id) => {
      if (token === '' || /\s/.test(token)) {
        throw new VocabError(
          `vocab line ${id + 1} ${token === '' ? 'is empty' : `has whitespace in token ${JSON.stringify(token)}`}`,
        );
      }
      const first = seen.get(token);
      if (first !== undefined)
        throw new VocabError(`vocab line ${id + 1}: token ${JSON.stringify(token)} already on line ${first + 1}`);
      seen.set(token, id);
    });
    return new Vocab(lines);
  }

  /** This vocabulary with `tokens` it lacks appended (ids after every existing one, so existing ids keep their meaning). */
  withTokens(tokens: string[]): Vocab {
    const missing = [...new Set(tokens)].filter((token) => !this.ids.has(token));
    return missing.length ? Vocab.parse([...this.tokens, ...missing].join('\n')) : this;
  }

  toText(): string {
    return this.tokens.join('\n') + '\n';
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of a token, or the id of <unk> for a token not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? SPECIAL_TOKENS.unk;
  }

  token(id: number): string {
    const token = this.tokens[id];
    if (token === undefined) throw new VocabError(`token id ${id} is outside the vocabulary (size ${this.size})`);
    return token;
  }

  encode(tokens: string[]): number[] {
    return tokens.map((token) => this.id(token));
  }
}

/** Occurrences of every token; the special tokens already have their ids, so they are not counted. */
function countTokens(sentences: string[][]): Map<string, number> {
  const specials = new Set<string>(SPECIAL_TOKEN_TEXT);
  const counts = new Map<string, number>();
  sentences.forEach((sentence, n) => {
    for (const token of sentence) {
      if (specials.has(token)) continue;
      const count = counts.get(token);
      if (count === undefined && (token === '' || /\s/.test(token))) {
        throw new VocabError(`sentence ${n + 1} has an empty or whitespace token: ${JSON.stringify(token)}`);
      }
      counts.set(token, (count ?? 0) + 1);
    }
  });
  return counts;
}

/** String order by Unicode code point (plain `<` compares UTF-16 units, which misorders astral characters). */
function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length;) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}
