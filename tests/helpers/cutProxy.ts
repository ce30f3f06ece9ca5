import net from 'node:net';

const CAS_PUT = /PUT (\S*\/cas\/[0-9a-f]{64}) HTTP\/1\.1\r\n/;

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP store that passes everything
 * through, except that a PUT of a body (`…/cas/<sha256>`) larger than
 * `keepBytes` stops after that many body bytes: the rest is held back, so the upload hangs mid-body until the
 * writer gives up or dies. The server then sees the connection close in the
 * middle of the body, as it would when a machine is killed mid-upload.
 */
export class CutProxy implements AsyncDisposable {
  readonly port: number;
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #held: string[] = [];
  readonly #waiters: Array<() => void> = [];

  private constructor(server: net.Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(targetPort: number, keepBytes: number): Promise<CutProxy> {
    const server = net.createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const proxy = new CutProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', client => proxy.#connect(client, targetPort, keepBytes));
    return proxy;
  }

  /** Paths of the PUTs held mid-body so far. */
  get held(): readonly string[] {
    return this.#held;
  }

  /** Resolves once `count` PUTs are held mid-body. */
  async waitForHeld(count: number): Promise<readonly string[]> {
    while (this.#held.length < count)
      await new Promise<void>(resolve => this.#waiters.push(resolve));
    return this.#held;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets)
      socket.destroy();
    await new Promise(resolve => this.#server.close(resolve));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #connect(client: net.Socket, targetPort: number, keepBytes: number): void {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    // Once a body PUT starts on this connection: its path, and how many more bytes may pass.
    let put: { path: string; allowance: number; held: boolean } | undefined;
    client.on('data', (chunk: Buffer) => {
      if (!put) {
        const text = chunk.toString('latin1');
        const match = CAS_PUT.exec(text);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
        // A body that fits in the allowance goes through whole, and the connection stays usable.
        if (!match || length <= keepBytes) {
          upstream.write(chunk);
          return;
        }
        put = { path: match[1]!, allowance: text.indexOf('\r\n\r\n', match.index) + 4 + keepBytes, held: false };
      }
      const passed = chunk.subarray(0, put.allowance);
      put.allowance -= passed.length;
      if (passed.length)
        upstream.write(passed);
      if (passed.length < chunk.length && !put.held) {
        put.held = true;
        this.#held.push(put.path);
        for (const wake of this.#waiters.splice(0))
          wake();
      }
    });
  }
}
