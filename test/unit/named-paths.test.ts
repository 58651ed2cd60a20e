// The README and docs/ name files of this repository and link to each other: every file they name exists, so a
// reader following them never lands on a path that moved. A name is checked when it starts at the top of the
// repository (src/, train/, test/, ...); placeholders such as model-artifacts/<direction>/ are skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PAGES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
const ROOTS = /^(?:src|train|test|bench|docs|model-artifacts|migrations|\.ci)\/|^(?:package\.json|wrangler\.toml|tsconfig\.json|vitest\.config\.ts)$/;

/** Repository paths named in inline code (`src/app.ts`), fenced blocks left out. */
function namedPaths(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)]
    .flatMap((m) => m[1]!.split(/[\s,;()]+/))
    .map((token) => token.replace(/[.:]+$/, ''))
    .filter((token) => ROOTS.test(token) && !/[<>*{}$]|\.\.\./.test(token));
}

/** Relative targets of Markdown links, anchors dropped, resolved against the page's folder. */
function linkedPaths(page: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .map((target) => join(dirname(page), target.replace(/#.*$/, '')));
}

describe('the README and docs/', () => {
  it.each(PAGES)('%s names only files that exist', (page) => {
    const text = readFileSync(page, 'utf8');
    const missing = [...namedPaths(text), ...linkedPaths(page, text)].filter((path) => !existsSync(path));
    expect(missing).toEqual([]);
  });

  it('the README stays under 250 lines', () => {
    expect(readFileSync('README.md', 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });
});
