// Glossaries in D1 (tables glossaries, dictionaries, dictionary_chunks: migrations/0001_keys_usage_glossaries.sql),
// each visible to its owner only: another owner's glossary reads as absent (GlossaryNotFoundError).
//
// - Every write is one D1 batch, which D1 runs as one transaction: a failed create or update leaves nothing
//   half-written, and a reader sees a glossary before or after a change, never during one. Every change increments
//   the glossary's `version` in the same batch.
// - Translation reads a dictionary through `matcher`: the glossary's version (read with the request's usage charge, in
//   the same D1 batch: ../http/usage.ts), and the compiled matcher from this isolate's cache when the version is the
//   one it was compiled from; otherwise the entries are read in one batch with the version (a consistent snapshot)
//   and compiled again. So a change is seen by the next request, and a glossary deleted while a request uses it gives
//   that request its old terms; the next gets a 404.
// - Entries are stored as TSV in chunks of at most CHUNK_BYTES (D1 values are limited to 2 MB), in entry order.
import { MAX_GLOSSARY_BYTES, toTsv, tsvBytes, utf8Bytes, type Entry } from '../core/glossary/entries.js';
import { GlossaryMatcher } from '../core/glossary/match.js';

/** DeepL's limit of glossaries an account (here: an owner) may have. */
export const MAX_GLOSSARIES = 1000;
const CHUNK_BYTES = 1_000_000;
const CACHED_MATCHERS = 64; // compiled dictionaries an isolate keeps (a 1,000-entry one is ~0.5 MB)

export interface DictionaryInfo {
  sourceLang: string; // lower case, as stored: "en"
  targetLang: string;
  entryCount: number;
}

export interface GlossaryInfo {
  id: string;
  name: string;
  createdAt: string; // ISO 8601
  dictionaries: DictionaryInfo[];
}

export interface Dictionary {
  sourceLang: string;
  targetLang: string;
  entries: Entry[];
}

/** No glossary of that id for this owner (absent, deleted, or another owner's): 404. */
export class GlossaryNotFoundError extends Error {}
/** The glossary has no dictionary for the pair: 404. */
export class DictionaryNotFoundError extends Error {}
/** A limit would be passed (count or size): the message says which. */
export class GlossaryLimitError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
  }
}

type Row = Record<string, unknown>;

export class GlossaryStore {
  constructor(private readonly db: D1Database) {}

  /** A new glossary with `dictionaries` (none is allowed, as DeepL's v3 allows). */
  async create(owner: string, name: string, dictionaries: Dictionary[]): Promise<GlossaryInfo> {
    checkSize(dictionaries.map((d) => tsvBytes(d.entries)));
    const count = await this.db
      .prepare('SELECT count(*) AS n FROM glossaries WHERE owner = ?1')
      .bind(owner)
      .first<number>('n');
    if ((count ?? 0) >= MAX_GLOSSARIES)
      throw new GlossaryLimitError(
        `Too many glossaries: a key may have at most ${MAX_GLOSSARIES}; delete one first.`,
        400,
      );
    const glossary = { id: crypto.randomUUID(), name, createdAt: new Date().toISOString() };
    await this.db.batch([
      this.db
        .prepare('INSERT INTO glossaries (id, owner, name, created_at) VALUES (?1, ?2, ?3, ?4)')
        .bind(glossary.id, owner, name, glossary.createdAt),
      ...dictionaries.flatMap((d) => this.insertDictionary(glossary.id, d)),
    ]);
    return { ...glossary, dictionaries: dictionaries.map(infoOf) };
  }

  /** The owner's glossaries, oldest first. */
  async list(owner: string): Promise<GlossaryInfo[]> {
    const { results } = await this.db
      .prepare(
        `SELECT g.id, g.name, g.created_at, d.source_lang, d.target_lang, d.entry_count FROM glossaries g
         LEFT JOIN dictionaries d ON d.glossary_id = g.id WHERE g.owner = ?1 ORDER BY g.created_at, g.id, d.source_lang, d.target_lang`,
      )
      .bind(owner)
      .all<Row>();
    return glossariesOf(results);
  }

  async get(owner: string, id: string): Promise<GlossaryInfo> {
    const { results } = await this.db
      .prepare(
        `SELECT g.id, g.name, g.created_at, d.source_lang, d.target_lang, d.entry_count FROM glossaries g
         LEFT JOIN dictionaries d ON d.glossary_id = g.id WHERE g.id = ?1 AND g.owner = ?2 ORDER BY d.source_lang, d.target_lang`,
      )
      .bind(id, owner)
      .all<Row>();
    const [glossary] = glossariesOf(results);
    if (!glossary) throw new GlossaryNotFoundError();
    return glossary;
  }

  /** A dictionary's entries, in the order they were given. */
  async entries(owner: string, id: string, sourceLang: string, targetLang: string): Promise<Entry[]> {
    return parseStored((await this.readDictionary(owner, id, sourceLang, targetLang)).tsv);
  }

  async delete(owner: string, id: string): Promise<void> {
    const [, , glossary] = await this.db.batch([
      this.db
        .prepare(
          'DELETE FROM dictionary_chunks WHERE glossary_id = ?1 AND glossary_id IN (SELECT id FROM glossaries WHERE owner = ?2)',
        )
        .bind(id, owner),
      this.db
        .prepare(
          'DELETE FROM dictionaries WHERE glossary_id = ?1 AND glossary_id IN (SELECT id FROM glossaries WHERE owner = ?2)',
        )
        .bind(id, owner),
      this.db.prepare('DELETE FROM glossaries WHERE id = ?1 AND owner = ?2').bind(id, owner),
    ]);
    if (!glossary?.meta.changes) throw new GlossaryNotFoundError();
  }

  /** Renames the glossary and/or merges `dictionary` into its dictionary of that pair (entries given replace theirs). */
  async update(owner: string, id: string, change: { name?: string; dictionary?: Dictionary }): Promise<GlossaryInfo> {
    const current = await this.get(owner, id);
    const statements: D1PreparedStatement[] = [];
    if (change.name !== undefined)
      statements.push(this.db.prepare('UPDATE glossaries SET name = ?2 WHERE id = ?1').bind(id, change.name));
    if (change.dictionary) {
      const { sourceLang, targetLang } = change.dictionary;
      const has = current.dictionaries.some((d) => d.sourceLang === sourceLang && d.targetLang === targetLang);
      const old = has ? await this.entries(owner, id, sourceLang, targetLang) : [];
      const merged = new Map(old.map((e) => [e.source, e.target]));
      for (const e of change.dictionary.entries) merged.set(e.source, e.target);
      statements.push(
        ...(await this.replaceDictionary(current, {
          sourceLang,
          targetLang,
          entries: [...merged].map(([source, target]) => ({ source, target })),
        })),
      );
    }
    await this.write(id, statements);
    return this.get(owner, id);
  }

  /** Replaces (or adds) the glossary's dictionary of that pair. */
  async putDictionary(owner: string, id: string, dictionary: Dictionary): Promise<DictionaryInfo> {
    const current = await this.get(owner, id);
    await this.write(id, await this.replaceDictionary(current, dictionary));
    return infoOf(dictionary);
  }

  async deleteDictionary(owner: string, id: string, sourceLang: string, targetLang: string): Promise<void> {
    const current = await this.get(owner, id);
    if (!current.dictionaries.some((d) => d.sourceLang === sourceLang && d.targetLang === targetLang))
      throw new DictionaryNotFoundError();
    await this.write(id, [this.deleteDictionaryStatement(id, sourceLang, targetLang)]);
  }

  /**
   * The terms of the glossary's `sourceLang` -> `targetLang` dictionary as a finder for translation, compiled once per
   * version of the glossary in this isolate.
   */
  async matcher(
    owner: string,
    id: string,
    sourceLang: string,
    targetLang: string,
    known?: number | null,
  ): Promise<GlossaryMatcher> {
    const key = `${id}/${sourceLang}-${targetLang}`;
    const cached = MATCHERS.get(key);
    if (cached) {
      const version = known !== undefined ? known : await this.version(owner, id);
      if (version === null) throw new GlossaryNotFoundError();
      if (version === cached.version) return cached.matcher;
    }
    const { version, tsv } = await this.readDictionary(owner, id, sourceLang, targetLang);
    const matcher = new GlossaryMatcher(parseStored(tsv));
    MATCHERS.delete(key);
    MATCHERS.set(key, { version, matcher });
    if (MATCHERS.size > CACHED_MATCHERS) MATCHERS.delete(MATCHERS.keys().next().value!); // the least recently compiled
    return matcher;
  }

  /** The glossary's current version (null: no such glossary of this owner). */
  async version(owner: string, id: string): Promise<number | null> {
    return this.versionStatement(owner, id).first<number>('version');
  }

  /** The statement `version` runs, for a caller that batches it with its own (../http/usage.ts: the usage charge). */
  versionStatement(owner: string, id: string): D1PreparedStatement {
    return this.db.prepare('SELECT version FROM glossaries WHERE id = ?1 AND owner = ?2').bind(id, owner);
  }

  /** The glossary's version and a dictionary's TSV, read together (one transaction). */
  private async readDictionary(
    owner: string,
    id: string,
    sourceLang: string,
    targetLang: string,
  ): Promise<{ version: number; tsv: string }> {
    const [glossary, dictionary, chunks] = await this.db.batch<Row>([
      this.db.prepare('SELECT version FROM glossaries WHERE id = ?1 AND owner = ?2').bind(id, owner),
      this.db
        .prepare(
          'SELECT entry_count FROM dictionaries WHERE glossary_id = ?1 AND source_lang = ?2 AND target_lang = ?3',
        )
        .bind(id, sourceLang, targetLang),
      this.db
        .prepare(
          'SELECT entries FROM dictionary_chunks WHERE glossary_id = ?1 AND source_lang = ?2 AND target_lang = ?3 ORDER BY seq',
        )
        .bind(id, sourceLang, targetLang),
    ]);
    const version = glossary?.results[0]?.version;
    if (typeof version !== 'number') throw new GlossaryNotFoundError();
    if (!dictionary?.results.length) throw new DictionaryNotFoundError();
    return { version, tsv: (chunks?.results ?? []).map((row) => String(row.entries)).join('\n') };
  }

  /** Statements that replace the dictionary of `dictionary`'s pair in `glossary`, within the size limit. */
  private async replaceDictionary(glossary: GlossaryInfo, dictionary: Dictionary): Promise<D1PreparedStatement[]> {
    const others = await this.db
      .prepare(
        'SELECT coalesce(sum(bytes), 0) AS bytes FROM dictionaries WHERE glossary_id = ?1 AND NOT (source_lang = ?2 AND target_lang = ?3)',
      )
      .bind(glossary.id, dictionary.sourceLang, dictionary.targetLang)
      .first<number>('bytes');
    checkSize([others ?? 0, tsvBytes(dictionary.entries)]);
    return [
      this.deleteDictionaryStatement(glossary.id, dictionary.sourceLang, dictionary.targetLang),
      ...this.insertDictionary(glossary.id, dictionary),
    ];
  }

  private deleteDictionaryStatement(id: string, sourceLang: string, targetLang: string): D1PreparedStatement {
    // dictionary_chunks go with it (ON DELETE CASCADE; D1 enforces foreign keys).
    return this.db
      .prepare('DELETE FROM dictionaries WHERE glossary_id = ?1 AND source_lang = ?2 AND target_lang = ?3')
      .bind(id, sourceLang, targetLang);
  }

  private insertDictionary(id: string, { sourceLang, targetLang, entries }: Dictionary): D1PreparedStatement[] {
    return [
      this.db
        .prepare(
          'INSERT INTO dictionaries (glossary_id, source_lang, target_lang, entry_count, bytes) VALUES (?1, ?2, ?3, ?4, ?5)',
        )
        .bind(id, sourceLang, targetLang, entries.length, tsvBytes(entries)),
      ...chunksOf(entries).map((tsv, seq) =>
        this.db
          .prepare(
            'INSERT INTO dictionary_chunks (glossary_id, source_lang, target_lang, seq, entries) VALUES (?1, ?2, ?3, ?4, ?5)',
          )
          .bind(id, sourceLang, targetLang, seq, tsv),
      ),
    ];
  }

  /** Runs a change with the version increment, as one transaction; a glossary deleted meanwhile is a 404. */
  private async write(id: string, statements: D1PreparedStatement[]): Promise<void> {
    try {
      await this.db.batch([
        ...statements,
        this.db.prepare('UPDATE glossaries SET version = version + 1 WHERE id = ?1').bind(id),
      ]);
    } catch (err) {
      if (String(err).includes('FOREIGN KEY')) throw new GlossaryNotFoundError(); // deleted between our read and this write
      throw err;
    }
  }
}

/** Compiled dictionaries of this isolate, by glossary/pair, with the glossary version they were compiled from. */
const MATCHERS = new Map<string, { version: number; matcher: GlossaryMatcher }>();

function checkSize(dictionaryBytes: number[]): void {
  const bytes = dictionaryBytes.reduce((a, b) => a + b, 0);
  if (bytes > MAX_GLOSSARY_BYTES)
    throw new GlossaryLimitError(
      `Glossary too large: its entries are ${bytes} bytes as TSV, at most ${MAX_GLOSSARY_BYTES} (10 MiB).`,
      413,
    );
}

/** Entries as TSV chunks of at most CHUNK_BYTES, cut between entries. */
function chunksOf(entries: Entry[]): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let bytes = 0;
  for (const line of toTsv(entries).split('\n')) {
    const size = utf8Bytes(line) + 1;
    if (bytes + size > CHUNK_BYTES && lines.length > 0) {
      chunks.push(lines.join('\n'));
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length > 0) chunks.push(lines.join('\n'));
  return chunks;
}

/** Stored TSV was validated when it was written: one entry a line, one tab each. */
function parseStored(tsv: string): Entry[] {
  if (tsv === '') return [];
  return tsv.split('\n').map((line) => {
    const tab = line.indexOf('\t');
    return { source: line.slice(0, tab), target: line.slice(tab + 1) };
  });
}

const infoOf = ({ sourceLang, targetLang, entries }: Dictionary): DictionaryInfo => ({
  sourceLang,
  targetLang,
  entryCount: entries.length,
});

/** Rows of a glossaries LEFT JOIN dictionaries, as glossaries in row order. */
function glossariesOf(rows: Row[]): GlossaryInfo[] {
  const byId = new Map<string, GlossaryInfo>();
  for (const row of rows) {
    const id = String(row.id);
    let glossary = byId.get(id);
    if (!glossary)
      byId.set(id, (glossary = { id, name: String(row.name), createdAt: String(row.created_at), dictionaries: [] }));
    if (row.source_lang !== null)
      glossary.dictionaries.push({
        sourceLang: String(row.source_lang),
        targetLang: String(row.target_lang),
        entryCount: Number(row.entry_count),
      });
  }
  return [...byId.values()];
}
