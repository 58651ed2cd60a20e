// The rooms of the code (README "Layout"): src/core/ is shared by the Worker, the Node tools and the page, so it
// imports nothing of Hono, Node, the DOM or the Worker; train/ and the page's scripts reach into src/ only through it;
// nothing in src/ imports in a circle; and nothing imports the app's wiring back.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each import specifier of a file, relative ones resolved to repository paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm),
  ].map((m) => {
    const spec = m[1] ?? m[2]!;
    return spec.startsWith('.') ? relative('.', resolve(file, '..', spec)) : spec;
  });
}

describe('the rooms of the code', () => {
  it('src/core/ imports nothing of Hono, Node, the DOM or the Worker, nor anything of src/ outside it', () => {
    const outside = files('src/core').flatMap((file) =>
      imports(file)
        .filter(
          (spec) =>
            /^(?:hono|@hono\/|node:|fs$|path$|cloudflare:)/.test(spec) ||
            (spec.startsWith('src/') && !spec.startsWith('src/core/')),
        )
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it('train/ and the page scripts reach into src/ only through src/core/', () => {
    const outside = [...files('train'), ...files('src/page/browser')].flatMap((file) =>
      imports(file)
        .filter(
          (spec) => spec.startsWith('src/') && !spec.startsWith('src/core/') && !spec.startsWith('src/page/browser/'),
        )
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it('src/ has no import cycle, type-only imports included', () => {
    const graph = new Map(
      files('src').map((file) => [
        file,
        imports(file)
          .map((spec) => spec.replace(/\.js$/, '.ts'))
          .filter((spec) => spec.startsWith('src/')),
      ]),
    );
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, path: string[]): void => {
      if (path.includes(file)) return void cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      if (done.has(file)) return;
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      done.add(file);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('nothing in src/ but the Worker entry (src/index.ts) imports the wiring (src/app.ts)', () => {
    const back = files('src').flatMap((file) =>
      file !== join('src', 'index.ts') && imports(file).includes(join('src', 'app.js')) ? [file] : [],
    );
    expect(back).toEqual([]);
  });
});
