// GET /openapi.json describes every route, and the Worker's actual responses (successes and errors) validate against
// the schemas it documents for them (a JSON Schema 2020-12 validator that runs inside workerd: no eval).
import { Validator, type Schema } from '@cfworker/json-schema';
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
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

/** The documented schema of `status` for an operation; the `default` (error) response when the status is not listed. */
function responseSchema(path: string, method: string, status: number, type = 'application/json'): Schema {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  let response = operation.responses[String(status)] ?? operation.responses.default;
  if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
  const schema = response.content?.[type]?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} documents no ${type} body`);
  return { ...schema, components: doc.components }; // so that "#/components/..." references resolve
}

async function expectDocumented(path: string, method: string, res: Response): Promise<Json> {
  const body = await res.json<Json>();
  const result = new Validator(responseSchema(path, method, res.status), '2020-12').validate(body);
  expect(result.errors, `${method.toUpperCase()} ${path} ${res.status}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  return body;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of every route of the app', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/', '/docs', '/openapi.json', '/translate', '/health', '/models', '/models/{direction}/files/{path}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/translate'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('describes the request fields the validators accept, with their limits', () => {
    const request = doc.components.schemas.TranslateRequest;
    expect(Object.keys(request.properties)).toEqual(expect.arrayContaining(['text', 'texts', 'beam', 'direction', 'nbest', 'alignment', 'replaceUnknown']));
    expect(request.properties.beam).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(request.additionalProperties).toBe(false);
    expect(doc.components.schemas.Alignment.properties.weights).toBeDefined();
  });

  it('gives every operation the one error shape as its default response', () => {
    for (const item of Object.values(doc.paths) as Json[]) {
      for (const operation of Object.values(item) as Json[]) expect(operation.responses.default).toEqual({ $ref: '#/components/responses/Error' });
    }
  });
});

describe('the Worker answers as documented', () => {
  it('(the validator does reject a body that differs from the schema)', () => {
    const validator = new Validator(responseSchema('/translate', 'post', 200), '2020-12');
    expect(validator.validate({ translation: 1, tokens: [], score: 0, unknownWords: [], model: 'm' }).valid).toBe(false);
    expect(validator.validate({ translation: '', tokens: [], score: 0, unknownWords: [], model: 'm' }).valid).toBe(true);
  });

  it('POST /translate, single and batch, with n-best and alignment', async () => {
    const single = await expectDocumented('/translate', 'post', await SELF.fetch(post('/translate', { text: sentence, beam: 3, nbest: 3, alignment: true })));
    expect(single.nbest).toHaveLength(3);
    expect(single.alignment.weights).toHaveLength(single.tokens.length);
    const batch = await expectDocumented('/translate', 'post', await SELF.fetch(post('/translate', { texts: [sentence, 'wa'], beam: 1 })));
    expect(batch.translations).toHaveLength(2);
  });

  it('GET /translate, /health and /models', async () => {
    await expectDocumented('/translate', 'get', await SELF.fetch(url(`/translate?text=${encodeURIComponent(sentence)}&beam=1`)));
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
