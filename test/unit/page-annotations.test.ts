// The page marks what came through by rule (src/page/browser/annotation-marks.ts): where each sentence's annotations are
// in the document's translation.
import { expect, it } from 'vitest';
import type { Annotation } from '../../src/core/annotation.js';
import { marksOf } from '../../src/page/browser/annotation-marks.js';

const sentence = (start: number, end: number, annotations: Annotation[]) => ({
  source: { start: 0, end: 0 },
  target: { start, end },
  translation: '',
  tokens: [],
  score: 0,
  unknownWords: [],
  model: 'm',
  annotations,
});

it('marks each annotation inside its own sentence, in text order, titled with the source', () => {
  const translation = '会議は午後3時30分です。詳細は https://a.example/x を参照。';
  const marks = marksOf({
    translation,
    sentences: [
      sentence(0, 13, [{ kind: 'entity', source: '3:30 pm', target: '午後3時30分' }]),
      sentence(13, translation.length, [
        { kind: 'verbatim', source: 'https://a.example/x', target: 'https://a.example/x' },
      ]),
    ],
  });
  expect(marks.map((m) => [translation.slice(m.start, m.end), m.kind, m.title])).toEqual([
    ['午後3時30分', 'entity', 'entity: 3:30 pm → 午後3時30分'],
    ['https://a.example/x', 'verbatim', 'verbatim: https://a.example/x'],
  ]);
});

it('never marks the same characters twice, nor a target outside its sentence or missing', () => {
  const translation = '5ドルと5ドル。5ドル。';
  const five: Annotation = { kind: 'entity', source: '$5', target: '5ドル' };
  const marks = marksOf({
    translation,
    sentences: [
      sentence(0, 8, [five, five, five, { kind: 'glossary', source: 'x', target: '無い' }]),
      sentence(8, 12, []),
    ],
  });
  expect(marks.map((m) => [m.start, m.end])).toEqual([
    [0, 3],
    [4, 7],
  ]);
});
