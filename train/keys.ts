// API keys of the deployment, in its D1 database (tables api_keys and usage; src/store/keys.ts reads them):
//
//   npm run keys -- add --name NAME [--limit CHARACTERS] [--local | --remote] [--persist-to DIR]
//   npm run keys -- list [--local | --remote]
//   npm run keys -- revoke ID [--local | --remote]
//
// `add` prints the new key once: only its SHA-256 is stored. Each key is its own owner: its glossaries, its usage
// against its character limit (DeepL's /v2/usage; default: no limit), its own rate-limit window. Once any key exists,
// every request needs a key (this one, another, or the API_KEY secret, which stays valid); revoking the last key does
// not open the deployment again. --local (default) is wrangler's local state that `npm start` serves; --remote the
// deployment's database (credentials stay with wrangler). The database's migrations are applied first.
import { parseArgs } from 'node:util';
import { hashKey, newKey, UNLIMITED } from '../src/core/api-keys.js';
import { intFlag, runCli, UsageError } from './cli.js';
import { localDatabase, remoteDatabase, type Database } from './d1-database.js';

const USAGE = `usage: npm run keys -- add --name NAME [--limit CHARACTERS] | list | revoke ID   [--local | --remote] [--persist-to DIR]
  add          make a key; it is printed once (only its hash is kept)
  --name NAME  what the key is for (shown by list)
  --limit N    characters it may translate in all (default: no limit); over it, DeepL's 456 "Quota exceeded"
  list         every key: id, name, created, revoked, characters used / limit
  revoke ID    the key (by its id, k_...) no longer authenticates
  --local      wrangler's local D1, as npm start serves it (default); --remote: the deployment's
  --persist-to DIR  local state folder (default .wrangler/state, as npm start)
  --help, -h   this text`;

runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: {
      name: { type: 'string' },
      limit: { type: 'string' },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.local && values.remote) throw new UsageError('--local and --remote exclude each other');
  if (values.remote && values['persist-to']) throw new UsageError('--persist-to is for --local only');
  if (command === 'add' && !values.name?.trim()) throw new UsageError('add needs --name NAME');
  if (command !== 'add' && (values.name !== undefined || values.limit !== undefined))
    throw new UsageError('--name and --limit are for add');
  if (command === 'revoke' ? rest.length !== 1 : rest.length !== 0)
    throw new UsageError(
      command === 'revoke' ? 'revoke takes one key id (k_..., see list)' : `unexpected "${rest.join(' ')}"`,
    );
  if (!['add', 'list', 'revoke'].includes(command ?? ''))
    throw new UsageError(command ? `unknown command "${command}"` : 'give a command: add, list or revoke');
  const limit = intFlag('--limit', values.limit, UNLIMITED, 0, UNLIMITED);

  const db = values.remote ? await remoteDatabase() : await localDatabase(values['persist-to'] ?? '.wrangler/state');
  try {
    if (command === 'add') await add(db, values.name!.trim(), limit);
    else if (command === 'list') await list(db);
    else await revoke(db, rest[0]!);
  } finally {
    await db.close();
  }
});

async function add(db: Database, name: string, limit: number): Promise<void> {
  const { key, id } = newKey();
  await db.batch([
    [
      'INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (?1, ?2, ?3, ?4)',
      [id, name, await hashKey(key), new Date().toISOString()],
    ],
    ['INSERT INTO usage (owner, character_count, character_limit) VALUES (?1, 0, ?2)', [id, limit]],
  ]);
  console.log(
    `key ${id} ("${name}") added to ${db.description}${limit < UNLIMITED ? `, limit ${limit} characters` : ''}.`,
  );
  console.log(`The key (shown once, keep it; only its hash is stored):\n\n  ${key}\n`);
  console.log(
    `DeepL clients: Authorization: DeepL-Auth-Key ${key}; the native API: Authorization: Bearer ${key}; LibreTranslate: api_key.`,
  );
}

async function list(db: Database): Promise<void> {
  const rows = await db.all(
    `SELECT k.id, k.name, k.created_at, k.revoked_at, coalesce(u.character_count, 0) AS used, coalesce(u.character_limit, ?1) AS lim
     FROM api_keys k LEFT JOIN usage u ON u.owner = k.id ORDER BY k.created_at`,
    [UNLIMITED],
  );
  if (rows.length === 0)
    return void console.log(`no keys in ${db.description}: requests need none unless the API_KEY secret is set`);
  const table = rows.map((r) => [
    String(r.id),
    String(r.name),
    String(r.created_at).slice(0, 19),
    r.revoked_at ? `revoked ${String(r.revoked_at).slice(0, 19)}` : 'active',
    `${r.used} / ${Number(r.lim) >= UNLIMITED ? 'no limit' : r.lim}`,
  ]);
  const header = ['id', 'name', 'created (UTC)', 'state', 'characters used / limit'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  for (const row of [header, ...table])
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

async function revoke(db: Database, id: string): Promise<void> {
  const [key] = await db.all('SELECT revoked_at FROM api_keys WHERE id = ?1', [id]);
  if (!key) throw new UsageError(`no key ${id} in ${db.description} (npm run keys -- list)`);
  if (key.revoked_at) return void console.log(`key ${id} was already revoked (${key.revoked_at})`);
  await db.batch([['UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1', [id, new Date().toISOString()]]]);
  console.log(`key ${id} revoked in ${db.description}: it no longer authenticates (its glossaries stay, unreachable)`);
}
