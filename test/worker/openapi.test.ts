// GET /openapi.json describes every route, the native API's and the DeepL and LibreTranslate faces', and the Worker's
// actual responses (successes and errors) validate against the schemas it documents for them (a JSON Schema 2020-12
// validator that runs inside workerd: no eval).
import { Validator, type Schema } from '@cfworker/json-schema';
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { LIMITS } from '../../src/http/schemas.js';
import { WITH_FRENCH } from './faces.js';
import { knownSentence, post, seedVersion, url } from './seed.js';

type Json = Record<string, any>; // the parsed document; its shape is what the test checks
let doc: Json;
let sentence: string;

beforeAll(async () => {
  sentence = knownSentence((await seedVersion('openapi-v1')).sourceWords);
  await seedVersion('openapi-v1', { direction: 'ja-en' });
  const res = await SELF.fetch(url('/openapi.json'));
  expect(res.status).toBe(200);
  doc = await res.json();
});

/** The face of a path, its operations' tag and the component schema of its errors; undefined for the native API. */
const FACES = [
  { prefix: '/v2/glossar', tag: 'DeepL glossaries', error: 'DeepLError' },
  { prefix: '/v2/', tag: 'DeepL API v2', error: 'DeepLError' },
  { prefix: '/v3/', tag: 'DeepL glossaries', error: 'DeepLError' },
  { prefix: '/libretranslate/', tag: 'LibreTranslate', error: 'LibreTranslateError' },
];
const faceOf = (path: string) => FACES.find((face) => path.startsWith(face.prefix));
const NATIVE = 'Edge translator API'; // the tag of every other operation

function operationOf(path: string, method: string): Json {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return operation;
}

/** A documented schema, with the components its "#/components/..." references resolve against. */
const withComponents = (schema: Json): Schema => ({ ...schema, components: doc.components });

/** The documented schema of `status` for an operation; the `default` (error) response when the status is not listed. */
function responseSchema(path: string, method: string, status: number, type = 'application/json'): Schema {
  const operation = operationOf(path, method);
  let response = operation.responses[String(status)] ?? operation.responses.default;
  if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
  const schema = response.content?.[type]?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} documents no ${type} body`);
  return withComponents(schema);
}

function requestSchema(path: string, method: string, type = 'application/json'): Schema {
  const schema = operationOf(path, method).requestBody?.content?.[type]?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no ${type} request body`);
  return withComponents(schema);
}

async function expectDocumented(path: string, method: string, res: Response): Promise<Json> {
  const body = await res.json<Json>();
  const result = new Validator(responseSchema(path, method, res.status), '2020-12').validate(body);
  expect(result.errors, `${method.toUpperCase()} ${path} ${res.status}: ${JSON.stringify(body).slice(0, 300)}`).toEqual(
    [],
  );
  return body;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of every route of the app', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/',
      '/docs',
      '/openapi.json',
      '/translate',
      '/health',
      '/models',
      '/models/{direction}/files/{path}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/translate'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('describes the request fields the validators accept, with their limits', () => {
    const request = doc.components.schemas.TranslateRequest;
    expect(Object.keys(request.properties)).toEqual(
      expect.arrayContaining(['text', 'texts', 'beam', 'direction', 'nbest', 'alignment', 'replaceUnknown']),
    );
    expect(request.properties.beam).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(request.additionalProperties).toBe(false);
    expect(doc.components.schemas.Alignment.properties.weights).toBeDefined();
  });

  it("gives every native operation the native error shape as its default response, and every face operation its face's", () => {
    for (const [path, item] of Object.entries(doc.paths) as [string, Json][]) {
      const face = faceOf(path);
      for (const operation of Object.values(item) as Json[]) {
        if (face)
          expect(operation.responses.default.content['application/json'].schema, path).toEqual({
            $ref: `#/components/schemas/${face.error}`,
          });
        else expect(operation.responses.default, path).toEqual({ $ref: '#/components/responses/Error' });
      }
    }
  });

  it('documents every path of the DeepL and LibreTranslate faces, tagged by face', () => {
    const operations: Record<string, string[]> = {
      '/v2/translate': ['post'],
      '/v2/languages': ['get', 'post'],
      '/v2/usage': ['get', 'post'],
      '/libretranslate/translate': ['post'],
      '/libretranslate/languages': ['get'],
      '/v2/glossary-language-pairs': ['get'],
      '/v2/glossaries': ['post', 'get'],
      '/v2/glossaries/{glossary_id}': ['get', 'delete'],
      '/v2/glossaries/{glossary_id}/entries': ['get'],
      '/v3/glossaries': ['post', 'get'],
      '/v3/glossaries/{glossary_id}': ['get', 'patch', 'delete'],
      '/v3/glossaries/{glossary_id}/dictionaries': ['put', 'delete'],
      '/v3/glossaries/{glossary_id}/entries': ['get'],
    };
    expect(Object.keys(doc.paths).filter(faceOf)).toEqual(expect.arrayContaining(Object.keys(operations)));
    for (const [path, methods] of Object.entries(operations)) {
      expect(Object.keys(doc.paths[path]), path).toEqual(methods);
      for (const method of methods)
        expect(doc.paths[path][method].tags, `${method} ${path}`).toEqual([faceOf(path)?.tag]);
    }
    expect(doc.tags.map((tag: Json) => tag.name).sort()).toEqual(
      [NATIVE, ...new Set(FACES.map((face) => face.tag))].sort(),
    );
    expect(doc.tags[0].name).toBe(NATIVE); // the native API first
    for (const [path, item] of Object.entries(doc.paths) as [string, Json][]) {
      if (!faceOf(path))
        for (const operation of Object.values(item) as Json[]) expect(operation.tags, path).toEqual([NATIVE]);
    }
  });

  it("describes the faces' request fields in JSON and form encoding, from the schemas their routes validate with", () => {
    for (const path of ['/v2/translate', '/libretranslate/translate']) {
      const { required, content } = operationOf(path, 'post').requestBody;
      expect(required).toBe(true);
      expect(Object.keys(content)).toEqual(
        expect.arrayContaining(['application/json', 'application/x-www-form-urlencoded']),
      );
    }
    const deepl = doc.components.schemas.DeepLTranslateRequest;
    expect(deepl.required).toEqual(['text', 'target_lang']);
    expect(deepl.properties.text).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: LIMITS.batch,
      items: { maxLength: LIMITS.textChars },
    });
    expect(doc.components.schemas.LibreTranslateRequest.required).toEqual(['q', 'target']);
    expect(operationOf('/v2/languages', 'get').parameters).toEqual([
      expect.objectContaining({ name: 'type', in: 'query' }),
    ]);
    expect(Object.keys(operationOf('/v2/languages', 'post').requestBody.content)).toContain(
      'application/x-www-form-urlencoded',
    );
  });

  it('accepts the request bodies the faces take, and refuses what they refuse', () => {
    const deepl = new Validator(requestSchema('/v2/translate', 'post'), '2020-12');
    expect(deepl.validate({ text: [sentence], source_lang: 'EN', target_lang: 'ja' }).errors).toEqual([]);
    expect(deepl.validate({ text: [sentence], target_lang: 'EN-US' }).errors).toEqual([]);
    const options = {
      tag_handling: 'xml',
      ignore_tags: 'raw',
      splitting_tags: ['par'],
      outline_detection: '0',
      split_sentences: 'nonewlines',
      formality: 'prefer_less',
      show_billed_characters: true,
    };
    expect(deepl.validate({ text: [sentence], target_lang: 'JA', ...options }).errors).toEqual([]);
    expect(deepl.validate({ text: [sentence], target_lang: 'JA', tag_handling: 'markdown' }).valid).toBe(false);
    expect(deepl.validate({ text: [sentence], target_lang: 'JA', split_sentences: 'invalid' }).valid).toBe(false);
    expect(deepl.validate({ text: [sentence], target_lang: 'JA', formality: 'invalid' }).valid).toBe(false);
    expect(deepl.validate({ text: [], target_lang: 'JA' }).valid).toBe(false);
    const libre = new Validator(
      requestSchema('/libretranslate/translate', 'post', 'application/x-www-form-urlencoded'),
      '2020-12',
    );
    expect(
      libre.validate({ q: [sentence], source: 'auto', target: 'ja', format: 'text', api_key: 'k' }).errors,
    ).toEqual([]);
    expect(libre.validate({ q: [sentence], target: 'ja', format: 'html' }).errors).toEqual([]);
    expect(libre.validate({ q: [sentence], target: 'ja', format: 'markdown' }).valid).toBe(false);
    expect(libre.validate({ q: [sentence], target: 'Japanese!' }).valid).toBe(false);
  });
});

describe('the Worker answers as documented', () => {
  it('(the validator does reject a body that differs from the schema)', () => {
    const validator = new Validator(responseSchema('/translate', 'post', 200), '2020-12');
    expect(
      validator.validate({ translation: 1, tokens: [], score: 0, unknownWords: [], model: 'm', sentences: [] }).valid,
    ).toBe(false);
    expect(validator.validate({ translation: '', tokens: [], score: 0, unknownWords: [], model: 'm' }).valid).toBe(
      false,
    );
    expect(
      validator.validate({
        translation: '',
        tokens: [],
        score: 0,
        unknownWords: [],
        annotations: [],
        model: 'm',
        sentences: [],
      }).valid,
    ).toBe(true);
    expect(
      validator.validate({
        translation: '',
        tokens: [],
        score: 0,
        unknownWords: [],
        annotations: [{ kind: 'pasted', source: 'a', target: 'a' }],
        model: 'm',
        sentences: [],
      }).valid,
    ).toBe(false);
  });

  it('POST /translate, single and batch, with n-best and alignment', async () => {
    const single = await expectDocumented(
      '/translate',
      'post',
      await SELF.fetch(post('/translate', { text: sentence, beam: 3, nbest: 3, alignment: true })),
    );
    expect(single.nbest).toHaveLength(3);
    expect(single.alignment.weights).toHaveLength(single.tokens.length);
    const batch = await expectDocumented(
      '/translate',
      'post',
      await SELF.fetch(post('/translate', { texts: [sentence, 'wa'], beam: 1 })),
    );
    expect(batch.translations).toHaveLength(2);
  });

  it('GET /translate, /health and /models', async () => {
    await expectDocumented(
      '/translate',
      'get',
      await SELF.fetch(url(`/translate?text=${encodeURIComponent(sentence)}&beam=1`)),
    );
    await expectDocumented('/health', 'get', await SELF.fetch(url('/health')));
    await expectDocumented('/models', 'get', await SELF.fetch(url('/models')));
  });

  it('errors: invalid fields, unknown fields, nbest over beam, bad JSON, wrong media type, unknown path and method', async () => {
    const cases: Array<[string, string, Request, number]> = [
      ['/translate', 'post', post('/translate', { text: sentence, beam: 0 }), 400],
      ['/translate', 'post', post('/translate', { text: sentence, colour: 'red' }), 400],
      ['/translate', 'post', post('/translate', { text: sentence, beam: 2, nbest: 3 }), 400],
      ['/translate', 'post', post('/translate', '{"text":'), 400],
      ['/translate', 'post', new Request(url('/translate'), { method: 'POST', body: 'text' }), 415],
      ['/translate', 'get', new Request(url('/translate?text=')), 400],
      ['/models/{direction}/files/{path}', 'get', new Request(url('/models/xx-yy/files/manifest.json')), 404],
      ['/models/{direction}/files/{path}', 'get', new Request(url('/models/en-ja/files/secret.bin')), 404],
      ['/health', 'get', new Request(url('/health'), { method: 'DELETE' }), 405],
    ];
    for (const [path, method, request, status] of cases) {
      const res = await SELF.fetch(request);
      expect(res.status, `${request.method} ${request.url}`).toBe(status);
      const body = await expectDocumented(path, method, res);
      expect(body.error.code).toMatch(/^[a-z_]+$/);
    }
  });
});

describe('the DeepL and LibreTranslate faces answer as documented', () => {
  const KEY = 'openapi-test-key';
  /** A request to a deployment with an API_KEY, which the request does not present. */
  const keyed = (req: Request) => createApp().request(req, {}, { ...env, API_KEY: KEY });
  const withFrench = (req: Request) => createApp().request(req, {}, WITH_FRENCH);
  const form = (path: string, fields: string[][]) =>
    new Request(url(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'DeepL-Auth-Key any' },
      body: new URLSearchParams(fields),
    });
  const deepl = (path: string) => new Request(url(path), { headers: { Authorization: 'DeepL-Auth-Key any' } });
  const tooBig = 'x'.repeat(LIMITS.bodyBytes + 1);

  /** Each response has its status, which the operation lists (or, for an error it does not list, its default), and the body documented for it. */
  async function expectAnswers(
    path: string,
    method: string,
    cases: Array<[Request | Response | Promise<Response>, number]>,
  ): Promise<Json[]> {
    const bodies = [];
    for (const [request, status] of cases) {
      const res = request instanceof Request ? await SELF.fetch(request) : await request;
      expect(res.status, `${method.toUpperCase()} ${path}: ${await res.clone().text()}`).toBe(status);
      if (status !== 405)
        expect(Object.keys(operationOf(path, method).responses), `${method.toUpperCase()} ${path}`).toContain(
          String(status),
        );
      bodies.push(await expectDocumented(path, method, res));
    }
    return bodies;
  }

  it('POST /v2/translate: form and JSON; 400, 403, 413, 503', async () => {
    const [batch, , html] = await expectAnswers('/v2/translate', 'post', [
      [
        form('/v2/translate', [
          ['text', sentence],
          ['text', sentence],
          ['target_lang', 'JA'],
        ]),
        200,
      ],
      [post('/v2/translate', { text: sentence, target_lang: 'ja' }, { Authorization: 'DeepL-Auth-Key any' }), 200],
      [
        form('/v2/translate', [
          ['text', `<p>${sentence}</p>`],
          ['target_lang', 'JA'],
          ['tag_handling', 'html'],
          ['show_billed_characters', '1'],
          ['model_type', 'quality_optimized'],
        ]),
        200,
      ],
      [
        form('/v2/translate', [
          ['text', ' '],
          ['target_lang', 'JA'],
        ]),
        400,
      ],
      [
        form('/v2/translate', [
          ['text', '<p>a</b>'],
          ['target_lang', 'JA'],
          ['tag_handling', 'xml'],
        ]),
        400,
      ], // HTML is read as browsers do: XML is strict
      [
        keyed(
          form('/v2/translate', [
            ['text', sentence],
            ['target_lang', 'JA'],
          ]),
        ),
        403,
      ],
      [
        form('/v2/translate', [
          ['text', tooBig],
          ['target_lang', 'JA'],
        ]),
        413,
      ],
      [
        new Request(url('/v2/translate'), { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<text/>' }),
        415,
      ],
      [
        withFrench(
          form('/v2/translate', [
            ['text', sentence],
            ['target_lang', 'FR'],
          ]),
        ),
        503,
      ],
    ]);
    expect(batch?.translations).toHaveLength(2);
    expect(html?.translations[0]).toMatchObject({
      billed_characters: sentence.length,
      model_type_used: 'quality_optimized',
    });
  });

  it('GET|POST /v2/languages: sources and targets; 400, 403', async () => {
    await expectAnswers('/v2/languages', 'get', [
      [deepl('/v2/languages'), 200],
      [deepl('/v2/languages?type=target'), 200],
      [deepl('/v2/languages?type=glossary'), 400],
      [keyed(new Request(url('/v2/languages'))), 403],
    ]);
    await expectAnswers('/v2/languages', 'post', [
      [form('/v2/languages', [['type', 'target']]), 200],
      [form('/v2/languages', [['type', 'glossary']]), 400],
    ]);
  });

  it('GET|POST /v2/usage; 403', async () => {
    await expectAnswers('/v2/usage', 'get', [
      [deepl('/v2/usage'), 200],
      [keyed(new Request(url('/v2/usage'))), 403],
    ]);
    await expectAnswers('/v2/usage', 'post', [[form('/v2/usage', []), 200]]);
  });

  it('POST /libretranslate/translate: one text and a batch, JSON and form; 400, 403, 413, 503', async () => {
    const [single, batch, html] = await expectAnswers('/libretranslate/translate', 'post', [
      [post('/libretranslate/translate', { q: sentence, source: 'auto', target: 'ja' }), 200],
      [
        form('/libretranslate/translate', [
          ['q', sentence],
          ['q', sentence],
          ['target', 'ja'],
        ]),
        200,
      ],
      [post('/libretranslate/translate', { q: `<p>${sentence}</p>`, target: 'ja', format: 'html' }), 200],
      [post('/libretranslate/translate', { q: sentence, target: 'ja', format: 'markdown' }), 400],
      [keyed(post('/libretranslate/translate', { q: sentence, target: 'ja', api_key: 'wrong' })), 403],
      [post('/libretranslate/translate', { q: tooBig, target: 'ja' }), 413],
      [withFrench(post('/libretranslate/translate', { q: sentence, source: 'en', target: 'fr' })), 503],
    ]);
    expect(typeof single?.translatedText).toBe('string');
    expect(batch?.translatedText).toHaveLength(2);
    expect(html?.translatedText).toMatch(/^<p>.*<\/p>$/);
  });

  it("GET /libretranslate/languages, and an error in the face's shape (405)", async () => {
    await expectAnswers('/libretranslate/languages', 'get', [
      [new Request(url('/libretranslate/languages')), 200],
      [new Request(url('/libretranslate/languages'), { method: 'POST' }), 405],
    ]);
  });
});

describe('examples (the API reference starts its "Test Request" from them)', () => {
  const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
  const operations = () =>
    Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] as Json })),
    );
  /** A media type's example: its own, or its schema's (through a $ref), or that of the first alternative of an anyOf. */
  const exampleOf = (media: Json): unknown => media.example ?? schemaExample(media.schema);
  const schemaExample = (schema: Json): unknown => {
    const resolved = schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
    return (
      resolved?.example ??
      (resolved?.anyOf ?? resolved?.oneOf)?.map(schemaExample).find((e: unknown) => e !== undefined)
    );
  };
  const EXAMPLE_TYPES = ['application/json', 'application/x-www-form-urlencoded']; // multipart bodies carry files

  it('exist for every JSON or form request body, required parameter and JSON response, each valid against its schema', () => {
    const problems: string[] = [];
    const check = (what: string, schema: Json, example: unknown) => {
      if (example === undefined) problems.push(`${what}: no example`);
      else
        for (const error of new Validator(withComponents(schema), '2020-12').validate(example).errors)
          problems.push(`${what}: ${error.instanceLocation} ${error.error}`);
    };
    for (const { path, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Json).filter(([type]) =>
        EXAMPLE_TYPES.includes(type),
      )) {
        check(`${where} request ${type}`, media.schema, exampleOf(media));
      }
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        if (parameter.required && (parameter.example ?? parameter.schema?.example) === undefined)
          problems.push(`${where} parameter ${parameter.name}: no example`);
      }
      for (const [status, response] of Object.entries(operation.responses as Json).filter(([status]) =>
        status.startsWith('2'),
      )) {
        const media = response.content?.['application/json'];
        if (media) check(`${where} ${status}`, media.schema, exampleOf(media));
      }
    }
    expect(problems).toEqual([]);
  });

  it('of every JSON request body are answered with a documented 2xx (operations without path parameters)', async () => {
    for (const { path, method, operation } of operations()) {
      const media = operation.requestBody?.content?.['application/json'];
      if (!media || exampleOf(media) === undefined || path.includes('{')) continue; // (the test above names what has none)
      const res = await SELF.fetch(
        new Request(url(path), {
          method: method.toUpperCase(),
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(exampleOf(media)),
        }),
      );
      expect(res.status, `${method.toUpperCase()} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      await expectDocumented(path, method, res);
    }
  });
});
