import fs from 'node:fs/promises';
import { Redis } from 'ioredis';
import { makeTempDir, removeDir } from './tempDir.js';
import { findBinary, freePort, isAddressInUse, startProcess, stopProcess, waitUntil, type Started } from './serverProcess.js';

export interface RedisServerOptions {
  /** `--maxmemory` (e.g. '8mb'), with `--maxmemory-policy` (default allkeys-lru). */
  readonly maxmemory?: string;
  readonly maxmemoryPolicy?: 'allkeys-lru' | 'noeviction';
  /** `--requirepass`: clients must AUTH with it. */
  readonly password?: string;
}

/**
 * A real `redis-server` on a random 127.0.0.1 port with its own temp dir and
 * no persistence, so a restart starts empty. It can be SIGKILLed and started
 * again on the same port (a crash and a restart, as a fleet sees them).
 */
export class RedisServer implements AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly #options: RedisServerOptions;
  #started: Started | undefined;
  readonly #clients: Redis[] = [];

  private constructor(port: number, dir: string, options: RedisServerOptions) {
    this.port = port;
    this.dir = dir;
    this.#options = options;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = await makeTempDir('bundle-cache-redis-');
    for (let attempt = 1; ; attempt++) {
      const server = new RedisServer(await freePort(), dir, options);
      try {
        await server.#launch();
        return server;
      } catch (error) {
        if (attempt < 5 && isAddressInUse(String(error)))
          continue;
        await removeDir(dir);
        throw error;
      }
    }
  }

  /** `redis://[:password@]127.0.0.1:<port>` */
  get url(): string {
    const auth = this.#options.password ? `:${encodeURIComponent(this.#options.password)}@` : '';
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  /** A plain client for the test's own assertions (closed by `stop()`). */
  client(): Redis {
    const client = new Redis(this.port, '127.0.0.1', { password: this.#options.password, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {});
    this.#clients.push(client);
    return client;
  }

  /** SIGKILL: no shutdown, no goodbye to clients. */
  async kill(): Promise<void> {
    if (this.#started)
      await stopProcess(this.#started, 'SIGKILL');
    this.#started = undefined;
  }

  /** Starts again on the same port (empty: nothing is saved). */
  async restart(): Promise<void> {
    await this.kill();
    await this.#launch();
  }

  async stop(): Promise<void> {
    for (const client of this.#clients.splice(0))
      client.disconnect();
    if (this.#started)
      await stopProcess(this.#started, 'SIGTERM');
    this.#started = undefined;
    await removeDir(this.dir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #launch(): Promise<void> {
    const binary = findBinary('redis-server', ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], 'apt-get install redis-server');
    await fs.mkdir(this.dir, { recursive: true });
    const args = [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '',
    ];
    if (this.#options.maxmemory)
      args.push('--maxmemory', this.#options.maxmemory, '--maxmemory-policy', this.#options.maxmemoryPolicy ?? 'allkeys-lru');
    if (this.#options.password)
      args.push('--requirepass', this.#options.password);
    const started = startProcess(binary, args, this.dir);
    this.#started = started;
    try {
      await waitUntil(started, `redis-server on port ${this.port}`, async () => started.output().includes('Ready to accept connections') && await this.#answers());
    } catch (error) {
      await stopProcess(started, 'SIGKILL');
      this.#started = undefined;
      throw error;
    }
  }

  async #answers(): Promise<boolean> {
    const probe = new Redis(this.port, '127.0.0.1', { password: this.#options.password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return await probe.ping() === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }
}
