import { GLOBAL_FLAGS } from './args.js';
import type { CommandSpec, FlagSpec } from './command.js';
import { renderTable } from './format/table.js';
import { commands } from './registry.js';

export const BIN = 'bundle-cache';
export const TOP_USAGE = `Usage: ${BIN} <command> [options]`;
const EXIT_CODES = 'Exit codes: 0 ok, 1 problems found (or nothing matched, or no cache dir there), 2 bad usage.';

export function usageLine(spec: CommandSpec<unknown, unknown> | undefined): string {
  return spec ? `Usage: ${BIN} ${spec.usage} [--dir <path>] [--json]` : `${TOP_USAGE}  (${BIN} --help lists the commands)`;
}

export function topHelp(defaultDir: string): string {
  const list = renderTable([{ header: '' }, { header: '' }], commands.map(({ spec }) => [spec.name, spec.summary])).slice(1);
  return [
    `${BIN}: see and manage a playwright-bundle-cache directory.`,
    '',
    TOP_USAGE,
    '',
    'Commands:',
    ...list.map(line => `  ${line}`),
    '',
    'Options of every command:',
    ...flagLines(GLOBAL_FLAGS, defaultDir),
    '',
    EXIT_CODES,
    `Run \`${BIN} <command> --help\` for a command's flags and examples.`,
  ].join('\n') + '\n';
}

export function commandHelp(spec: CommandSpec<unknown, unknown>, defaultDir: string): string {
  const lines = [usageLine(spec), '', `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`];
  if (spec.arguments?.length) {
    lines.push('', 'Arguments:');
    lines.push(...renderTable([{ header: '' }, { header: '' }], spec.arguments.map(arg => [arg.name, arg.description])).slice(1).map(line => `  ${line}`));
  }
  if (Object.keys(spec.flags).length)
    lines.push('', 'Options:', ...flagLines(spec.flags, defaultDir));
  lines.push('', 'Options of every command:', ...flagLines(GLOBAL_FLAGS, defaultDir));
  if (spec.examples?.length)
    lines.push('', 'Examples:', ...spec.examples.map(example => `  ${example}`));
  lines.push('', EXIT_CODES);
  return lines.join('\n') + '\n';
}

function flagLines(flags: Readonly<Record<string, FlagSpec>>, defaultDir: string): string[] {
  const rows = Object.entries(flags).map(([name, flag]) => [
    `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.value ? ` <${flag.value}>` : ''}`,
    name === 'dir' ? `${flag.description}; here: ${defaultDir}` : flag.description,
  ]);
  return renderTable([{ header: '' }, { header: '' }], rows).slice(1).map(line => `  ${line}`);
}
