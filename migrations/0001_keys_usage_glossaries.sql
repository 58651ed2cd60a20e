-- API keys, usage and glossaries (issue 31). Applied by `npm start` and the tests (wrangler's local D1), and for a
-- deployment by `npx wrangler d1 migrations apply DB --remote`. docs/glossaries.md describes what reads and writes them.

-- API keys made by `npm run keys -- add`: each is its own owner (tenant) of glossaries and usage. Only a hash is kept.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,           -- "k_" + 16 hex digits: the owner id of everything the key makes; safe to show
  name TEXT NOT NULL,            -- the operator's label for it
  key_hash TEXT NOT NULL UNIQUE, -- hex SHA-256 of the key, which is shown once, by `keys add`
  created_at TEXT NOT NULL,      -- ISO 8601
  revoked_at TEXT                -- set by `keys revoke`: the key no longer authenticates
);

-- Characters translated by each owner (a key's id, or "local": the API_KEY secret and keyless deployments) against
-- its limit: GET /v2/usage reports both, a request that would pass the limit is DeepL's 456 "Quota exceeded".
CREATE TABLE usage (
  owner TEXT PRIMARY KEY,
  character_count INTEGER NOT NULL DEFAULT 0,
  character_limit INTEGER NOT NULL
);

-- A glossary (DeepL v3: one or more dictionaries; v2: exactly one), visible to its owner only.
CREATE TABLE glossaries (
  id TEXT PRIMARY KEY,           -- a random UUID, as DeepL's
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,      -- ISO 8601 with milliseconds, as DeepL's creation_time
  version INTEGER NOT NULL DEFAULT 1 -- incremented by every change, in the change's batch: isolates compare it to their cache
);
CREATE INDEX glossaries_by_owner ON glossaries (owner, created_at);

-- One direction's terms of a glossary.
CREATE TABLE dictionaries (
  glossary_id TEXT NOT NULL REFERENCES glossaries (id) ON DELETE CASCADE,
  source_lang TEXT NOT NULL,     -- lower case: "en"
  target_lang TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,        -- UTF-8 bytes of its entries as TSV: the glossary's 10 MiB limit sums them
  PRIMARY KEY (glossary_id, source_lang, target_lang)
);

-- A dictionary's entries as TSV lines ("source\ttarget\n"), cut at line ends into chunks well under D1's 2 MB
-- value limit; read in seq order and joined. A 10 MiB glossary is about a dozen rows.
CREATE TABLE dictionary_chunks (
  glossary_id TEXT NOT NULL,
  source_lang TEXT NOT NULL,
  target_lang TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entries TEXT NOT NULL,
  PRIMARY KEY (glossary_id, source_lang, target_lang, seq),
  FOREIGN KEY (glossary_id, source_lang, target_lang) REFERENCES dictionaries (glossary_id, source_lang, target_lang) ON DELETE CASCADE
);
