import { createRequire } from 'node:module';
import { isBundleCacheError } from '../errors.js';
import { resolveOptions } from '../options/resolve.js';
import { GLOBAL_FLAGS, closest, parseFlags } from './args.js';
import { chooseCacheDir, requireCacheDir } from './cacheDir.js';
import { CliError, usageError } from './cliError.js';
import type { CommandContext, TextFormatter } from './command.js';
import { BIN, commandHelp, topHelp, usageLine } from './help.js';
import type { CliIo } from './io.js';
import { commands, findCommand } from './registry.js';

export type ExitCode = 0 | 1 | 2;

/**
 * Runs one command line and returns its exit code: 0 ok, 1 problems found,
 * 2 bad usage. Never exits the process; `bin.ts` sets `process.exitCode`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { name, rest } = splitCommand(argv);
  const json = rest.includes('--json');
  let commandName: string | undefined;
  try {
    if (!name) {
      if (rest.includes('--version')) {
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      }
      if (!parseFlags(rest, {}, undefined).values.help)
        throw usageError('no command given');
      io.stdout.write(topHelp(chooseCacheDir(io, undefined).dir));
      return 0;
    }
    const command = findCommand(name);
    if (!command) {
      const guess = closest(name, commands.map(({ spec }) => spec.name));
      throw usageError(`unknown command ${JSON.stringify(name)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''}`);
    }
    commandName = name;
    const args = parseFlags(rest, command.spec.flags, name);
    if (args.values.help) {
      io.stdout.write(commandHelp(command.spec, chooseCacheDir(io, undefined).dir));
      return 0;
    }
    const choice = chooseCacheDir(io, args.values.dir as string | undefined);
    const options = resolveOptions({ dir: choice.dir }, io.env);
    const context: CommandContext = { dir: options.dir, options, io };
    const input = command.spec.parse(args);
    if (!command.spec.createsCache && (command.spec.needsCacheDir?.(context, input) ?? true))
      await requireCacheDir(choice);
    const result = await command.spec.run(context, input);
    if (json)
      printJson(io, result);
    else
      printText(io, command.text, result);
    return command.spec.exitCode?.(result) ?? 0;
  } catch (error) {
    return reportError(io, error, commandName, json);
  }
}

function reportError(io: CliIo, error: unknown, command: string | undefined, json: boolean): ExitCode {
  const code = error instanceof CliError || isBundleCacheError(error) ? error.code : 'ERR_UNEXPECTED';
  const message = (error as Error)?.message ?? String(error);
  const exitCode: ExitCode = code === 'ERR_USAGE' || code === 'ERR_OPTIONS' ? 2 : 1;
  const prefix = command ? `${BIN} ${command}` : BIN;
  io.stderr.write(`${prefix}: ${code === 'ERR_UNEXPECTED' ? 'unexpected error: ' : ''}${message}\n`);
  if (exitCode === 2)
    io.stderr.write(`${usageLine(command ? findCommand(command)?.spec : undefined)}\n`);
  if (code === 'ERR_UNEXPECTED' && io.env.DEBUG)
    io.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  if (json)
    printJson(io, { command: command ?? null, error: { code, message } });
  return exitCode;
}

/**
 * The command is the first word that is not a flag or a global flag's value,
 * so `bundle-cache --dir ./c status` works as well as `status --dir ./c`.
 */
export function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  const takesValue = new Set(Object.entries(GLOBAL_FLAGS).filter(([, flag]) => flag.type === 'string').map(([name]) => `--${name}`));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--')
      break;
    if (takesValue.has(token)) {
      i++;
      continue;
    }
    if (!token.startsWith('-'))
      return { name: token, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}

function packageVersion(): string {
  // dist/cli/main.js and src/cli/main.ts are both two levels below package.json.
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** The JSON formatter: the command's result, complete, on stdout. Nothing else goes to stdout with --json. */
function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The text formatter: the command's own rendering of its result. */
function printText<Result>(io: CliIo, format: TextFormatter<Result>, result: Result): void {
  io.stdout.write(format(result, { columns: io.stdout.columns }));
}
