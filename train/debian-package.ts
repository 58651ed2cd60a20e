// A file of a Debian package, for build steps that read lexical data (EDICT, ENAMDICT, IPAdic): the package is
// fetched with `apt-get download NAME` (no install, no root needed for the download itself) into a cache folder,
// unpacked there with `dpkg-deb -x`, and the file's bytes are returned. A second call reads the cached copy.
// The version is whatever the machine's apt sources offer; callers record the .deb's name (`debianFile().deb`) so
// that a build says which version it read.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const DEBIAN_CACHE = 'node_modules/.cache/debian';

export interface DebianFile {
  bytes: Uint8Array;
  deb: string; // the package file it came from, e.g. "edict_2021.02.03-1_all.deb"
}

/** The bytes of `path` (inside the package, e.g. "usr/share/edict/edict") of Debian package `name`. */
export async function debianFile(name: string, path: string, cache = DEBIAN_CACHE): Promise<DebianFile> {
  const folder = resolve(cache);
  mkdirSync(folder, { recursive: true });
  let deb = findDeb(folder, name);
  if (!deb) {
    execFileSync('apt-get', ['download', name], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
    deb = findDeb(folder, name);
    if (!deb) throw new Error(`apt-get download ${name} left no ${name}_*.deb in ${folder}`);
  }
  const unpacked = join(folder, deb.replace(/\.deb$/, ''));
  if (!existsSync(join(unpacked, path))) execFileSync('dpkg-deb', ['-x', join(folder, deb), unpacked]);
  return { bytes: await readFile(join(unpacked, path)), deb };
}

function findDeb(folder: string, name: string): string | undefined {
  return readdirSync(folder).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
}

/** Text of an EUC-JP file (EDICT, ENAMDICT and IPAdic's CSVs are EUC-JP). */
export const eucJp = (bytes: Uint8Array): string => new TextDecoder('euc-jp').decode(bytes);
