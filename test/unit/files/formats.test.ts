// Each format of src/core/files read, translated with upper-casing (helpers.ts) and written back: what must come
// back byte for byte does, only the text to translate changes, and bad files are FileErrors naming the cause.
import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../../src/core/files/format.js';
import { formatOf } from '../../../src/core/files/index.js';
import { docx } from '../../../src/core/files/docx.js';
import { html } from '../../../src/core/files/html.js';
import { json } from '../../../src/core/files/json.js';
import { markdown } from '../../../src/core/files/markdown.js';
import { po } from '../../../src/core/files/po.js';
import { srt, vtt } from '../../../src/core/files/subtitles.js';
import { txt } from '../../../src/core/files/txt.js';
import { xliff } from '../../../src/core/files/xliff.js';
import { docxOf, documentXml, text, translateWith } from './helpers.js';

const fileError = (read: () => unknown, message: RegExp) => {
  let error: unknown;
  try {
    read();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(FileError);
  expect((error as Error).message).toMatch(message);
};

describe('formats by extension', () => {
  it('finds each by its extension in any case, and none for others', () => {
    expect(formatOf('a.DOCX')?.name).toBe('docx');
    expect(formatOf('notes.htm')?.name).toBe('html');
    expect(formatOf('messages.pot')?.name).toBe('po');
    expect(formatOf('x.xlf')?.name).toBe('xliff');
    expect(formatOf('document.invalid')).toBeUndefined();
    expect(formatOf('README')).toBeUndefined();
  });
});

describe('.txt', () => {
  it('translates each line, keeping line breaks, blank lines, indentation and a BOM', async () => {
    const source = '\uFEFFproton beam\r\n\r\n  second line\n42\n';
    const { out, sent } = await translateWith(txt, source);
    expect(text(out)).toBe('\uFEFFPROTON BEAM\r\n\r\n  SECOND LINE\n42\n');
    expect(sent).toEqual(['proton beam', '  second line']);
  });

  it('reads UTF-16 with its BOM and refuses other encodings and empty files', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'hi'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect([...(await translateWith(txt, utf16)).out]).toEqual([0xff, 0xfe, 72, 0, 73, 0]);
    fileError(() => txt.read(new Uint8Array([0x66, 0xff, 0x80]), { target: 'ja' }), /not UTF-8 text/);
    fileError(() => txt.read(strToU8(' \n 12\n'), { target: 'ja' }), /no text to translate/);
  });
});

describe('.html', () => {
  it('translates the text and keeps the markup; implied end tags are read as a browser reads them', async () => {
    const source =
      '<!DOCTYPE html>\n<html><head><title>A title</title><script>var x = "no";</script></head><body><p class="x">I like <b>green tea</b>.</p></body></html>';
    expect(text((await translateWith(html, source)).out)).toBe(
      source.replace('A title', 'A TITLE').replace('I like <b>green tea</b>.', 'I LIKE <b>GREEN TEA</b>.'),
    );
    expect(text((await translateWith(html, '<p>I like <b>green tea.<p>Where is <i>the station?')).out)).toBe(
      '<p>I LIKE <b>GREEN TEA.</b></p><p><b>WHERE IS <i>THE STATION?</i></b></p>',
    );
  });
});

describe('.srt and .vtt', () => {
  const cues = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `${i + 1}\r\n00:00:0${i},000 --> 00:00:0${i},900\r\nline ${i} one\r\n<i>and</i> two\r\n`,
    ).join('\r\n');

  it('keeps numbers, timing lines and line endings byte for byte; a cue is one sentence, its line count kept', async () => {
    const source = cues(3);
    const { out, sent } = await translateWith(srt, source);
    expect(sent).toEqual(['line 0 one and two', 'line 1 one and two', 'line 2 one and two']); // tags are not read by the model
    const lines = text(out).split('\r\n'),
      before = source.split('\r\n');
    expect(lines.length).toBe(before.length);
    lines.forEach((line, i) =>
      /-->|^\d+$|^$/.test(before[i]!) ? expect(line).toBe(before[i]) : expect(line).toMatch(/^[A-Z0-9 <>/i]+$/),
    );
    expect(text(out)).toContain('LINE 0 ONE\r\n<i>AND</i> TWO');
  });

  it('keeps the WEBVTT header, NOTE and STYLE blocks, identifiers and cue settings', async () => {
    const source =
      'WEBVTT - a title\n\nNOTE a comment\nthat continues\n\nSTYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:02.000 align:start\n<v Roger>Hello there\n';
    expect(text((await translateWith(vtt, source)).out)).toBe(source.replace('Hello there', 'HELLO THERE'));
    fileError(
      () => vtt.read(strToU8('1\n00:01.000 --> 00:02.000\nhi\n'), { target: 'ja' }),
      /must start with "WEBVTT"/,
    );
    fileError(() => srt.read(strToU8('just text\n'), { target: 'ja' }), /no cue with a timing line/);
  });
});

describe('.po and .pot', () => {
  const catalogue = [
    'msgid ""',
    'msgstr ""',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    '',
    '#: src/app.c:10',
    'msgid "Hello %s, you have %(count)d messages in {folder}"',
    'msgstr ""',
    '',
    'msgid "%d file"',
    'msgid_plural "%d files"',
    'msgstr[0] ""',
    'msgstr[1] ""',
    '',
    'msgid "Kept"',
    'msgstr "Gardé"',
    '',
    '#, fuzzy',
    'msgid "Redo"',
    'msgstr "old guess"',
    '',
    'msgid "Line one\\n"',
    '"Line two"',
    'msgstr ""',
    '',
  ].join('\n');

  it('writes msgstr beside the msgid kept, placeholders verbatim, plural forms of the target, flagged fuzzy', async () => {
    const out = text((await translateWith(po, catalogue)).out);
    expect(out).toContain(
      '#: src/app.c:10\n#, fuzzy\nmsgid "Hello %s, you have %(count)d messages in {folder}"\nmsgstr "HELLO %s, YOU HAVE %(count)d MESSAGES IN {folder}"',
    );
    expect(out).toContain('msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d FILES"'); // Japanese: one form, the plural's
    expect(out).toContain('msgid "Kept"\nmsgstr "Gardé"');
    expect(out).toContain('msgid "Redo"\nmsgstr "REDO"');
    expect(out).toContain('msgstr ""\n"LINE ONE\\n"\n"LINE TWO"');
    expect(out).toContain('"Language: ja\\n"');
    expect(out).toContain('"Plural-Forms: nplurals=1; plural=0;\\n"');
    const english = text((await translateWith(po, catalogue, undefined, 'en')).out);
    expect(english).toContain('msgstr[0] "%d FILE"\nmsgstr[1] "%d FILES"');
  });

  it('refuses a file that is no catalogue, or has nothing left to translate', () => {
    fileError(() => po.read(strToU8('hello'), { target: 'ja' }), /not a gettext catalogue/);
    fileError(() => po.read(strToU8('msgid "a"\nmsgstr "b"\n'), { target: 'ja' }), /no untranslated entry/);
  });
});

describe('.xliff', () => {
  it('1.2: writes a target beside each source, keeps inline codes, sets target-language', async () => {
    const source =
      '<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="en" datatype="plaintext" original="x">\n<body>\n  <trans-unit id="1">\n    <source>Click <g id="1">here</g> to <x id="2"/>go <ph id="3">&lt;br/&gt;</ph>now</source>\n  </trans-unit>\n  <trans-unit id="2" translate="no"><source>Brand</source></trans-unit>\n  <trans-unit id="3"><source>Empty</source><target/></trans-unit>\n</body></file></xliff>';
    const out = text((await translateWith(xliff, source)).out);
    expect(out).toContain('<file source-language="en" datatype="plaintext" original="x" target-language="ja">');
    expect(out).toContain(
      '<source>Click <g id="1">here</g> to <x id="2"/>go <ph id="3">&lt;br/&gt;</ph>now</source>\n    <target>CLICK <g id="1">HERE</g> TO <x id="2"/>GO <ph id="3">&lt;br/&gt;</ph>NOW</target>',
    );
    expect(out).toContain('<trans-unit id="2" translate="no"><source>Brand</source></trans-unit>');
    expect(out).toContain('<source>Empty</source><target>EMPTY</target>');
  });

  it('2.0: fills the segment target and trgLang; a target with text is kept', async () => {
    const source =
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f"><unit id="u"><segment><source>Hello <pc id="1">world</pc></source></segment><segment><source>Done</source><target>Fait</target></segment></unit></file></xliff>';
    const out = text((await translateWith(xliff, source)).out);
    expect(out).toBe(
      source
        .replace('trgLang="fr"', 'trgLang="ja"')
        .replace(
          '<pc id="1">world</pc></source>',
          '<pc id="1">world</pc></source><target>HELLO <pc id="1">WORLD</pc></target>',
        ),
    );
    fileError(() => xliff.read(strToU8('<doc>text</doc>'), { target: 'ja' }), /no <xliff> element/);
    fileError(
      () =>
        xliff.read(strToU8('<xliff version="1.2"><file><body><trans-unit><source>a</trans-unit>'), { target: 'ja' }),
      /not well-formed XML/,
    );
  });
});

describe('.md', () => {
  it('translates paragraphs, headings and cells; keeps code, links, markers and emphasis around their words', async () => {
    const source =
      '# A heading\n\nSome *emphasis* and a [link](https://example.com "t") with `code`.\nNext line.\n\n```js\nconst x = "not translated";\n```\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| cell | two |\n\n> quoted text\n';
    const out = text((await translateWith(markdown, source)).out);
    expect(out).toBe(
      '# A HEADING\n\nSOME *EMPHASIS* AND A [LINK](https://example.com "t") WITH `code`. NEXT LINE.\n\n```js\nconst x = "not translated";\n```\n\n- ITEM ONE\n- ITEM TWO\n\n| A | B |\n|---|---|\n| CELL | TWO |\n\n> QUOTED TEXT\n',
    );
  });
});

describe('.json', () => {
  it('translates values, keeps keys, nesting, indentation, placeholders and ICU structure', async () => {
    const source =
      '{\n  "title": "Hello {name}",\n  "nested": { "count": "{count, plural, one {# file} other {# files}}", "n": 3 },\n  "list": ["first", "%s second"],\n  "id": "42 %s"\n}\n';
    const out = text((await translateWith(json, source)).out);
    expect(JSON.parse(out)).toEqual({
      title: 'HELLO {name}',
      nested: { count: '{count, plural, one {# FILE} other {# FILES}}', n: 3 },
      list: ['FIRST', '%s SECOND'],
      id: '42 %s',
    });
    expect(out.split('\n')[1]).toBe('  "title": "HELLO {name}",');
    fileError(() => json.read(strToU8('{"a": '), { target: 'ja' }), /not valid JSON/);
  });
});

describe('.docx', () => {
  const run = (text: string, props = '') => `<w:r>${props}<w:t xml:space="preserve">${text}</w:t></w:r>`;
  const bold = '<w:rPr><w:b/></w:rPr>';

  it('translates paragraphs, keeps paragraph properties and run formatting around its words, merges equal runs', async () => {
    const body = `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>${run('Proton ')}${run('beam')}</w:p><w:p>${run('Hello ')}${run('bold', bold)}<w:r><w:tab/></w:r>${run(' world')}</w:p><w:tbl><w:tr><w:tc><w:p>${run('in a table')}</w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:drawing>x</w:drawing></w:r></w:p>`;
    const source = docxOf(body, { 'word/media/image1.png': 'PNG' });
    const { out } = await translateWith(docx, source);
    const xml = documentXml(out);
    expect(xml).toContain(`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>${run('PROTON BEAM')}</w:p>`);
    expect(xml).toContain(
      `${run('HELLO ')}${run('BOLD', bold)}<w:r><w:tab/><w:t xml:space="preserve"> WORLD</w:t></w:r>`,
    ); // tab and text: one run
    expect(xml).toContain(run('IN A TABLE'));
    expect(xml).toContain('<w:p><w:r><w:drawing>x</w:drawing></w:r></w:p>');
    expect(new TextDecoder().decode(unzipSync(out)['word/media/image1.png'])).toBe('PNG');
  });

  it('refuses an encrypted document, a file that is no ZIP, a ZIP without a document, and an empty one', () => {
    fileError(() => docx.read(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), { target: 'ja' }), /encrypted/);
    fileError(() => docx.read(strToU8('plain text'), { target: 'ja' }), /not a ZIP archive/);
    fileError(() => docx.read(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), { target: 'ja' }), /damaged/);
    fileError(() => docx.read(docxOf('<w:p></w:p>'), { target: 'ja' }), /no text to translate/);
  });
});
