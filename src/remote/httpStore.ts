import { HttpTransport, type HttpAnswer, type HttpCall } from './httpTransport.js';
import { refuseIfReadOnly, type BodyRef, type RemoteStore } from './store.js';
import { asRemoteError, remoteUnavailable, writeRefused } from './storeErrors.js';

export interface HttpStoreSettings {
  /** `http(s)://[user:pass@]host/prefix/`, credentials included. */
  readonly url: string;
  /** The URL without its password. */
  readonly location: string;
  readonly readOnly: boolean;
}

/** A record id no entry can have, for `ping()`: any answer but 401/403/5xx means the store is there. */
const PING_ID = '0'.repeat(64);

/**
 * An HTTP blob store in the Bazel HTTP cache layout, as nginx WebDAV and
 * bazel-remote serve it: `cas/<sha256>` holds bodies, `ac/<sha256 of key>`
 * entry records; GET, HEAD, PUT, DELETE and nothing else. A PUT cut off
 * mid-body leaves nothing behind on nginx (it renames its temp file only
 * once the whole body is in), and whatever a server does, the tier checks
 * size and sha256 before using a body. No fleet lock, no listing, no expiry:
 * the server's own eviction (bazel-remote's `--max_size`, a cron on nginx)
 * bounds it.
 */
export class HttpStore implements RemoteStore {
  readonly kind = 'http';
  readonly location: string;
  readonly readOnly: boolean;
  readonly fleetLocks = undefined;
  readonly listRecordIds = undefined;
  readonly #transport: HttpTransport;

  constructor(settings: HttpStoreSettings) {
    this.location = settings.location;
    this.readOnly = settings.readOnly;
    const base = new URL(settings.url);
    // Credentials travel as Basic auth, never in a request's URL.
    const authorization = base.username || base.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
      : undefined;
    base.username = '';
    base.password = '';
    this.#transport = new HttpTransport(base, authorization);
  }

  bodyLayout(): undefined {
    return undefined;
  }

  async getRecord(id: string, signal: AbortSignal): Promise<Buffer | undefined> {
    return this.#get(`ac/${id}`, 'read a record', signal);
  }

  async putRecord(id: string, record: Buffer, _ttlMs: number, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'write a record');
    await this.#put(`ac/${id}`, record, 'write a record', signal);
  }

  async deleteRecord(id: string, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'delete a record');
    await this.#delete(`ac/${id}`, 'delete a record', signal);
  }

  async hasBody(body: BodyRef, _ttlMs: number, signal: AbortSignal): Promise<boolean> {
    refuseIfReadOnly(this, 'check a body before upload');
    const response = await this.#request({ method: 'HEAD', path: `cas/${body.sha256}`, signal }, 'check a body before upload');
    if (response.status === 404)
      return false;
    // Part of an upload: a 401/403 here is the server refusing this writer.
    if (!ok(response))
      throw this.#writeFailure('check a body before upload', `cas/${body.sha256}`, response.status);
    // A body of the wrong length (a truncated upload by some other server) is sent again.
    return response.headers['content-length'] === String(body.size);
  }

  async getBody(body: BodyRef, signal: AbortSignal): Promise<Buffer | undefined> {
    return this.#get(`cas/${body.sha256}`, 'read a body', signal);
  }

  async putBody(body: BodyRef, data: Buffer, _ttlMs: number, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'write a body');
    await this.#put(`cas/${body.sha256}`, data, 'write a body', signal);
  }

  async deleteBody(body: BodyRef, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'delete a body');
    await this.#delete(`cas/${body.sha256}`, 'delete a body', signal);
  }

  async ping(signal: AbortSignal): Promise<void> {
    const response = await this.#request({ method: 'HEAD', path: `ac/${PING_ID}`, signal }, 'answer a HEAD request');
    if (!ok(response) && response.status !== 404)
      throw this.#readFailure('answer a HEAD request', response.status);
  }

  /** One HEAD, as `ping()`: it leaves a kept-alive connection for the first lookup. */
  async connect(signal: AbortSignal): Promise<void> {
    await this.ping(signal);
  }

  async close(): Promise<void> {
    this.#transport.close();
  }

  async #get(path: string, operation: string, signal: AbortSignal): Promise<Buffer | undefined> {
    const response = await this.#request({ method: 'GET', path, signal, read: true }, operation);
    if (response.status === 404)
      return undefined;
    if (!ok(response))
      throw this.#readFailure(operation, response.status);
    return response.body;
  }

  async #put(path: string, data: Buffer, operation: string, signal: AbortSignal): Promise<void> {
    const response = await this.#request({ method: 'PUT', path, signal, body: data }, operation);
    if (!ok(response))
      throw this.#writeFailure(operation, path, response.status, data.length);
  }

  async #delete(path: string, operation: string, signal: AbortSignal): Promise<void> {
    const response = await this.#request({ method: 'DELETE', path, signal }, operation);
    if (!ok(response) && response.status !== 404)
      throw this.#writeFailure(operation, path, response.status);
  }

  /** A redirect is a server in the way (a login page, another host): unavailable, never followed. */
  async #request(call: HttpCall, operation: string): Promise<HttpAnswer> {
    let response: HttpAnswer;
    try {
      response = await this.#transport.request(call);
    } catch (error) {
      throw asRemoteError(this.location, operation, error);
    }
    if (response.status >= 300 && response.status <= 399)
      throw remoteUnavailable(this.location, operation, `the server redirected (${response.status}) to ${response.headers.location ?? 'nowhere'}`, { status: response.status, fix: 'point remote at the store itself (the URL the server redirects to, with its prefix); redirects are not followed' });
    return response;
  }

  #readFailure(operation: string, status: number) {
    if (status === 401 || status === 403)
      return remoteUnavailable(this.location, operation, `the server answered ${status}`, { status, fix: 'give this machine credentials that may read, in the URL: https://user:password@host/prefix/' });
    return remoteUnavailable(this.location, operation, `the server answered ${status}`, { status });
  }

  #writeFailure(operation: string, path: string, status: number, size?: number) {
    const answer = `the server answered ${status}${size === undefined ? '' : ` to a PUT of ${size} bytes`}`;
    const refuse = (fix: string) => writeRefused(this.location, operation, answer, fix, { status, path, size });
    if (status === 413)
      return refuse('raise the server\'s body size limit: nginx `client_max_body_size 100m;` in the WebDAV location (its default is 1 MB), bazel-remote `--max_blob_size`');
    if (status === 401 || status === 403)
      return refuse('give this machine credentials that may write (https://user:password@host/prefix/), or readOnly: true if it should only read');
    if (status === 405 || status === 501)
      return refuse('enable uploads on the server: nginx `dav_methods PUT DELETE;` in the WebDAV location');
    if (status === 409)
      return refuse('let the server create directories: nginx `create_full_put_path on;` in the WebDAV location');
    if (status === 400 && path.startsWith('ac/'))
      return refuse('bazel-remote validates ac/ entries as Bazel ActionResults: start it with --disable_http_ac_validation');
    if (status === 507)
      return refuse('free space on the server, or give it a size bound that evicts (bazel-remote `--max_size`)');
    if (status >= 500)
      return remoteUnavailable(this.location, operation, answer, { status, path });
    return refuse(`check the server's configuration for PUT ${path} (see the nginx recipe in the project's docs/remote.md)`);
  }
}

function ok(response: HttpAnswer): boolean {
  return response.status >= 200 && response.status <= 299;
}
