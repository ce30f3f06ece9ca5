import type { ResolvedOptions } from '../options/resolve.js';
import type { CliIo } from './io.js';

/** A flag of one command, as `node:util` parseArgs takes it, plus what `--help` prints. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder of the value in help: `--host <host>`. */
  readonly value?: string;
  readonly description: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
}

/** Raw parsed arguments, before a command validates them. */
export interface RawArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What every command runs with: the resolved cache dir and limits, and the process seam. */
export interface CommandContext {
  /** Absolute cache root. */
  readonly dir: string;
  /** The library's options for this dir (defaults and environment), for limits and rules. */
  readonly options: ResolvedOptions;
  /** Only the result goes to stdout (as text or `--json`); progress and messages go to `io.stderr`. */
  readonly io: CliIo;
}

/** How text output may be laid out. */
export interface TextView {
  /** Terminal width, or undefined when stdout is not a terminal. */
  readonly columns: number | undefined;
}

/**
 * One command: its help, its flag validation (`parse`, which throws a usage
 * error), its work (`run`, which returns a plain, JSON-ready result) and the
 * exit code that result calls for. Its text formatter lives in the same file,
 * and `registry.ts` registers the two together.
 */
export interface CommandSpec<Input, Result> {
  readonly name: string;
  readonly summary: string;
  /** After `bundle-cache `: `list [--host <host>] [--expired] …`. */
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly arguments?: readonly ArgumentSpec[];
  readonly examples?: readonly string[];
  parse(args: RawArgs): Input;
  run(context: CommandContext, input: Input): Promise<Result>;
  /** True for a command that opens the cache, creating its dir (warm); every other one needs the dir to exist. */
  readonly createsCache?: boolean;
  /**
   * Called after `parse`, before the cache dir is checked: usage checks that
   * need the environment (they come before "no cache there"), and whether this
   * run reads the local cache at all. Default: it does.
   */
  needsCacheDir?(context: CommandContext, input: Input): boolean;
  /** 0 when all is well, 1 when the result holds problems. Default: 0. */
  exitCode?(result: Result): 0 | 1;
}

export type TextFormatter<Result> = (result: Result, view: TextView) => string;
