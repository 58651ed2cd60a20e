// Examples of the API's requests and responses, for the OpenAPI document (GET /openapi.json) and so the API reference
// (GET /docs), whose "Test Request" starts from them. Each is attached to its schema where the schema is defined
// (`.openapi('Name', { example })`); test/worker/openapi.test.ts checks that every operation has them, that each
// validates against its schema, and that each request example is answered with a 2xx. The responses are real ones
// of the shipped models, shortened.
import type { Annotation } from '../core/annotation.js';

const MODEL = 'en-ja@20261208T022023Z-4fba7527.en0aad96';

const sentence = (
  source: [number, number],
  target: [number, number],
  translation: string,
  tokens: string[],
  score: number,
  annotations: Annotation[] = [],
  model = MODEL,
) => ({
  source: { start: source[0], end: source[1] },
  target: { start: target[0], end: target[1] },
  translation,
  tokens,
  score,
  unknownWords: [],
  annotations,
  model,
});

const TEA = ['私', 'は', '青', 'い', 'お', '茶', 'が', '好き', 'で', 'す', '。'];
const SHOP = ['その', '店', 'は', '午前10時', 'を', '開', 'き', 'ま', 'す', '。'];
const TEN_AM: Annotation = { kind: 'entity', source: '10 am', target: '午前10時' };

/** POST /translate with one text: its sentences, each with its own translation and what came through by rule. */
const translation = {
  translation: '私は青いお茶が好きです。その店は午前10時を開きます。',
  tokens: [...TEA, ...SHOP],
  score: -10.34,
  unknownWords: [],
  annotations: [TEN_AM],
  model: MODEL,
  sentences: [
    sentence([0, 17], [0, 12], '私は青いお茶が好きです。', TEA, -6.08),
    sentence([18, 42], [12, 27], 'その店は午前10時を開きます。', SHOP, -4.26, [TEN_AM]),
  ],
};

const GLOSSARY_ID = 'def3a26b-3e84-45b3-84ae-0c0aaf3525f7';
const CREATED = '2026-12-01T12:00:00.000Z';
const dictionary = { source_lang: 'en', target_lang: 'ja', entries: 'green tea\t緑茶', entries_format: 'tsv' };
const v2Glossary = {
  glossary_id: GLOSSARY_ID,
  name: 'Tea',
  ready: true,
  source_lang: 'en',
  target_lang: 'ja',
  creation_time: CREATED,
  entry_count: 1,
};
const v3Glossary = {
  glossary_id: GLOSSARY_ID,
  name: 'Tea',
  dictionaries: [{ source_lang: 'en', target_lang: 'ja', entry_count: 1 }],
  creation_time: CREATED,
};

const DOCUMENT_ID = '04DE5AD98A02647D83285A36021911C6';
const DOCUMENT_KEY = '0CB0054F1C132C1625B392EADDA41CB754A742822F6877173029A6C487E7F60A';

const teaOnly = {
  ...translation,
  translation: '私は青いお茶が好きです。',
  tokens: TEA,
  score: -6.08,
  annotations: [],
  sentences: [translation.sentences[0]],
};

export const EXAMPLES = {
  translateRequest: { text: 'I like green tea. The shop opens at 10 am.', beam: 4, direction: 'auto' },
  translation,
  translations: { translations: [teaOnly] },
  health: {
    status: 'ok',
    models: { 'en-ja': MODEL, 'ja-en': 'ja-en@20261207T235739Z-9fa01223.en7ffa2e' },
    tensors: 16,
    wasmHeapBytes: 16777216,
    modelMemoryBytes: 14417920,
  },
  models: {
    models: [
      {
        direction: 'en-ja',
        version: MODEL.split('@')[1],
        model: MODEL,
        createdAt: '2026-11-29T10:49:00.594Z',
        source: { lang: 'en', tokenizer: 'english', maxLength: 50 },
        target: { lang: 'ja', tokenizer: 'japanese-spaced', maxLength: 50 },
        hyperParameters: {
          embeddingDim: 256,
          hiddenDim: 256,
          attention: true,
          parameters: 4326564,
          quantization: 'uint8',
        },
        metrics: { devBleu: 31.71, devBleuBeam4: 33.92, ensembleDevBleuBeam4: 37.21 },
        training: { epochs: 21, wallTimeSeconds: 6570, machine: '2 cores, Node v20.20.2, tfjs 4.22.0 (wasm)' },
        ensemble: [
          {
            version: '20261201T193528Z-64dd5c0e',
            hyperParameters: { bidirectional: true, parameters: 4195492 },
            metrics: { devBleu: 31.02 },
          },
        ],
      },
    ],
    loaded: [{ direction: 'en-ja', version: MODEL.split('@')[1], ready: true, holders: 1, retired: false }],
    tensors: 16,
  },
  deeplTranslateRequest: { text: ['I like green tea.'], target_lang: 'JA' },
  deeplTranslations: { translations: [{ detected_source_language: 'EN', text: '私は青いお茶が好きです。' }] },
  deeplLanguages: [
    { language: 'EN-GB', name: 'English (British)', supports_formality: false },
    { language: 'EN-US', name: 'English (American)', supports_formality: false },
    { language: 'JA', name: 'Japanese', supports_formality: true },
  ],
  deeplLanguagesRequest: { type: 'target' },
  deeplUsage: { character_count: 293, character_limit: 1000000000000 },
  libreTranslateRequest: { q: ['I like green tea.'], source: 'en', target: 'ja' },
  libreTranslation: { translatedText: '私は青いお茶が好きです。' },
  libreLanguages: [
    { code: 'en', name: 'English', targets: ['ja'] },
    { code: 'ja', name: 'Japanese', targets: ['en'] },
  ],
  glossaryPairs: {
    supported_languages: [
      { source_lang: 'en', target_lang: 'ja' },
      { source_lang: 'ja', target_lang: 'en' },
    ],
  },
  glossaryCreate: { name: 'Tea', ...dictionary },
  glossary: v2Glossary,
  glossaries: { glossaries: [v2Glossary] },
  multilingualGlossaryCreate: { name: 'Tea', dictionaries: [dictionary] },
  multilingualGlossaryPatch: { name: 'Tea and coffee', dictionaries: [{ ...dictionary, entries: 'coffee\tコーヒー' }] },
  multilingualGlossary: v3Glossary,
  multilingualGlossaries: { glossaries: [v3Glossary] },
  dictionary,
  dictionaryInfo: { source_lang: 'en', target_lang: 'ja', entry_count: 1 },
  glossaryEntries: { dictionaries: [dictionary] },
  documentHandle: { document_id: DOCUMENT_ID, document_key: DOCUMENT_KEY },
  documentKey: { document_key: DOCUMENT_KEY },
  documentStatus: { document_id: DOCUMENT_ID, status: 'done', seconds_remaining: 0, billed_characters: 1337 },
  libreFile: {
    translatedFileUrl: `http://127.0.0.1:8787/libretranslate/download_file/${DOCUMENT_ID}.${DOCUMENT_KEY}.bG9jYWw/notes.docx`,
  },
  libreFileToken: `${DOCUMENT_ID}.${DOCUMENT_KEY}.bG9jYWw`,
};
