import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { siteCertificate, siteKey } from './tls.js';

// Node's default (16 KB) would answer a conditional request carrying a
// hostile 100 KB ETag with a bare 431 before the site sees it, so it would
// be neither counted nor answered as the test set up. A real host would
// refuse it; a test gets that with fail(path, { status: 431 }).
const MAX_REQUEST_HEADER_BYTES = 1024 * 1024;

/** One listening HTTP(S) server on 127.0.0.1 (or `host`) that can be closed with its hung sockets. */
export class Listener {
  readonly origin: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #closed: Promise<void> | undefined;

  private constructor(server: Server, origin: string) {
    this.#server = server;
    this.origin = origin;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  static async listen(options: { https: boolean; host: string; port: number }): Promise<Listener> {
    const { https, host, port: requestedPort } = options;
    const server: Server = https
      ? createHttpsServer({ cert: siteCertificate(), key: siteKey(), maxHeaderSize: MAX_REQUEST_HEADER_BYTES })
      : createHttpServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new Listener(server, `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }

  onRequest(handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.#server.on('request', handler);
  }

  /** Stops listening and destroys every open socket, hung ones included. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>(resolve => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets)
        socket.destroy();
    });
    return this.#closed;
  }
}
