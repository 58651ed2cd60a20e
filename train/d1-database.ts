// The D1 database of wrangler.toml (binding DB) for the command-line tools (./keys.ts), locally or for real, with its
// migrations applied first (`wrangler d1 migrations apply`: idempotent).
// --local opens the state `wrangler dev --persist-to DIR` (and `npm start`) serve from, through wrangler's
// getPlatformProxy, as ./r2-bucket.ts does for R2. --remote runs `wrangler d1 execute DB --remote --json` per call,
// with the parameters written into the SQL as quoted literals (the CLI has no parameter binding); credentials stay
// with wrangler.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrangler } from './r2-bucket.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type Param = string | number | null;
export type Row = Record<string, unknown>;

export interface Database {
  readonly description: string;
  all(sql: string, params?: Param[]): Promise<Row[]>;
  /** The statements as one transaction. */
  batch(statements: [sql: string, params: Param[]][]): Promise<void>;
  close(): Promise<void>;
}

/** wrangler's local D1 in `persistTo` (default .wrangler/state, as `npm start`), migrated. */
export async function localDatabase(persistTo: string): Promise<Database> {
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
  const { getPlatformProxy } = await import('wrangler');
  const scratch = await mkdtemp(join(tmpdir(), 'keys-'));
  const configPath = join(scratch, 'wrangler.json');
  // The same binding and database_name as wrangler.toml, so the same local database file.
  await writeFile(
    configPath,
    JSON.stringify({ name: 'keys', compatibility_date: '2026-04-01', d1_databases: [await databaseBlock()] }),
  );
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath, persist: { path: join(persistTo, 'v3') } });
  const db = proxy.env.DB;
  const bind = (sql: string, params: Param[]) => db.prepare(sql).bind(...params);
  return {
    description: `local D1 (${relative(process.cwd(), persistTo) || '.'})`,
    async all(sql, params = []) {
      return (await bind(sql, params).all<Row>()).results;
    },
    async batch(statements) {
      await db.batch(statements.map(([sql, params]) => bind(sql, params)));
    },
    async close() {
      await proxy.dispose();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The deployment's D1 (`wrangler d1 execute DB --remote`), migrated. */
export async function remoteDatabase(): Promise<Database> {
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--remote']);
  const execute = async (sql: string): Promise<Row[]> => {
    const out = JSON.parse(
      (await wrangler(['d1', 'execute', 'DB', '--remote', '--json', '--command', sql])).toString(),
    ) as { results: Row[] }[];
    return out.at(-1)?.results ?? [];
  };
  return {
    description: 'remote D1 (DB in wrangler.toml)',
    all: (sql, params = []) => execute(inline(sql, params)),
    async batch(statements) {
      await execute(statements.map(([sql, params]) => inline(sql, params)).join(';\n'));
    },
    async close() {},
  };
}

/** `sql` with ?1, ?2, ... replaced by the parameters as SQL literals (strings quoted, quotes doubled). */
function inline(sql: string, params: Param[]): string {
  return sql.replace(/\?(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === undefined) throw new Error(`no parameter ?${n} for: ${sql}`);
    return value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
  });
}

/** wrangler.toml's [[d1_databases]] block for binding DB (binding, database_name and, if any, database_id). */
async function databaseBlock(): Promise<Record<string, string>> {
  const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
  const block = toml.split(/^\[\[d1_databases\]\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  const fields = Object.fromEntries([...block.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
  if (fields.binding !== 'DB') throw new Error('wrangler.toml has no [[d1_databases]] block with binding = "DB"');
  return fields;
}
