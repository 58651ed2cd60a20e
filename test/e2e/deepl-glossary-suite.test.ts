// deepl-node's own glossary tests (DeepLcom/deepl-node tests/glossary.test.ts and tests/multilingualGlossary.test.ts,
// MIT, Copyright DeepL SE), run against `npm start` with small random models: the cases as written there, with "ja"
// where they use "de" (this service translates English <-> Japanese only; glossary language pairs are the directions it
// serves), their helpers (makeTranslator, makeDeeplClient, tempFiles) pointed at this server, and every case the suite
// runs against DeepL's real server (withRealServer) run here too. Run as they are, with DEEPL_SERVER_URL pointed here,
// the 24 cases that make a German glossary fail with "Unsupported glossary source and target language pair"
// (docs/glossaries.md). Run: npx vitest run --project e2e test/e2e/deepl-glossary-suite.test.ts
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as deepl from 'deepl-node';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { startKeyedServer } from './artifact-dir.js';
import type { DevServer } from './dev-server.js';

const KEY = 'e2e-deepl-glossary-suite-key';
const testTimeout = 60_000;

let server: DevServer;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, stop } = await startKeyedServer('deepl-glossary-suite', KEY));
});

afterAll(async () => {
  await stop?.();
});

// The suite's helpers (tests/core.ts), pointed at this server; no retries, so a failure shows at once.
const options = () => ({ serverUrl: server.url, maxRetries: 0, minTimeout: 60_000, sendPlatformInfo: false });
const makeTranslator = () => new deepl.Translator(KEY, options());
const makeDeeplClient = () => new deepl.DeepLClient(KEY, options());

/** tests/core.ts tempFiles(): a small and a large .txt document and an output path, in a new folder. */
function tempFiles(): string[] {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deepl-node-test-'));
  const [example, large, output] = ['example_document.txt', 'example_large_document.txt', 'output_document.txt'].map(
    (f) => `${tempDir}/${f}`,
  );
  fs.writeFileSync(example!, 'proton beam');
  fs.writeFileSync(large!, 'proton beam\n'.repeat(1000));
  return [example!, large!, output!, tempDir];
}

const invalidGlossaryId = 'invalid_glossary_id';
const nonExistentGlossaryId = '96ab91fd-e715-41a1-adeb-5d701f84a483';

function getGlossaryName(): string {
  return `deepl-node-test-glossary: ${expect.getState().currentTestName} ${randomUUID()}`;
}

interface CreateManagedGlossaryArgs {
  name?: string;
  sourceLang: deepl.LanguageCode;
  targetLang: deepl.LanguageCode;
  entries: deepl.GlossaryEntries;
  glossaryNameSuffix?: string;
}

async function createManagedGlossary(
  translator: deepl.Translator,
  args: CreateManagedGlossaryArgs,
): Promise<[deepl.GlossaryInfo, () => void]> {
  args.glossaryNameSuffix = args?.glossaryNameSuffix || '';
  args.name = args?.name || getGlossaryName() + args.glossaryNameSuffix;
  const glossary = await translator.createGlossary(args.name, args.sourceLang, args.targetLang, args.entries);

  const cleanupGlossary = async () => {
    try {
      await translator.deleteGlossary(glossary);
    } catch {
      // Suppress errors
    }
  };

  return [glossary, cleanupGlossary];
}

describe('translate using glossaries', () => {
  it('should create glossaries', async () => {
    const translator = makeTranslator();
    const glossaryName = getGlossaryName();
    const sourceLang = 'en';
    const targetLang = 'ja';
    const entries = new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } });
    const [glossary, cleanupGlossary] = await createManagedGlossary(translator, {
      name: glossaryName,
      sourceLang,
      targetLang,
      entries,
    });
    try {
      expect(glossary.name).toBe(glossaryName);
      expect(glossary.sourceLang).toBe(sourceLang);
      expect(glossary.targetLang).toBe(targetLang);
      // Note: ready field is indeterminate
      // Note: creationTime according to server might differ from local clock
      expect(glossary.entryCount).toBe(Object.keys(entries).length);

      const getResult = await translator.getGlossary(glossary.glossaryId);
      expect(getResult.glossaryId).toBe(glossary.glossaryId);
      expect(getResult.name).toBe(glossary.name);
      expect(getResult.sourceLang).toBe(glossary.sourceLang);
      expect(getResult.targetLang).toBe(glossary.targetLang);
      expect(getResult.creationTime.getTime()).toBe(glossary.creationTime.getTime());
      expect(getResult.entryCount).toBe(glossary.entryCount);
    } finally {
      await cleanupGlossary();
    }
  });

  it('should create glossaries from CSV', async () => {
    const translator = makeTranslator();
    const glossaryName = getGlossaryName();
    const sourceLang = 'en';
    const targetLang = 'ja';

    const expectedEntries = new deepl.GlossaryEntries({
      entries: {
        sourceEntry1: 'targetEntry1',
        'source"Entry': 'target,Entry',
      },
    });
    const csvFile = Buffer.from('sourceEntry1,targetEntry1,en,ja\n"source""Entry","target,Entry",en,ja');
    const glossary = await translator.createGlossaryWithCsv(glossaryName, sourceLang, targetLang, csvFile);
    try {
      const entries = await translator.getGlossaryEntries(glossary);
      expect(entries.entries()).toStrictEqual(expectedEntries.entries());
    } finally {
      try {
        await translator.deleteGlossary(glossary);
      } catch {
        // Suppress errors
      }
    }
  });

  it('should reject creating invalid glossaries', async () => {
    const translator = makeTranslator();
    const glossaryName = getGlossaryName();
    const entries = new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } });
    try {
      await expect(translator.createGlossary('', 'en', 'ja', entries)).rejects.toThrowError(deepl.DeepLError);
      const targetLangXX = <deepl.TargetLanguageCode>'xx'; // Type cast to silence type-checks
      await expect(translator.createGlossary(glossaryName, 'en', targetLangXX, entries)).rejects.toThrowError(
        deepl.DeepLError,
      );
    } finally {
      const glossaries = await translator.listGlossaries();
      for (const glossaryInfo of glossaries) {
        if (glossaryInfo.name === glossaryName) {
          await translator.deleteGlossary(glossaryInfo);
        }
      }
    }
  });

  it('should get glossaries', async () => {
    const translator = makeTranslator();
    const sourceLang = 'en';
    const targetLang = 'ja';
    const entries = new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } });
    const [createdGlossary, cleanupGlossary] = await createManagedGlossary(translator, {
      sourceLang,
      targetLang,
      entries,
    });
    try {
      const glossary = await translator.getGlossary(createdGlossary.glossaryId);
      expect(glossary.glossaryId).toBe(createdGlossary.glossaryId);
      expect(glossary.name).toBe(createdGlossary.name);
      expect(glossary.sourceLang).toBe(createdGlossary.sourceLang);
      expect(glossary.targetLang).toBe(createdGlossary.targetLang);
      expect(glossary.entryCount).toBe(createdGlossary.entryCount);
    } finally {
      await cleanupGlossary();
    }

    await expect(translator.getGlossary(invalidGlossaryId)).rejects.toThrowError(deepl.DeepLError);
    await expect(translator.getGlossary(nonExistentGlossaryId)).rejects.toThrowError(deepl.GlossaryNotFoundError);
  });

  it('should get glossary entries', async () => {
    const translator = makeTranslator();
    const entries = new deepl.GlossaryEntries({
      entries: {
        Apple: 'Apfel',
        Banana: 'Banane',
      },
    });
    const [createdGlossary, cleanupGlossary] = await createManagedGlossary(translator, {
      sourceLang: 'en',
      targetLang: 'ja',
      entries,
    });
    try {
      expect((await translator.getGlossaryEntries(createdGlossary)).entries()).toStrictEqual(entries.entries());
      expect(await translator.getGlossaryEntries(createdGlossary.glossaryId)).toStrictEqual(entries);
    } finally {
      await cleanupGlossary();
    }

    await expect(translator.getGlossaryEntries(invalidGlossaryId)).rejects.toThrowError(deepl.DeepLError);
    await expect(translator.getGlossaryEntries(nonExistentGlossaryId)).rejects.toThrowError(
      deepl.GlossaryNotFoundError,
    );
  });

  it('should list glossaries', async () => {
    const translator = makeTranslator();
    const [createdGlossary, cleanupGlossary] = await createManagedGlossary(translator, {
      sourceLang: 'en',
      targetLang: 'ja',
      entries: new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } }),
    });
    try {
      const glossaries = await translator.listGlossaries();
      expect(glossaries).toContainEqual(createdGlossary);
    } finally {
      await cleanupGlossary();
    }
  });

  it('should delete glossaries', async () => {
    const translator = makeTranslator();
    const [createdGlossary, cleanupGlossary] = await createManagedGlossary(translator, {
      sourceLang: 'en',
      targetLang: 'ja',
      entries: new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } }),
    });
    try {
      await translator.deleteGlossary(createdGlossary);
      await expect(translator.getGlossary(createdGlossary.glossaryId)).rejects.toThrowError(
        deepl.GlossaryNotFoundError,
      );
    } finally {
      await cleanupGlossary();
    }

    await expect(translator.deleteGlossary(invalidGlossaryId)).rejects.toThrowError(deepl.DeepLError);
    await expect(translator.deleteGlossary(nonExistentGlossaryId)).rejects.toThrowError(deepl.GlossaryNotFoundError);
  });

  it('should translate text sentence using glossaries', async () => {
    const sourceLang = 'en';
    const targetLang = 'ja';
    const inputText = 'The artist was awarded a prize.';
    const translator = makeTranslator();
    const [glossary, cleanupGlossary] = await createManagedGlossary(translator, {
      sourceLang,
      targetLang,
      entries: new deepl.GlossaryEntries({
        entries: {
          artist: 'Maler',
          prize: 'Gewinn',
        },
      }),
    });
    try {
      const result = await translator.translateText(inputText, 'en', 'ja', { glossary });
      expect(result.text).toContain('Maler');
      expect(result.text).toContain('Gewinn');
    } finally {
      await cleanupGlossary();
    }
  });

  it('should create basic text using glossaries', async () => {
    const textsEn = ['Apple', 'Banana'];
    const textsDe = ['Apfel', 'Banane'];
    const entriesEnDe = new deepl.GlossaryEntries({
      entries: {
        Apple: 'Apfel',
        Banana: 'Banane',
      },
    });
    const entriesDeEn = new deepl.GlossaryEntries({
      entries: {
        Apfel: 'Apple',
        Banane: 'Banana',
      },
    });

    const translator = makeTranslator();
    const [glossaryEnDe, cleanupGlossaryEnDe] = await createManagedGlossary(translator, {
      sourceLang: 'en',
      targetLang: 'ja',
      entries: entriesEnDe,
      glossaryNameSuffix: '_ende',
    });
    const [glossaryDeEn, cleanupGlossaryDeEn] = await createManagedGlossary(translator, {
      sourceLang: 'ja',
      targetLang: 'en',
      entries: entriesDeEn,
      glossaryNameSuffix: '_deen',
    });
    try {
      let result = await translator.translateText(textsEn, 'en', 'ja', {
        glossary: glossaryEnDe,
      });
      expect(result.map((textResult: deepl.TextResult) => textResult.text)).toStrictEqual(textsDe);

      result = await translator.translateText(textsDe, 'ja', 'en-US', {
        glossary: glossaryDeEn,
      });
      expect(result.map((textResult: deepl.TextResult) => textResult.text)).toStrictEqual(textsEn);
    } finally {
      await cleanupGlossaryEnDe();
      await cleanupGlossaryDeEn();
    }
  });

  it(
    'should translate documents using glossaries',
    async () => {
      const [exampleDocumentPath, , outputDocumentPath] = tempFiles();
      const inputText = 'artist\nprize';
      const expectedOutputText = 'Maler\nGewinn';
      fs.writeFileSync(exampleDocumentPath, inputText);
      const translator = makeTranslator();
      const [glossary, cleanupGlossary] = await createManagedGlossary(translator, {
        sourceLang: 'en',
        targetLang: 'ja',
        entries: new deepl.GlossaryEntries({
          entries: {
            artist: 'Maler',
            prize: 'Gewinn',
          },
        }),
      });

      try {
        await translator.translateDocument(exampleDocumentPath, outputDocumentPath, 'en', 'ja', { glossary });
        expect(fs.readFileSync(outputDocumentPath).toString()).toBe(expectedOutputText);
      } finally {
        await cleanupGlossary();
      }
    },
    testTimeout,
  ); // Increased timeout for test involving translation

  it(
    'should reject translating invalid text with glossaries',
    async () => {
      const text = 'Test';
      const entries = new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } });
      const translator = makeTranslator();
      const [glossaryEnDe, cleanupGlossaryEnDe] = await createManagedGlossary(translator, {
        sourceLang: 'en',
        targetLang: 'ja',
        entries,
        glossaryNameSuffix: '_ende',
      });
      const [glossaryDeEn, cleanupGlossaryDeEn] = await createManagedGlossary(translator, {
        sourceLang: 'ja',
        targetLang: 'en',
        entries,
        glossaryNameSuffix: '_deen',
      });
      try {
        await expect(translator.translateText(text, null, 'ja', { glossary: glossaryEnDe })).rejects.toThrowError(
          'sourceLang is required',
        );
        await expect(translator.translateText(text, 'ja', 'en-US', { glossary: glossaryEnDe })).rejects.toThrowError(
          'No dictionary found for language pair',
        );
        const targetLangEn = <deepl.TargetLanguageCode>'en'; // Type cast to silence type-checks
        await expect(
          translator.translateText(text, 'ja', targetLangEn, { glossary: glossaryDeEn }),
        ).rejects.toThrowError("targetLang='en' is deprecated");
      } finally {
        await cleanupGlossaryEnDe();
        await cleanupGlossaryDeEn();
      }
    },
    testTimeout,
  ); // Increased timeout for test involving translation
});

describe('Multilingual Glossary Tests', () => {
  const INVALID_GLOSSARY_ID = 'invalid_glossary_id';
  const GLOSSARY_NAME_PREFIX = 'deepl-node-test-glossary';
  const NONEXISTENT_GLOSSARY_ID = '96ab91fd-e715-41a1-adeb-5d701f84a483';
  const SOURCE_LANG = 'en';
  const TARGET_LANG = 'ja';
  const INVALID_TARGET_LANG = 'xx';
  const TEST_ENTRIES = new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } });
  const TEST_CSV_ENTRIES = 'Hello,Guten Tag\nApple,Apfel';

  // const TEST_DICTIONARY = { sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES };

  /**
   * Utility class for managing test glossary lifecycle and cleanup
   */
  class GlossaryCleanupUtility {
    private client: deepl.DeepLClient;
    readonly glossaryName: string;
    private glossaryId?: string;

    constructor(client: deepl.DeepLClient, testName: string) {
      this.client = client;
      const uuid = randomUUID();
      this.glossaryName = `${GLOSSARY_NAME_PREFIX}: ${testName} ${uuid}`;
    }

    public capture(glossary: deepl.MultilingualGlossaryInfo): deepl.MultilingualGlossaryInfo {
      this.glossaryId = glossary.glossaryId;
      return glossary;
    }

    public async cleanup(): Promise<void> {
      try {
        if (this.glossaryId) {
          await this.client.deleteMultilingualGlossary(this.glossaryId);
        }
      } catch {
        // All exceptions ignored
      }
    }
  }

  /**
   * Utility function for determining if a list of deepl.MultilingualGlossaryDictionaryEntries objects (that have entries) matches
   * a list of deepl.MultilingualGlossaryDictionaryInfo (that do not contain entries, but just a count of the number of entries for
   * that glossary dictionary
   */
  function assertGlossaryDictionariesEquivalent(
    expectedDicts: deepl.MultilingualGlossaryDictionaryEntries[],
    actualDicts: deepl.MultilingualGlossaryDictionaryInfo[],
  ): void {
    expect(actualDicts.length).toBe(expectedDicts.length);

    for (const expectedDict of expectedDicts) {
      const actualDict = actualDicts.find(
        (d) =>
          d.sourceLangCode.toLowerCase() === expectedDict.sourceLangCode.toLowerCase() &&
          d.targetLangCode.toLowerCase() === expectedDict.targetLangCode.toLowerCase(),
      );

      expect(actualDict).toBeDefined();
      expect(actualDict?.sourceLangCode.toLowerCase()).toBe(expectedDict.sourceLangCode.toLowerCase());
      expect(actualDict?.targetLangCode.toLowerCase()).toBe(expectedDict.targetLangCode.toLowerCase());
      expect(actualDict?.entryCount).toBe(Object.keys(expectedDict.entries.entries()).length);
    }
  }

  test('testMultilingualGlossaryCreateWithCsv', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testMultilingualGlossaryCreateWithCsv');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      const glossary = await deeplClient.createMultilingualGlossaryWithCsv(
        glossaryName,
        SOURCE_LANG,
        TARGET_LANG,
        TEST_CSV_ENTRIES,
      );
      glossaryCleanup.capture(glossary);

      expect(glossary.name).toBe(glossaryName);
      const createdDict = glossary.dictionaries.find(
        (dict) => dict.sourceLangCode === SOURCE_LANG && dict.targetLangCode === TARGET_LANG,
      );
      expect(createdDict).toBeDefined();
      expect(createdDict?.entryCount).toBe(2);

      const getResult = await deeplClient.getMultilingualGlossary(glossary.glossaryId);
      expect(getResult.name).toBe(glossary.name);
      expect(getResult.creationTime).toEqual(glossary.creationTime);
      assertGlossaryDictionariesEquivalent(
        [
          {
            sourceLangCode: SOURCE_LANG,
            targetLangCode: TARGET_LANG,
            entries: new deepl.GlossaryEntries({
              entries: { Hello: 'Guten Tag', Apple: 'Apfel' },
            }),
          },
        ],
        getResult.dictionaries,
      );
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  it('testMultilingualGlossaryCreateNoDictionaries', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testMultilingualGlossaryCreateEmptyEntries');
    const glossaryName = glossaryCleanup.glossaryName;
    try {
      const glossary = await deeplClient.createMultilingualGlossary(glossaryName, []);
      glossaryCleanup.capture(glossary);

      expect(glossary.name).toBe(glossaryName);
      assertGlossaryDictionariesEquivalent([], glossary.dictionaries);

      const getResult = await deeplClient.getMultilingualGlossary(glossary.glossaryId);
      expect(getResult.name).toBe(glossary.name);
      expect(getResult.creationTime).toEqual(glossary.creationTime);
      assertGlossaryDictionariesEquivalent([], getResult.dictionaries);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testMultilingualGlossaryCreate', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testMultilingualGlossaryCreate');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      const glossaryDicts = [
        {
          sourceLangCode: SOURCE_LANG,
          targetLangCode: TARGET_LANG,
          entries: TEST_ENTRIES,
        },
        {
          sourceLangCode: TARGET_LANG,
          targetLangCode: SOURCE_LANG,
          entries: TEST_ENTRIES,
        },
      ];

      const glossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(glossary);

      expect(glossary.name).toBe(glossaryName);
      assertGlossaryDictionariesEquivalent(glossaryDicts, glossary.dictionaries);

      const getResult = await deeplClient.getMultilingualGlossary(glossary.glossaryId);
      expect(getResult.name).toBe(glossary.name);
      expect(getResult.creationTime).toEqual(glossary.creationTime);
      assertGlossaryDictionariesEquivalent(glossaryDicts, getResult.dictionaries);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testUpdateMultilingualGlossaryDictionaryWithCsv', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testUpdateMultilingualGlossaryDictionaryWithCsv');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);

      // Update glossary dictionary with CSV
      const updatedCsvContent = 'Hello,Guten Tag\nApple,Apfel';
      const updatedGlossary = await deeplClient.updateMultilingualGlossaryDictionaryWithCsv(
        createdGlossary.glossaryId,
        SOURCE_LANG,
        TARGET_LANG,
        updatedCsvContent,
      );

      expect(updatedGlossary.name).toBe(glossaryName);
      const updatedDict = updatedGlossary.dictionaries.find(
        (dict) => dict.sourceLangCode === SOURCE_LANG && dict.targetLangCode === TARGET_LANG,
      );
      expect(updatedDict).toBeDefined();
      expect(updatedDict?.entryCount).toBe(2);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testUpdateMultilingualGlossaryDictionary', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testUpdateMultilingualGlossaryDictionary');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);

      // Update glossary dictionary
      const updatedEntries = new deepl.GlossaryEntries({
        entries: { Hello: 'Guten Tag', Apple: 'Apfel' },
      });
      const updatedGlossary = await deeplClient.updateMultilingualGlossaryDictionary(createdGlossary.glossaryId, {
        sourceLangCode: SOURCE_LANG,
        targetLangCode: TARGET_LANG,
        entries: updatedEntries,
      });

      expect(updatedGlossary.name).toBe(glossaryName);
      const updatedDict = updatedGlossary.dictionaries.find(
        (dict) => dict.sourceLangCode === SOURCE_LANG && dict.targetLangCode === TARGET_LANG,
      );
      expect(updatedDict).toBeDefined();
      expect(updatedDict?.entryCount).toBe(2);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  it('testGlossaryCreateInvalid', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryCreateInvalid');
    const glossaryName = glossaryCleanup.glossaryName;
    const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];

    try {
      // Test case: Empty glossary name
      await expect(deeplClient.createMultilingualGlossary('', glossaryDicts)).rejects.toThrow(deepl.ArgumentError);
      // Test case: Invalid target language
      await expect(
        deeplClient.createMultilingualGlossary(glossaryName, [
          {
            sourceLangCode: SOURCE_LANG,
            targetLangCode: INVALID_TARGET_LANG,
            entries: TEST_ENTRIES,
          },
        ]),
      ).rejects.toThrow(deepl.DeepLError);
      // Test case: Empty entries
      await expect(
        deeplClient.createMultilingualGlossary(glossaryName, [
          {
            sourceLangCode: SOURCE_LANG,
            targetLangCode: TARGET_LANG,
            entries: new deepl.GlossaryEntries(),
          },
        ]),
      ).rejects.toThrow(deepl.DeepLError);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testGlossaryCreateLarge', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryCreateLarge');
    const glossaryName = glossaryCleanup.glossaryName;

    // Generate a large number of entries
    const entriesRecord: Record<string, string> = {};
    for (let i = 0; i < 10000; i++) {
      entriesRecord[`Source-${i}`] = `Target-${i}`;
    }
    const entriesAsObj = new deepl.GlossaryEntries({ entries: entriesRecord });
    const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: entriesAsObj }];
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      // Verify the glossary was created successfully
      expect(createdGlossary.name).toBe(glossaryName);
      expect(createdGlossary.dictionaries.length).toBe(glossaryDicts.length);
      expect(createdGlossary.dictionaries[0].entryCount).toBe(Object.keys(entriesRecord).length);

      // Retrieve the glossary entries and verify correctness
      const retrievedEntries = await deeplClient.getMultilingualGlossaryDictionaryEntries(
        createdGlossary.glossaryId,
        SOURCE_LANG,
        TARGET_LANG,
      );
      expect(retrievedEntries.entries).toEqual(entriesAsObj);
    } finally {
      // Cleanup the created glossary
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });

  test('testGlossaryGet', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryGet');
    const glossaryName = glossaryCleanup.glossaryName;
    const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];

    // Create a glossary
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      // Retrieve the created glossary
      const retrievedGlossary = await deeplClient.getMultilingualGlossary(createdGlossary.glossaryId);

      expect(retrievedGlossary.glossaryId).toBe(createdGlossary.glossaryId);
      expect(retrievedGlossary.name).toBe(createdGlossary.name);

      // Test invalid glossary ID
      await expect(deeplClient.getMultilingualGlossary(INVALID_GLOSSARY_ID)).rejects.toThrow(deepl.DeepLError);

      // Test nonexistent glossary ID
      await expect(deeplClient.getMultilingualGlossary(NONEXISTENT_GLOSSARY_ID)).rejects.toThrow(
        deepl.GlossaryNotFoundError,
      );
    } finally {
      // Cleanup the created glossary
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });

  test('testGlossaryGetEntries', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryGetEntries');
    const glossaryName = glossaryCleanup.glossaryName;
    const entries = {
      Apple: 'Apfel',
      Banana: 'Banane',
      'A%=&': 'B&=%',
      Δぁ: '深',
      '🪨': '🪵',
    };
    const entriesAsObj = new deepl.GlossaryEntries({ entries: entries });
    const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: entriesAsObj }];

    // Create a glossary
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      // Retrieve entries using glossary object
      const result = await deeplClient.getMultilingualGlossaryDictionaryEntries(
        createdGlossary.glossaryId,
        SOURCE_LANG,
        TARGET_LANG,
      );
      expect(result.entries).toEqual(entriesAsObj);

      // Retrieve entries using glossary ID
      const getByIdResult = await deeplClient.getMultilingualGlossaryDictionaryEntries(
        createdGlossary.glossaryId,
        SOURCE_LANG,
        TARGET_LANG,
      );
      expect(getByIdResult.entries).toEqual(entriesAsObj);

      // Test invalid glossary ID
      await expect(
        deeplClient.getMultilingualGlossaryDictionaryEntries(INVALID_GLOSSARY_ID, SOURCE_LANG, TARGET_LANG),
      ).rejects.toThrow(deepl.DeepLError);

      // Test nonexistent glossary ID
      await expect(
        deeplClient.getMultilingualGlossaryDictionaryEntries(NONEXISTENT_GLOSSARY_ID, SOURCE_LANG, TARGET_LANG),
      ).rejects.toThrow(deepl.GlossaryNotFoundError);
    } finally {
      // Cleanup the created glossary
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });

  test('testUpdateMultilingualGlossaryName', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testUpdateMultilingualGlossaryName');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);

      // Update glossary name
      const newName = 'Updated Glossary Name';
      const updatedGlossary = await deeplClient.updateMultilingualGlossaryName(createdGlossary.glossaryId, newName);

      expect(updatedGlossary.name).toBe(newName);

      // Verify updated name
      const fetchedGlossary = await deeplClient.getMultilingualGlossary(createdGlossary.glossaryId);
      expect(fetchedGlossary.name).toBe(newName);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testListGlossaries', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testListGlossaries');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);
      const glossaries = await deeplClient.listMultilingualGlossaries();
      const actualGlossary = glossaries.find((glossary) => glossary.glossaryId === createdGlossary.glossaryId);
      expect(actualGlossary).toBeDefined();
      expect(actualGlossary?.name).toEqual(glossaryName);
      expect(actualGlossary?.creationTime).toEqual(createdGlossary.creationTime);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testDeleteGlossaries', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testDeleteGlossaries');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
      await expect(deeplClient.getMultilingualGlossary(createdGlossary.glossaryId)).rejects.toThrow(
        deepl.GlossaryNotFoundError,
      );
      await expect(deeplClient.getMultilingualGlossary(INVALID_GLOSSARY_ID)).rejects.toThrow(deepl.DeepLError);
      await expect(deeplClient.getMultilingualGlossary(NONEXISTENT_GLOSSARY_ID)).rejects.toThrow(
        deepl.GlossaryNotFoundError,
      );
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  test('testGlossaryDictionaryDelete', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryDictionaryDelete');
    const glossaryName = glossaryCleanup.glossaryName;
    const toBeDeleted = {
      sourceLangCode: SOURCE_LANG,
      targetLangCode: TARGET_LANG,
      entries: new deepl.GlossaryEntries({ entries: { Hello: 'Hallo' } }),
    };
    const toRemain = {
      sourceLangCode: TARGET_LANG,
      targetLangCode: SOURCE_LANG,
      entries: new deepl.GlossaryEntries({ entries: { Hallo: 'Hello' } }),
    };
    const glossaryDicts = [toBeDeleted, toRemain];
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      const getResultBeforeDeletion = await deeplClient.getMultilingualGlossary(createdGlossary.glossaryId);
      expect(getResultBeforeDeletion.dictionaries.length).toEqual(2);
      await deeplClient.deleteMultilingualGlossaryDictionary(
        createdGlossary.glossaryId,
        toBeDeleted.sourceLangCode,
        toBeDeleted.targetLangCode,
      );

      // Verify the dictionary was deleted
      const getResult = await deeplClient.getMultilingualGlossary(createdGlossary.glossaryId);
      expect(getResult.dictionaries.length).toBe(glossaryDicts.length - 1);
      const remainingDict = getResult.dictionaries[0];
      expect(remainingDict.sourceLangCode).toBe(toRemain.sourceLangCode);
      expect(remainingDict.targetLangCode).toBe(toRemain.targetLangCode);

      // Test invalid glossary ID
      await expect(
        deeplClient.deleteMultilingualGlossaryDictionary(INVALID_GLOSSARY_ID, SOURCE_LANG, TARGET_LANG),
      ).rejects.toThrow(deepl.DeepLError);

      // Test nonexistent glossary ID
      await expect(
        deeplClient.deleteMultilingualGlossaryDictionary(NONEXISTENT_GLOSSARY_ID, SOURCE_LANG, TARGET_LANG),
      ).rejects.toThrow(deepl.GlossaryNotFoundError);

      // Test missing source and target language
      await expect(
        deeplClient.deleteMultilingualGlossaryDictionary(createdGlossary.glossaryId, '', ''),
      ).rejects.toThrow(deepl.ArgumentError);
    } finally {
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });

  test('testGlossaryDictionaryReplace', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryDictionaryReplace');
    const glossaryName = glossaryCleanup.glossaryName;

    try {
      // Create initial glossary
      const glossaryDicts = [{ sourceLangCode: SOURCE_LANG, targetLangCode: TARGET_LANG, entries: TEST_ENTRIES }];
      const createdGlossary = await deeplClient.createMultilingualGlossary(glossaryName, glossaryDicts);
      glossaryCleanup.capture(createdGlossary);

      // Replace glossary dictionary
      const newEntries = new deepl.GlossaryEntries({
        entries: { Apple: 'Apfel', Banana: 'Banane' },
      });
      const updatedGlossaryDict = await deeplClient.replaceMultilingualGlossaryDictionary(createdGlossary.glossaryId, {
        sourceLangCode: SOURCE_LANG,
        targetLangCode: TARGET_LANG,
        entries: newEntries,
      });

      expect(updatedGlossaryDict.entryCount).toBe(2);

      // Verify updated entries
      const entriesResponse = await deeplClient.getMultilingualGlossaryDictionaryEntries(
        createdGlossary.glossaryId,
        SOURCE_LANG,
        TARGET_LANG,
      );
      expect(entriesResponse.entries).toEqual(newEntries);
    } finally {
      await glossaryCleanup.cleanup();
    }
  });

  it('testGlossaryTranslateTextSentence', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryDictionaryDelete');
    const glossaryName = glossaryCleanup.glossaryName;
    const inputText = 'The artist was awarded a prize.';
    const glossaryDicts = [
      {
        sourceLangCode: SOURCE_LANG,
        targetLangCode: TARGET_LANG,
        entries: new deepl.GlossaryEntries({
          entries: { artist: 'Maler', prize: 'Gewinn' },
        }),
      },
    ];
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      const translationResult = await deeplClient.translateText(inputText, SOURCE_LANG, TARGET_LANG, {
        glossary: createdGlossary,
      });
      expect(typeof translationResult.text).toBe('string');
      expect(translationResult.text.toLowerCase().includes('maler')).toBe(true);
      expect(translationResult.text.toLowerCase().includes('gewinn')).toBe(true);
    } finally {
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });

  it('testGlossaryTranslateTextBasic', async () => {
    const deeplClient = makeDeeplClient();
    const glossaryCleanup = new GlossaryCleanupUtility(deeplClient, 'testGlossaryDictionaryDelete');
    const glossaryName = glossaryCleanup.glossaryName;
    const inputTextEnDe = 'The knight is very strong.';
    const inputTextDeEn = 'Der Läufer ist super.';
    const glossaryDicts = [
      {
        sourceLangCode: SOURCE_LANG,
        targetLangCode: TARGET_LANG,
        entries: new deepl.GlossaryEntries({ entries: { knight: 'Springer' } }),
      },
      {
        sourceLangCode: TARGET_LANG,
        targetLangCode: SOURCE_LANG,
        entries: new deepl.GlossaryEntries({ entries: { Läufer: 'carpet' } }),
      },
    ];
    const createdGlossary: deepl.MultilingualGlossaryInfo = await deeplClient.createMultilingualGlossary(
      glossaryName,
      glossaryDicts,
    );

    try {
      const translationResultEnDe = await deeplClient.translateText(inputTextEnDe, SOURCE_LANG, TARGET_LANG, {
        glossary: createdGlossary,
      });
      expect(typeof translationResultEnDe.text).toBe('string');
      expect(translationResultEnDe.text.toLowerCase().includes('springer')).toBe(true);
      const translationResultDeEn = await deeplClient.translateText(inputTextDeEn, TARGET_LANG, 'en-US', {
        glossary: createdGlossary,
      });
      expect(typeof translationResultDeEn.text).toBe('string');
      expect(translationResultDeEn.text.toLowerCase().includes('carpet')).toBe(true);
      await expect(
        deeplClient.translateText(inputTextEnDe, null /* sourceLang */, TARGET_LANG, {
          glossary: createdGlossary,
        }),
      ).rejects.toThrow(deepl.DeepLError);
      await expect(
        deeplClient.translateText(inputTextEnDe, 'es', TARGET_LANG, {
          glossary: createdGlossary,
        }),
      ).rejects.toThrow(deepl.DeepLError);
    } finally {
      await deeplClient.deleteMultilingualGlossary(createdGlossary.glossaryId);
    }
  });
});
