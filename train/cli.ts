// What the command-line tools (train, translate, evaluate, bench:train) share. Each parses its own flags with
// node:util parseArgs; here: --help / -h prints the tool's usage to stdout and exits 0, a usage error prints it to
// stderr and exits 2, any other error exits 1.
import { parseArgs } from 'node:util';

/** A mistake in how a tool was called: reported with the tool's usage, exit code 2. */
export class UsageError extends Error {}

/** Runs a CLI's main with the exit codes above. */
export function runCli(usage: string, main: () => Promise<void>): void {
  if (wantsHelp(process.argv.slice(2))) return void console.log(usage);
  // Through then(), so that a synchronous throw (a flag parsed before main's first await) lands here too.
  Promise.resolve().then(main).catch((err: Error & { code?: string }) => {
    const usageError = err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS');
    console.error(`error: ${err.message}`);
    if (usageError) console.error(usage);
    process.exit(usageError ? 2 : 1);
  });
}

/** --help or -h anywhere before a `--`; not strict, since the tool's own flags are not declared here. */
function wantsHelp(args: string[]): boolean {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true });
  return values.help !== undefined;
}

/** The integer value of flag `name` (default `fallback`), which must lie in [min, max]. */
export function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${raw}"`);
  }
  return value;
}

/** The number value of flag `name` (default `fallback`), which must lie in [min, max]. */
export function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= min && value <= max)) throw new UsageError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}
