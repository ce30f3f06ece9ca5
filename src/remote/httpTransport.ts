import http from 'node:http';
import https from 'node:https';

/** What the server answered: the status, the headers, and the whole body when asked for. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Only when the request read the body (`read: true`) and the status was 2xx. */
  readonly body: Buffer | undefined;
}

export interface HttpCall {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  /** Resolved against the base URL. */
  readonly path: string;
  readonly signal: AbortSignal;
  /** A PUT's body. */
  readonly body?: Buffer;
  /** Read a 2xx answer's body into `HttpAnswer.body`; other answers' bodies are discarded. */
  readonly read?: boolean;
}

/**
 * The HTTP store's requests, over `node:http(s)` with kept-alive
 * connections. Not `fetch()`: in a new process its first megabytes come
 * through web streams that are not warmed up yet, and a 7 MB body took
 * 280 ms there against 45 ms here (median of 10 new processes). A body
 * whose length the server announces is read straight into one buffer of
 * that size. Redirects are not followed: the store's URL is the store.
 */
export class HttpTransport {
  readonly #base: URL;
  readonly #authorization: string | undefined;
  readonly #agent: http.Agent;

  /** `base`: without credentials; `authorization`: the header to send with every request, if any. */
  constructor(base: URL, authorization: string | undefined) {
    this.#base = base;
    this.#authorization = authorization;
    this.#agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /**
   * Rejects with the signal's reason once it aborts, or with the connection's
   * error. A kept-alive connection the server closed while idle fails the
   * request sent on it before any answer: sent again once on a new connection
   * (every request here may be repeated).
   */
  async request(call: HttpCall): Promise<HttpAnswer> {
    try {
      return await this.#send(call);
    } catch (error) {
      if (!(error instanceof StaleConnection))
        throw error;
      return this.#send(call);
    }
  }

  #send(call: HttpCall): Promise<HttpAnswer> {
    const { signal } = call;
    if (signal.aborted)
      return Promise.reject(signal.reason);
    const headers: http.OutgoingHttpHeaders = {};
    if (this.#authorization)
      headers.authorization = this.#authorization;
    if (call.body) {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = call.body.length;
    }
    const url = new URL(call.path, this.#base);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const request = send(url, { method: call.method, headers, agent: this.#agent });
      const onAbort = () => request.destroy(signal.reason);
      let answered = false;
      const fail = (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('error', error => fail(!answered && request.reusedSocket && !signal.aborted ? new StaleConnection(error) : error));
      request.once('response', response => {
        answered = true;
        const status = response.statusCode ?? 0;
        const done = (body: Buffer | undefined) => {
          signal.removeEventListener('abort', onAbort);
          resolve({ status, headers: response.headers, body });
        };
        response.once('error', fail);
        if (!call.read || status < 200 || status > 299) {
          response.once('end', () => done(undefined)).resume();
          return;
        }
        readBody(response, done, fail);
      });
      request.end(call.body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}

/** A request that failed before any answer on a kept-alive connection the server had closed. */
class StaleConnection extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

/** Collects the body: into one buffer of the announced length, else chunk by chunk. A body cut short fails. */
function readBody(response: http.IncomingMessage, done: (body: Buffer) => void, fail: (error: Error) => void): void {
  const announced = Number(response.headers['content-length']);
  if (!Number.isSafeInteger(announced) || announced < 0) {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => done(Buffer.concat(chunks)));
    return;
  }
  const body = Buffer.allocUnsafe(announced);
  let filled = 0;
  response.on('data', (chunk: Buffer) => {
    if (filled + chunk.length > announced) {
      response.destroy(new Error(`the server sent more than the ${announced} bytes it announced`));
      return;
    }
    chunk.copy(body, filled);
    filled += chunk.length;
  });
  response.once('end', () => {
    if (filled === announced)
      done(body);
    else
      fail(new Error(`the body ended after ${filled} of the ${announced} bytes announced`));
  });
}
