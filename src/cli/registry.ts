import type { CommandSpec, TextFormatter } from './command.js';
import { cleanCommand, formatClean } from './commands/cleanCommand.js';
import { clearCommand, formatClear } from './commands/clearCommand.js';
import { listCommand, formatList } from './commands/listCommand.js';
import { sessionsCommand, formatSessions } from './commands/sessionsCommand.js';
import { pushCommand, formatPush } from './commands/pushCommand.js';
import { remoteCommand, formatRemote } from './commands/remoteCommand.js';
import { showCommand, formatShow } from './commands/showCommand.js';
import { statusCommand, formatStatus } from './commands/statusCommand.js';
import { verifyCommand, formatVerify } from './commands/verifyCommand.js';
import { versionsCommand, formatVersions } from './commands/versionsCommand.js';
import { warmCommand, formatWarm } from './commands/warm/warmCommand.js';
import { formatProxy, proxyCommand } from './commands/proxyCommand.js';

/** A command with its text formatter, its input and result types closed over. */
export interface RegisteredCommand {
  readonly spec: CommandSpec<unknown, unknown>;
  readonly text: TextFormatter<unknown>;
}

function register<Input, Result>(spec: CommandSpec<Input, Result>, text: TextFormatter<Result>): RegisteredCommand {
  return { spec: spec as CommandSpec<unknown, unknown>, text: text as TextFormatter<unknown> };
}

/** Every command, in the order `--help` lists them. */
export const commands: readonly RegisteredCommand[] = [
  register(statusCommand, formatStatus),
  register(listCommand, formatList),
  register(showCommand, formatShow),
  register(versionsCommand, formatVersions),
  register(cleanCommand, formatClean),
  register(clearCommand, formatClear),
  register(verifyCommand, formatVerify),
  register(warmCommand, formatWarm),
  register(sessionsCommand, formatSessions),
  register(pushCommand, formatPush),
  register(remoteCommand, formatRemote),
  register(proxyCommand, formatProxy),
];

export function findCommand(name: string): RegisteredCommand | undefined {
  return commands.find(command => command.spec.name === name);
}
