// Documents as files inside workerd: DeepL's /v2/document (upload, status, result once) and LibreTranslate's
// /translate_file, with the random test models. The native face is the oracle for what a file's text translates to;
// the formats' own structure is checked by reading the result. The jobs run in the DocumentJobs Durable Object, as in
// a deployment; the files are in the DOCUMENTS bucket under their owner's prefix.
import { SELF, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../../src/http/documents.js';
import { LOCAL_OWNER } from '../../src/http/owner.js';
import { chunksOf } from '../../src/core/files/translate-file.js';
import { txt } from '../../src/core/files/txt.js';
import { hashKey, resultKey, sourceKey, type Job } from '../../src/store/document-jobs.js';
import { hashKey as apiKeyHash, newKey } from '../../src/store/keys.js';
import { nativeTranslation } from './faces.js';
import { post, seedVersion, url } from './seed.js';

let english: string;
let japanese: string;

beforeAll(async () => {
  ({ sourceText: english } = await seedVersion('documents-e1'));
  ({ sourceText: japanese } = await seedVersion('documents-j1', { direction: 'ja-en' }));
});

const AUTH = { Authorization: 'DeepL-Auth-Key any:fx' };

/** The native face's translation at the documents' beam (DOCUMENT_BEAM, wrangler.toml): the oracle. */
const native = (text: string, direction: string, options: Record<string, unknown> = {}) =>
  nativeTranslation(text, direction, { beam: 2, ...options });

function upload(
  name: string,
  content: string | Uint8Array,
  fields: Record<string, string> = { target_lang: 'JA' },
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new File([typeof content === 'string' ? strToU8(content) : new Uint8Array(content)], name));
  return SELF.fetch(new Request(url('/v2/document'), { method: 'POST', headers: AUTH, body: form }));
}

const form = (path: string, fields: Record<string, string>) =>
  SELF.fetch(
    new Request(url(path), {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    }),
  );

interface Status {
  document_id: string;
  status: string;
  seconds_remaining?: number;
  billed_characters?: number;
  error_message?: string;
}

async function handle(res: Response): Promise<{ id: string; key: string }> {
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json<{ document_id: string; document_key: string }>();
  expect(body.document_id).toMatch(/^[0-9A-F]{32}$/);
  expect(body.document_key).toMatch(/^[0-9A-F]{64}$/);
  return { id: body.document_id, key: body.document_key };
}

async function finished({ id, key }: { id: string; key: string }): Promise<Status> {
  for (let i = 0; i < 300; i++) {
    const res = await form(`/v2/document/${id}`, { document_key: key });
    expect(res.status, await res.clone().text()).toBe(200);
    const status = await res.json<Status>();
    expect(['queued', 'translating', 'done', 'error']).toContain(status.status);
    if (status.status === 'done' || status.status === 'error') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the document did not finish');
}

async function translated(
  name: string,
  content: string | Uint8Array,
  fields?: Record<string, string>,
): Promise<Uint8Array> {
  const h = await handle(await upload(name, content, fields));
  expect((await finished(h)).status).toBe('done');
  const res = await form(`/v2/document/${h.id}/result`, { document_key: h.key });
  expect(res.status, await res.clone().text()).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const message = async (res: Response) => (await res.json<{ message: string }>()).message;

describe('POST /v2/document, its status and its result', () => {
  it('translates a .txt line by line as the native face does, bills its characters, and hands the result over once', async () => {
    const source = `${english}\n\n${english} ${english}\n`;
    const h = await handle(await upload('notes.txt', source));
    const status = await finished(h);
    expect(status).toEqual({
      document_id: h.id,
      status: 'done',
      seconds_remaining: 0,
      billed_characters: [...`${english}${english} ${english}`].length,
    });
    const res = await form(`/v2/document/${h.id}/result`, { document_key: h.key });
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`);
    expect(text(new Uint8Array(await res.arrayBuffer()))).toBe(
      `${await native(english, 'en-ja')}\n\n${await native(`${english} ${english}`, 'en-ja')}\n`,
    );
    // Once: then the document is gone, its status too, and its files.
    expect((await form(`/v2/document/${h.id}/result`, { document_key: h.key })).status).toBe(404);
    expect((await form(`/v2/document/${h.id}`, { document_key: h.key })).status).toBe(404);
    expect((await env.DOCUMENTS.list({ prefix: `documents/${LOCAL_OWNER}/${h.id}/` })).objects).toEqual([]);
  });

  it('detects the source language, and fails the job when the document is in the target language already', async () => {
    expect(text(await translated('ja.txt', japanese, { target_lang: 'EN-US' }))).toBe(await native(japanese, 'ja-en'));
    const status = await finished(await handle(await upload('same.txt', japanese, { target_lang: 'JA' })));
    expect(status).toMatchObject({ status: 'error', error_message: 'Source and target language are equal.' });
  });

  it('keeps the structure of each format: subtitles, catalogues, XLIFF, Markdown, JSON, HTML, Word', async () => {
    const srt = `1\r\n00:00:01,000 --> 00:00:02,000\r\n${english}\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,500\r\n${english}\r\n`;
    expect(
      text(await translated('a.srt', srt))
        .split('\r\n')
        .filter((l) => /-->|^\d+$/.test(l)),
    ).toEqual(['1', '00:00:01,000 --> 00:00:02,000', '2', '00:00:03,000 --> 00:00:04,500']);
    const po = `msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "${english} %s"\nmsgstr ""\n`;
    expect(text(await translated('m.po', po))).toMatch(
      new RegExp(`#, fuzzy\\nmsgid "${english} %s"\\nmsgstr "[^"]*%s[^"]*"`),
    );
    const xlf = `<xliff version="1.2"><file source-language="en"><body><trans-unit id="1"><source>${english}</source></trans-unit></body></file></xliff>`;
    expect(text(await translated('t.xlf', xlf))).toBe(
      xlf
        .replace('source-language="en"', 'source-language="en" target-language="ja"')
        .replace('</source>', `</source><target>${await native(english, 'en-ja', { format: 'xml' })}</target>`),
    );
    const md = `# ${english}\n\n\`\`\`\ncode ${english}\n\`\`\`\n`;
    expect(text(await translated('r.md', md))).toBe(
      `# ${await native(english, 'en-ja')}\n\n\`\`\`\ncode ${english}\n\`\`\`\n`,
    );
    const json = JSON.stringify({ greeting: `${english} {name}`, n: 1 }, null, 2);
    const values = JSON.parse(text(await translated('i18n.json', json)));
    expect(Object.keys(values)).toEqual(['greeting', 'n']);
    expect(values.greeting).toContain('{name}');
    const html = `<p>${english} <b>${english}.<p>${english}`; // HTML as people write it: implied end tags
    expect(text(await translated('p.html', html))).toBe(
      await native(`<p>${english} <b>${english}.</b></p><p><b>${english}</b></p>`, 'en-ja', { format: 'html' }),
    );
    const body = `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>${english}</w:t></w:r></w:p>`;
    const docx = zipSync({
      'word/document.xml': strToU8(`<w:document xmlns:w="x"><w:body>${body}</w:body></w:document>`),
    });
    const xml = strFromU8(unzipSync(await translated('d.docx', docx))['word/document.xml']!);
    expect(xml).toMatch(
      /^<w:document xmlns:w="x"><w:body><w:p><w:pPr><w:jc w:val="center"\/><\/w:pPr><w:r><w:rPr><w:b\/><\/w:rPr><w:t xml:space="preserve">[^<]+<\/w:t><\/w:r><\/w:p><\/w:body><\/w:document>$/,
    );
  });

  it("400 in DeepL's words: an extension not served, no file, equal languages, formality, a glossary without source_lang", async () => {
    const invalid = await upload('document.invalid', 'Test');
    expect(invalid.status).toBe(400);
    expect(await message(invalid)).toMatch(
      /^Invalid file data\. "document\.invalid" has a file extension that cannot be translated/,
    );
    expect(await message(await form('/v2/document', { target_lang: 'JA' }))).toMatch(
      /^Parameter 'file' not specified\./,
    );
    expect(await message(await upload('a.txt', english, { target_lang: 'JA', source_lang: 'JA' }))).toBe(
      'Source and target language are equal.',
    );
    expect(await message(await upload('a.txt', japanese, { target_lang: 'EN-US', formality: 'more' }))).toBe(
      "'formality' is not supported for given 'target_lang'.",
    );
    // JA has registers where the live model was trained with them; the test model was not: the job says so.
    const plain = await finished(
      await handle(await upload('a.txt', english, { target_lang: 'JA', formality: 'less' })),
    );
    expect(plain).toMatchObject({
      status: 'error',
      error_message: "'formality' is not supported for given 'target_lang'.",
    });
    expect(
      await finished(await handle(await upload('a.txt', english, { target_lang: 'JA', formality: 'prefer_less' }))),
    ).toMatchObject({ status: 'done' });
    expect(await message(await upload('a.txt', english, { target_lang: 'JA', formality: 'formality' }))).toMatch(
      /^Value for 'formality' not supported\./,
    );
    expect(await message(await upload('a.txt', english, { target_lang: 'JA', glossary_id: 'g' }))).toMatch(
      /requires the source_lang/,
    );
    expect(await message(await upload('a.txt', english, { target_lang: 'DE' }))).toMatch(
      /^Value for 'target_lang' not supported\./,
    );
    expect(await message(await upload('a.txt', english, { target_lang: 'JA', output_format: 'pdf' }))).toMatch(
      /^Value for 'output_format' not supported\./,
    );
  });

  it('refuses a file that cannot be read at upload, naming the cause, never a 5xx', async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['empty.txt', '', /The file is empty/],
      ['blank.txt', ' \n 12 \n', /no text to translate/],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), /not UTF-8/],
      ['corrupt.docx', new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]), /ZIP archive is damaged/],
      ['secret.docx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /encrypted/],
      ['notzip.docx', 'hello', /not a ZIP archive/],
      ['bad.json', '{"a": ', /not valid JSON/],
      ['bad.xlf', '<xliff><file>', /not well-formed XML/],
    ];
    for (const [name, content, cause] of cases) {
      const res = await upload(name, content);
      expect(res.status, name).toBe(400);
      expect(await message(res), name).toMatch(cause);
    }
  });

  it("takes uploads over the API's 1 MB body limit, up to a format's size; then counts the characters", async () => {
    const large = await upload('large.txt', `${english}\n`.repeat(Math.ceil((2 * 1024 * 1024) / (english.length + 1))));
    expect(large.status).toBe(413);
    expect(await message(large)).toMatch(
      new RegExp(`characters of text, more than the ${DOCUMENT_LIMITS.characters} of one document`),
    );
    const huge = await upload('huge.txt', new Uint8Array(10 * 1024 * 1024 + 1).fill(0x61));
    expect(huge.status).toBe(413);
    expect(await message(huge)).toMatch(/a \.txt file may have at most 10 MB/);
  });

  it("404 for an unknown id, a wrong key, and another owner's document; the files are under the owner's prefix", async () => {
    const h = await handle(await upload('mine.txt', english));
    await finished(h);
    expect((await form(`/v2/document/${h.id}`, { document_key: 'A'.repeat(64) })).status).toBe(404);
    expect((await form(`/v2/document/${'0'.repeat(32)}`, { document_key: h.key })).status).toBe(404);
    expect(await message(await form(`/v2/document/${h.id}`, {}))).toMatch(/^Parameter 'document_key' not specified\./);
    const other = env.DOCUMENT_JOBS.get(env.DOCUMENT_JOBS.idFromName('k_another'));
    expect(await other.status(h.id, await hashKey(h.key))).toBeUndefined();
    expect(await other.claim(h.id, await hashKey(h.key))).toBeUndefined();
    expect(
      (await env.DOCUMENTS.list({ prefix: `documents/${LOCAL_OWNER}/${h.id}/` })).objects.map((o) => o.key),
    ).toEqual([`documents/${LOCAL_OWNER}/${h.id}/result`]);
    expect(
      text(
        await (
          await form(`/v2/document/${h.id}/result`, { document_key: h.key })
        )
          .arrayBuffer()
          .then((b) => new Uint8Array(b)),
      ),
    ).toBe(await native(english, 'en-ja'));
  });

  it(`429 when the owner has ${DOCUMENT_LIMITS.inFlight} documents queued or translating`, async () => {
    const stub = env.DOCUMENT_JOBS.get(env.DOCUMENT_JOBS.idFromName(LOCAL_OWNER));
    const waiting = Array.from(
      { length: DOCUMENT_LIMITS.inFlight },
      (_, i) => `job:${'F'.repeat(31)}${i.toString(16).toUpperCase()}`,
    );
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.deleteAlarm();
      for (const key of waiting)
        await state.storage.put(key, {
          id: key.slice(4),
          status: 'queued',
          createdAt: Date.now(),
          progress: 0,
          characters: 1,
        } as Partial<Job>);
    });
    const res = await upload('one-more.txt', english);
    expect(res.status).toBe(429);
    expect(await message(res)).toMatch(
      new RegExp(`^${DOCUMENT_LIMITS.inFlight} documents of this key are being translated`),
    );
    await runInDurableObject(stub, async (_instance, state) => void (await state.storage.delete(waiting)));
  });
});

describe('jobs, step by step', () => {
  it('translates a chunk an alarm and picks up after the last chunk kept, as after a restart', async () => {
    const owner = 'k_resume',
      id = 'C'.repeat(32),
      key = 'D'.repeat(64);
    const lines = Array.from({ length: 300 }, () => english);
    const bytes = strToU8(`${lines.join('\n')}\n`);
    const chunks = chunksOf(txt.read(bytes, { target: 'ja' }).segments);
    expect(chunks.length).toBeGreaterThan(1);
    await env.DOCUMENTS.put(sourceKey(owner, id), bytes);
    const stub = env.DOCUMENT_JOBS.get(env.DOCUMENT_JOBS.idFromName(owner));
    // The state a restart leaves after the first chunk: the job translating from chunk 1, chunk 0's translations kept.
    await runInDurableObject(stub, async (_instance, state) => {
      const job: Job = {
        id,
        keyHash: await hashKey(key),
        filename: 'long.txt',
        target: 'ja',
        source: 'en',
        characters: 1,
        beam: 1,
        owner,
        status: 'translating',
        createdAt: Date.now(),
        startedAt: Date.now(),
        progress: 0.1,
        chunk: 1,
        attempts: 1,
      };
      await state.storage.put(`job:${id}`, job);
      await state.storage.put(
        `part:${id}:000000`,
        chunks[0]!.map(() => 'KEPT'),
      );
    });
    let status = await stub.status(id, await hashKey(key)); // sets the alarm the restart lost
    for (let steps = 0; status?.status === 'translating' && steps < 20; steps++) {
      await runDurableObjectAlarm(stub);
      status = await stub.status(id, await hashKey(key));
    }
    expect(status?.status).toBe('done');
    const out = (await (await env.DOCUMENTS.get(resultKey(owner, id)))!.text()).split('\n');
    expect(out.slice(0, chunks[0]!.length).every((l) => l === 'KEPT')).toBe(true);
    expect(out[chunks[0]!.length]).toBe(await native(english, 'en-ja', { beam: 1 }));
    await runInDurableObject(stub, async (_instance, state) =>
      expect([...(await state.storage.list({ prefix: `part:${id}:` })).keys()]).toEqual([]),
    );
    expect(await env.DOCUMENTS.get(sourceKey(owner, id))).toBeNull();
  });
});

describe('glossaries and keys', () => {
  afterEach(async () => {
    await env.DB.batch([
      env.DB.prepare('DELETE FROM dictionary_chunks'),
      env.DB.prepare('DELETE FROM dictionaries'),
      env.DB.prepare('DELETE FROM glossaries'),
      env.DB.prepare('DELETE FROM api_keys'),
    ]);
  });

  it("applies a glossary_id's terms as /v2/translate does; an unknown glossary is refused at upload", async () => {
    const created = await SELF.fetch(
      new Request(url('/v2/glossaries'), {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          name: 'g',
          source_lang: 'en',
          target_lang: 'ja',
          entries: `${english.split(' ')[0]}\t用語`,
          entries_format: 'tsv',
        }),
      }),
    );
    const { glossary_id } = await created.json<{ glossary_id: string }>();
    const fields = { target_lang: 'JA', source_lang: 'EN', glossary_id };
    const [expected] = (
      await (await form('/v2/translate', { text: english, ...fields })).json<{ translations: { text: string }[] }>()
    ).translations;
    expect(expected?.text).toContain('用語');
    expect(text(await translated('terms.txt', english, fields))).toBe(expected?.text);
    expect(
      (await upload('terms.txt', english, { ...fields, glossary_id: '00000000-0000-4000-8000-000000000000' })).status,
    ).toBe(404);
  });

  it('never shows a document to another key: its id and key answer 404 as if it did not exist', async () => {
    const keys = await Promise.all(
      ['alice', 'bob'].map(async (name) => {
        const made = newKey();
        await env.DB.prepare('INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?1, ?2, ?3, ?4)')
          .bind(made.id, name, await apiKeyHash(made.key), new Date().toISOString())
          .run();
        return made;
      }),
    );
    const as = (key: string, path: string, body: FormData | URLSearchParams) =>
      SELF.fetch(new Request(url(path), { method: 'POST', headers: { Authorization: `DeepL-Auth-Key ${key}` }, body }));
    const file = new FormData();
    file.append('target_lang', 'JA');
    file.append('file', new File([english], 'alice.txt'));
    const res = await as(keys[0]!.key, '/v2/document', file);
    const h = await handle(res);
    const byKey = new URLSearchParams({ document_key: h.key });
    expect((await as(keys[1]!.key, `/v2/document/${h.id}`, byKey)).status).toBe(404);
    expect((await as(keys[1]!.key, `/v2/document/${h.id}/result`, byKey)).status).toBe(404);
    expect((await as(keys[0]!.key, `/v2/document/${h.id}`, byKey)).status).toBe(200);
    expect((await env.DOCUMENTS.list({ prefix: `documents/${keys[0]!.id}/${h.id}/` })).objects.length).toBe(1);
  });
});

describe('LibreTranslate POST /libretranslate/translate_file', () => {
  it('answers a URL that downloads the translated file once, without a key', async () => {
    const body = new FormData();
    body.append('source', 'en');
    body.append('target', 'ja');
    body.append('file', new File([`${english}\n`], 'notes.txt'));
    const res = await SELF.fetch(new Request(url('/libretranslate/translate_file'), { method: 'POST', body }));
    expect(res.status, await res.clone().text()).toBe(200);
    const { translatedFileUrl } = await res.json<{ translatedFileUrl: string }>();
    expect(translatedFileUrl).toMatch(
      /^http:\/\/translator\.test\/libretranslate\/download_file\/[0-9A-F]{32}\.[0-9A-F]{64}\.[\w-]+\/notes\.txt$/,
    );
    const file = await SELF.fetch(translatedFileUrl);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(`${await native(english, 'en-ja')}\n`);
    expect((await SELF.fetch(translatedFileUrl)).status).toBe(404);
  });

  it('errors as LibreTranslate does: {"error"} for a file it cannot take', async () => {
    const body = new FormData();
    body.append('target', 'ja');
    body.append('file', new File(['x'], 'a.exe'));
    const res = await SELF.fetch(new Request(url('/libretranslate/translate_file'), { method: 'POST', body }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^Invalid file\. "a\.exe" has a file extension/) });
  });
});

describe('format: "html" reads HTML as browsers do, on every face', () => {
  it("translates the issue's example instead of refusing it", async () => {
    const res = await SELF.fetch(
      post('/translate', { text: '<p>I like <b>green tea.<p>Where is <i>the station?', format: 'html' }),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json<{ translation: string }>()).translation).toMatch(
      /^<p>[^<]*<b>[^<]*<\/b><\/p><p><b>[^<]*<i>[^<]*<\/i><\/b><\/p>$/,
    );
  });
});
