import type { BundleCacheOptions, BundleCacheStats, ServedEvent } from '../../../src/index.js';
import { spawnTs, type Child } from '../../helpers/children.js';
import type { SiteReport } from '../../site/server.js';

export type MachineCommand =
  | { readonly op: 'load'; readonly url: string; readonly context?: LoadContext }
  /** Moves the machine's clock forward (its breaker's cooldown, its entries' ages). */
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'close' };

export interface MachineSettings {
  /** The cache's clock stands still except for `advance()` (the default: real time, plus what `advance()` added). */
  readonly frozenClock?: boolean;
}

/** What the page's context carries: request headers and cookies the cache must never write anywhere. */
export interface LoadContext {
  readonly extraHTTPHeaders?: Record<string, string>;
  readonly cookies?: ReadonlyArray<{ readonly name: string; readonly value: string; readonly url: string }>;
}

export interface MachineProblem {
  readonly code: string;
  readonly message: string;
}

/** What a machine saw since its previous answer. */
export interface MachineNews {
  readonly served: ServedEvent[];
  readonly problems: MachineProblem[];
  /** Since the machine started. */
  readonly stats: BundleCacheStats;
}

export interface Loaded extends MachineNews {
  readonly report: SiteReport;
  /** From `page.goto` to the page's ready (or error) report. */
  readonly readyMs: number;
}

/**
 * One machine of a fleet, as the fleet bench and stress scenario drive it: a process of its own
 * (tests/browser/remote/machine.ts) with its own cache dir, BundleCache and
 * Chromium. Commands are answered one at a time, in order.
 */
export class Machine {
  readonly dir: string;
  readonly #child: Child;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, child: Child) {
    this.dir = dir;
    this.#child = child;
  }

  /**
   * Starts the process and waits until its cache is open and Chromium is up.
   * `frozenClock`: the cache's clock stands still except for `advance()`.
   */
  static async start(options: BundleCacheOptions & { dir: string }, settings: MachineSettings = {}): Promise<Machine> {
    // The environment must not add a remote (or a secret) the test did not ask for.
    const child = spawnTs('tests/browser/remote/machine.ts', [JSON.stringify({ options, frozenClock: settings.frozenClock ?? false })], {
      BUNDLE_CACHE_REMOTE: '', BUNDLE_CACHE_REMOTE_SECRET: '', BUNDLE_CACHE_REMOTE_READONLY: '', BUNDLE_CACHE_MODE: '', BUNDLE_CACHE_REVALIDATE: '',
    });
    const machine = new Machine(options.dir, child);
    const first = await child.nextLine();
    if (!JSON.parse(first).ready)
      throw new Error(`machine on ${options.dir} did not start: ${first}`);
    return machine;
  }

  get pid(): number {
    return this.#child.process.pid!;
  }

  load(url: string, context?: LoadContext): Promise<Loaded> {
    return this.#send({ op: 'load', url, context });
  }

  advance(ms: number): Promise<{ offsetMs: number }> {
    return this.#send({ op: 'advance', ms });
  }

  /** Closes the cache (flushing uploads, bounded) and the browser; resolves once the process exited cleanly. */
  async close(): Promise<MachineNews> {
    const news = await this.#send<MachineNews>({ op: 'close' });
    const code = await this.#child.exited;
    if (code !== 0)
      throw new Error(`machine on ${this.dir} exited with ${code}`);
    return news;
  }

  /** SIGKILL: no close, no flush (a machine that dies). Its Chromium goes with its process group's end of the pipe. */
  async kill(): Promise<void> {
    if (this.#child.process.exitCode === null && this.#child.process.signalCode === null)
      this.#child.process.kill('SIGKILL');
    await this.#child.exited;
  }

  #send<T>(command: MachineCommand): Promise<T> {
    const answer = this.#queue.then(async () => {
      this.#child.process.stdin!.write(`${JSON.stringify(command)}\n`);
      return JSON.parse(await this.#child.nextLine()) as T;
    });
    this.#queue = answer.catch(() => {});
    return answer;
  }
}

/**
 * Where each bundle first came from, by URL path (query kept). The page
 * with `?hash=1` asks for each bundle twice (to run it, then to hash it); the
 * second is a memory hit.
 */
export function sources(served: readonly ServedEvent[]): Record<string, string> {
  const first: Record<string, string> = {};
  for (const event of served) {
    const url = new URL(event.url);
    first[url.pathname + url.search] ??= event.source;
  }
  return first;
}

export { codes } from '../../helpers/codes.js';
