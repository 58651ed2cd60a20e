// Who a request belongs to: the tenant whose glossaries, documents and usage it sees and changes. Each API face
// authenticates the request (./api-key.ts) and records the owner it resolved; routes scope what they store by
// `ownerOf(c)`, so another owner's records answer 404, as if they did not exist.
// - a key from D1 (`npm run keys -- add`): the key's id ("k_..."), never the key itself;
// - the API_KEY secret, or any request on a deployment without keys: LOCAL_OWNER, the one local owner.
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

export const LOCAL_OWNER = 'local';

/** The owner of the request; only after its face authenticated it (a route outside any face is a bug: 500). */
export function ownerOf(c: Context<AppEnv>): string {
  const owner = c.get('owner');
  if (owner === undefined)
    throw new Error(`no owner for ${c.req.method} ${c.req.path}: the route is not behind an API key check`);
  return owner;
}

export const setOwner = (c: Context<AppEnv>, owner: string): void => c.set('owner', owner);
