// The shipped models (model-artifacts/<direction>) read and write the tokens the serving tokenizers make: every
// token the English tokenizer makes of everyday text is in the model's English vocabulary. The first en-ja model
// failed this: it was trained on corpus lines tokenized a second time, which split "'m" into "'" and "m", so every
// contraction a user typed reached it as <unk>.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/core/artifact.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import { Vocab } from '../../src/core/vocab.js';

const EVERYDAY =
  "I'm sure you're right, but it's late and I don't think we'll go. They've said he'd come; can't you wait?";
const shipped = ['en-ja', 'ja-en']
  .map((direction) => join('model-artifacts', direction))
  .filter((dir) => existsSync(join(dir, 'manifest.json')));

describe.each(shipped)('%s', (dir) => {
  it('knows every token the English tokenizer makes of everyday text', () => {
    const manifest = validateManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const english = manifest.source.lang === 'en' ? manifest.source : manifest.target;
    const vocab = Vocab.parse(readFileSync(join(dir, english.vocab), 'utf8'));
    const tokens = getTokenizer('english').tokenize(EVERYDAY);
    expect(tokens).toContain("'m");
    expect(tokens.filter((token) => !vocab.has(token))).toEqual([]);
  });
});
