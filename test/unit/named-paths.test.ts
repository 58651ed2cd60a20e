// Every file the README, docs/ and the code's comments name exists, so a reader following a pointer never lands on a
// path that moved. A name is checked when it starts at the top of the repository (src/, train/, test/, bench/, ...),
// or, in a comment, with ./ or ../ (from the file's folder); a top-level document (README.md) must be at the top, and
// the docs' relative links must lead somewhere. Placeholders (model-artifacts/<direction>/, names-*.tsv), what a
// build writes (./a.out) and the corpus beside the repository (../shared/data/) are skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PAGES = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

// The code whose comments are read.
const CODE = [
  ...['src', 'train', 'test', 'bench', 'scripts', '.ci', 'migrations'].flatMap(files),
  'vitest.config.ts',
  'wrangler.toml',
  'tsconfig.json',
];

/** How a comment starts, by file type: the comment is the rest of the line. */
const COMMENT: [RegExp, RegExp][] = [
  [/\.(?:ts|mjs|json|c|h)$/, /(?:^|\s)(?:\/\/|\/\*+|\*)(?=\s|$)(.*)$/],
  [/\.(?:toml|sh)$|(?:^|\/)run$/, /(?:^|\s)#(.*)$/],
  [/\.sql$/, /--(.*)$/],
];

const FROM_TOP = String.raw`(?:src|train|test|scripts|bench|docs|model-artifacts|migrations|\.ci)\/[\w./<>*{}$-]*`;
const RELATIVE = String.raw`\.\.?\/[\w./<>*{}$-]+`;
const TOP_DOCUMENT = String.raw`\b[A-Z][A-Z_]*\.md\b`;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The names in `text` that match `pattern` and are paths, not placeholders, trailing punctuation dropped. */
function pathsIn(text: string, pattern: string): string[] {
  return [...text.matchAll(new RegExp(String.raw`(?<![\w./@-])(?:${pattern})`, 'g'))]
    .map((m) => m[0].replace(/[.:,;)]+$/, '').replace(/:\d+(?:-\d+)?$/, ''))
    .filter((path) => !/[<>*{}$]|\.\.\.|^\.\.?\/?$|^\.\.\/shared\/|\.out$/.test(path));
}

/** A path exists as written, or as the .ts source of the .js an import names. */
const exists = (path: string) => existsSync(path) || (path.endsWith('.js') && existsSync(path.replace(/\.js$/, '.ts')));

/** Relative targets of Markdown links, anchors dropped, resolved against the page's folder. */
function linkedPaths(page: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
    .map((target) => join(dirname(page), target.replace(/#.*$/, '')));
}

/** Each comment line of a code file, with its line number. */
function comments(file: string): { line: number; text: string }[] {
  const start = COMMENT.find(([type]) => type.test(file))?.[1];
  if (!start) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      const comment = line.match(start)?.[1];
      return comment === undefined ? [] : [{ line: i + 1, text: comment }];
    });
}

describe('the README and docs/', () => {
  it.each(PAGES)('%s names only files that exist', (page) => {
    const text = readFileSync(page, 'utf8');
    const named = [...pathsIn(text, FROM_TOP), ...pathsIn(text, TOP_DOCUMENT), ...linkedPaths(page, text)];
    expect(named.filter((path) => !exists(path))).toEqual([]);
  });

  it('the README stays under 250 lines', () => {
    expect(readFileSync('README.md', 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });
});

describe("the code's comments", () => {
  it('name only files that exist', () => {
    const missing = CODE.flatMap((file) =>
      comments(file).flatMap(({ line, text }) =>
        [
          ...[...pathsIn(text, FROM_TOP), ...pathsIn(text, TOP_DOCUMENT)].filter((path) => !exists(path)),
          ...pathsIn(text, RELATIVE).filter((path) => !exists(join(dirname(file), path))),
        ].map((path) => `${file}:${line} ${path}`),
      ),
    );
    expect(missing).toEqual([]);
  });
});
