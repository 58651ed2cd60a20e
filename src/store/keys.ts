// API keys and usage in D1 (tables api_keys and usage, migrations/0001_keys_usage_glossaries.sql). The Worker reads
// them here; `npm run keys` (train/keys.ts) writes them; both make and hash keys with ../core/api-keys.ts.
//
// - Usage is counted in characters (Unicode code points, as DeepL bills) per owner, before the work: `charge` adds a
//   request's characters in one statement that refuses to pass the owner's limit, so concurrent requests cannot
//   overshoot it; a request that then fails gives them back (`refund`).
// - An owner without a usage row (the local owner, before its first request) has no limit (UNLIMITED).
import { hashKey, KEY_PATTERN, UNLIMITED } from '../core/api-keys.js';

export { hashKey, newKey, UNLIMITED } from '../core/api-keys.js'; // for the Worker's code and tests that make keys

/** The id of the live (not revoked) key `key`, or undefined; text that cannot be a key is not looked up. */
export async function keyOwner(db: D1Database, key: string): Promise<string | undefined> {
  if (!KEY_PATTERN.test(key)) return undefined;
  const row = await db
    .prepare('SELECT id FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL')
    .bind(await hashKey(key))
    .first<{ id: string }>();
  return row?.id;
}

/**
 * Whether any key was ever made (`npm run keys -- add`), revoked ones included: once one exists the deployment asks
 * every request for a key, and revoking the last one closes it rather than opening it.
 */
export async function keysConfigured(db: D1Database): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM api_keys LIMIT 1').first()) !== null;
}

/**
 * Adds `characters` to the owner's count unless that passes its limit (`charged` false: over it, nothing added).
 * `also`, another query, runs in the same D1 batch (one round trip); its first row's first column comes back as `also`.
 */
export async function charge(
  db: D1Database,
  owner: string,
  characters: number,
  also?: D1PreparedStatement,
): Promise<{ charged: boolean; also?: unknown }> {
  const statement = db
    .prepare(
      `INSERT INTO usage (owner, character_count, character_limit) VALUES (?1, ?2, ?3)
       ON CONFLICT (owner) DO UPDATE SET character_count = character_count + excluded.character_count
       WHERE usage.character_count + excluded.character_count <= usage.character_limit
       RETURNING character_count`,
    )
    .bind(owner, characters, UNLIMITED);
  const [charged, extra] = await db.batch<Record<string, unknown>>(also ? [statement, also] : [statement]);
  const row = extra?.results[0];
  return { charged: (charged?.results.length ?? 0) > 0, ...(also && { also: row ? Object.values(row)[0] : null }) };
}

/** Gives back characters `charge` took for a request that then failed. */
export async function refund(db: D1Database, owner: string, characters: number): Promise<void> {
  await db
    .prepare('UPDATE usage SET character_count = max(0, character_count - ?2) WHERE owner = ?1')
    .bind(owner, characters)
    .run();
}

export interface Usage {
  characterCount: number;
  characterLimit: number;
}

export async function usageOf(db: D1Database, owner: string): Promise<Usage> {
  const row = await db
    .prepare('SELECT character_count, character_limit FROM usage WHERE owner = ?1')
    .bind(owner)
    .first<{ character_count: number; character_limit: number }>();
  return { characterCount: row?.character_count ?? 0, characterLimit: row?.character_limit ?? UNLIMITED };
}
