import type { CliIo } from './io.js';
import type { TextFormatter } from './command.js';

/** The JSON formatter: the command's result, complete, on stdout. Nothing else goes to stdout with --json. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The text formatter: the command's own rendering of its result. */
export function printText<Result>(io: CliIo, format: TextFormatter<Result>, result: Result): void {
  io.stdout.write(format(result, { columns: io.stdout.columns }));
}
