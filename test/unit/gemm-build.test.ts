// src/core/model/gemm.wasm as built from gemm.c: the committed binary is what the pinned clang makes of the source
// (scripts/build-gemm.sh), it owns no memory, and the same C run natively under ASan and UBSan stays within its
// buffers and equals gemm-reference.c (test/unit/gemm-bounds.c). The checks that need clang skip without it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const GEMM_WASM = join(root, 'src/core/model/gemm.wasm');
const BUILD = join(root, 'scripts/build-gemm.sh');
const CLANG_MAJOR = /^CLANG_MAJOR=(\d+)$/m.exec(readFileSync(BUILD, 'utf8'))![1]; // the version the script pins

/** The major version of `clang` on the PATH, or undefined without one. */
function clangMajor(): string | undefined {
  const run = spawnSync('clang', ['-dumpversion'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.split('.')[0] : undefined;
}
const found = clangMajor();
const hasWasmLd = spawnSync('wasm-ld', ['--version']).status === 0;
const pinned = found === CLANG_MAJOR && hasWasmLd;

const temp = mkdtempSync(join(tmpdir(), 'gemm-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs a command niced (a training run may share the machine): its status and output. */
function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('nice', ['-n', '15', command, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A wasm binary's sections: id -> contents (custom sections left out). */
function sections(binary: Uint8Array): Map<number, number[]> {
  const found = new Map<number, number[]>();
  let at = 8; // magic and version
  const leb = () => {
    let [value, shift] = [0, 0];
    for (let byte = 128; byte & 128; shift += 7) value += ((byte = binary[at++]) & 127) * 2 ** shift;
    return value;
  };
  while (at < binary.length) {
    const id = binary[at++];
    const size = leb();
    if (id !== 0) found.set(id, Array.from(binary.subarray(at, at + size)));
    at += size;
  }
  return found;
}

describe('gemm.wasm', () => {
  it('owns no memory: no data, one page to start, and its C stack empty at address 0 (a spill would trap)', () => {
    const s = sections(readFileSync(GEMM_WASM));
    expect(s.has(11)).toBe(false); // data
    expect(s.get(5)).toEqual([1, 0x00, 1]); // one memory, no maximum, one page
    expect(s.get(6)).toEqual([1, 0x7f, 1, 0x41, 0, 0x0b]); // one global: mutable i32 __stack_pointer = i32.const 0
  });

  const unpinned = pinned ? '' : ` (skipped: needs clang ${CLANG_MAJOR} and wasm-ld, found clang ${found ?? 'none'})`;
  it.skipIf(!pinned)(`is what clang ${CLANG_MAJOR} builds from gemm.c (npm run build:gemm)${unpinned}`, () => {
    const out = join(temp, 'gemm.wasm');
    const build = run('bash', [BUILD, out]);
    expect(build.status, build.output).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(GEMM_WASM)), 'gemm.wasm is stale: npm run build:gemm').toBe(
      0,
    );
  });
});

describe('gemm.c built natively', () => {
  const skipped = found ? '' : ' (skipped: clang is not installed)';
  it.skipIf(!found)(
    `stays within its buffers and equals gemm-reference.c on edge shapes, under ASan and UBSan${skipped}`,
    () => {
      const binary = join(temp, 'gemm-bounds');
      const flags = [
        '-std=c11',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-g',
        '-O1',
        '-ffp-contract=off',
        '-fno-omit-frame-pointer',
      ];
      const sanitizers = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
      const build = run('clang', [...flags, ...sanitizers, 'test/unit/gemm-bounds.c', '-o', binary, '-lm']);
      expect(build.status, build.output).toBe(0);
      const bounds = run(binary, [], { ASAN_OPTIONS: 'detect_leaks=0' }); // LeakSanitizer needs ptrace, which containers deny
      expect(bounds.status, bounds.output).toBe(0);
      expect(bounds.output).toMatch(/comparisons equal to the reference/);
    },
  );
});
