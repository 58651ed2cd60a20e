// API keys as the Worker checks them (src/store/keys.ts) and `npm run keys` makes them (train/keys.ts): one format,
// one hash. A key is "et_" and 32 hex digits (128 random bits); only its SHA-256 is stored, so a leaked database
// reveals no key. A key's id ("k_" and 16 hex digits) names its owner: what its glossaries and usage are filed under.

/** DeepL's character_limit for an account without one (its docs' figure): "no limit" in the usage response. */
export const UNLIMITED = 1_000_000_000_000;

export const KEY_PATTERN = /^et_[0-9a-f]{32}$/;

/** A new key and its id; the key is shown once and never stored. */
export function newKey(): { key: string; id: string } {
  return { key: `et_${randomHex(16)}`, id: `k_${randomHex(8)}` };
}

const randomHex = (bytes: number): string =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The hex SHA-256 of a key, as api_keys.key_hash stores it. */
export async function hashKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
