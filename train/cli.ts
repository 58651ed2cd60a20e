// What the command-line tools (train, translate, evaluate, bench:train) share. Each parses its own flags with
// node:util parseArgs; here: --help / -h prints the tool's usage to stdout and exits 0, a usage error prints it to
// stderr and exits 2, any other error exits 1. A tool describes each flag once (`ToolFlag`: what it does, its
// default), and both its --help (`usage`) and its parseArgs options (`flagOptions`) are made from that.
import { parseArgs } from 'node:util';

/** A mistake in how a tool was called: reported with the tool's usage, exit code 2. */
export class UsageError extends Error {}

/** Runs a CLI's main with the exit codes above. */
export function runCli(help: string, main: () => Promise<void>): void {
  if (wantsHelp(process.argv.slice(2))) return void console.log(help);
  // Through then(), so that a synchronous throw (a flag parsed before main's first await) lands here too.
  Promise.resolve()
    .then(main)
    .catch((err: Error & { code?: string }) => {
      const usageError = err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS');
      console.error(`error: ${err.message}`);
      if (usageError) console.error(help);
      process.exit(usageError ? 2 : 1);
    });
}

/** One flag of a tool: the name of its value (none for a switch), what it does in one line, its default. */
export interface ToolFlag {
  value?: string;
  help: string;
  default?: string | number;
}

/** parseArgs options for `flags`: a flag with a value takes a string, a switch is boolean. */
type FlagOptions<F> = { [K in keyof F]: { type: F[K] extends { value: string } ? 'string' : 'boolean' } };

export function flagOptions<F extends Record<string, ToolFlag>>(flags: F): FlagOptions<F> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [name, { type: flag.value ? 'string' : 'boolean' }]),
  ) as FlagOptions<F>;
}

/** A tool's --help: `usage: <command>`, then one line a flag: the flag, what it does, its default; then `notes`. */
export function usage(command: string, flags: Record<string, ToolFlag>, notes: string[] = []): string {
  const rows = Object.entries(flags).map(([name, flag]) => [
    `--${name}${flag.value ? ` ${flag.value}` : ''}`,
    flag.help + (flag.default === undefined ? '' : ` (default ${flag.default})`),
  ]);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  return [`usage: ${command}`, ...rows.map(([flag, help]) => `  ${flag!.padEnd(width)}  ${help}`), ...notes].join('\n');
}

/** --help or -h anywhere before a `--`; not strict, since the tool's own flags are not declared here. */
function wantsHelp(args: string[]): boolean {
  const { values } = parseArgs({
    args,
    options: { help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
  });
  return values.help !== undefined;
}

/** The integer value of flag `name` (default `fallback`), which must lie in [min, max]. */
export function intFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(
      `${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${raw}"`,
    );
  }
  return value;
}

/** The number value of flag `name` (default `fallback`), which must lie in [min, max]. */
export function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= min && value <= max))
    throw new UsageError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** The value of an on|off flag `name` (default `fallback`). */
export function onOffFlag(name: string, raw: string | undefined, fallback: 'on' | 'off'): boolean {
  const value = raw ?? fallback;
  if (value !== 'on' && value !== 'off') throw new UsageError(`${name} must be on or off, got "${raw}"`);
  return value === 'on';
}
