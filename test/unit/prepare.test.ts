// The data as the model reads it (train/prepare.ts), on the tiny corpus: pieces with --bpe-merges, and a resumed
// run reads the corpus exactly as the run it continues did.
import { describe, expect, it } from 'vitest';
import { CONTINUES } from '../../src/core/tokenize/subwords.js';
import type { Progress } from '../../train/checkpoint.js';
import { UsageError } from '../../train/cli.js';
import { parseFlags } from '../../train/config.js';
import { prepareData, type TrainingData } from '../../train/prepare.js';

const TINY = ['--data', 'test/fixtures/tiny'];
const tokensOf = (data: TrainingData) => data.vocabs.target.toText().trim().split('\n');

/** What a checkpoint keeps of the data (train/train.ts's Progress), for a resumed prepareData. */
function resumedFrom(data: TrainingData): Progress {
  return {
    sourceVocab: data.vocabs.source.toText(),
    targetVocab: data.vocabs.target.toText(),
    ...(data.subwords.source && { sourceSubwords: data.subwords.source.toText() }),
    ...(data.subwords.target && { targetSubwords: data.subwords.target.toText() }),
  } as Progress;
}

describe('prepareData', () => {
  it('reads whole words without --bpe-merges, and every training pair fits maxLength', async () => {
    const data = await prepareData(parseFlags(TINY));
    expect(data.subwords).toEqual({});
    expect(data.pairs.length + data.dropped).toBe(data.corpus.splits.train.lines);
    expect(data.dev.text.length).toBe(data.corpus.splits.dev.lines);
    expect(data.vocabs.source.has('i')).toBe(true);
    expect(tokensOf(data).some((t) => t.endsWith(CONTINUES))).toBe(false);
  });

  it('with --bpe-merges, reads pieces and resumes with the same merges, vocabularies and pairs', async () => {
    const config = parseFlags([...TINY, '--bpe-merges', '60']);
    const data = await prepareData(config);
    expect(data.subwords.source?.merges.length).toBe(60);
    expect(tokensOf(data).some((t) => t.endsWith(CONTINUES))).toBe(true);
    const resumed = await prepareData({ ...config, bpeMerges: 0 }, resumedFrom(data)); // the checkpoint's merges count
    expect(resumed.subwords.source?.toText()).toBe(data.subwords.source?.toText());
    expect(resumed.vocabs.target.toText()).toBe(data.vocabs.target.toText());
    expect(resumed.pairs).toEqual(data.pairs);
    expect(resumed.devPairs).toEqual(data.devPairs);
  });

  it('names the language it has no tokenizer for', async () => {
    await expect(prepareData(parseFlags([...TINY, '--src', 'fr']))).rejects.toThrow(
      new UsageError('no source tokenizer for language "fr" (known: en, ja)'),
    );
    await expect(prepareData(parseFlags([...TINY, '--tgt', 'de']))).rejects.toThrow(
      /no target tokenizer for language "de"/,
    );
  });
});
