import type { CommandSpec, TextFormatter } from './command.js';
import { cleanCommand } from './commands/clean.js';
import { clearCommand } from './commands/clear.js';
import { listCommand } from './commands/list.js';
import { sessionsCommand } from './commands/sessions.js';
import { pushCommand } from './commands/push.js';
import { remoteCommand } from './commands/remote.js';
import { showCommand } from './commands/show.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { versionsCommand } from './commands/versions.js';
import { warmCommand } from './commands/warm.js';
import { formatProxy, proxyCommand } from './commands/proxyCommand.js';
import { formatClean } from './text/clean.js';
import { formatClear } from './text/clear.js';
import { formatList } from './text/list.js';
import { formatSessions } from './text/sessions.js';
import { formatPush } from './text/push.js';
import { formatRemote } from './text/remote.js';
import { formatShow } from './text/show.js';
import { formatStatus } from './text/status.js';
import { formatVerify } from './text/verify.js';
import { formatVersions } from './text/versions.js';
import { formatWarm } from './text/warm.js';

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
