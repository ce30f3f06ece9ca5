import type { IncomingHttpHeaders } from 'node:http';

/** One request as the site received it. */
export interface RequestRecord {
  readonly method: string;
  readonly pathname: string;
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
}

/** Responses sent for one path, by status code: `{ 200: 1, 304: 3 }`. Statuses never sent are absent. */
export type StatusCounts = Readonly<Record<number, number>>;

/**
 * What reached an origin: every request (failed ones too), the status of
 * every response head written, and body bytes sent, per path and in total.
 * A reset or a hang writes no head, so it is a hit without a status.
 */
export class Traffic {
  readonly requests: RequestRecord[] = [];
  readonly #hits = new Map<string, number>();
  readonly #statuses = new Map<string, Record<number, number>>();
  readonly #bytes = new Map<string, number>();
  #bytesSent = 0;

  record(request: RequestRecord): void {
    this.requests.push(request);
    this.#hits.set(request.pathname, (this.#hits.get(request.pathname) ?? 0) + 1);
  }

  responded(pathname: string, status: number): void {
    let counts = this.#statuses.get(pathname);
    if (!counts) {
      counts = {};
      this.#statuses.set(pathname, counts);
    }
    counts[status] = (counts[status] ?? 0) + 1;
  }

  addBytes(pathname: string, count: number): void {
    this.#bytesSent += count;
    this.#bytes.set(pathname, (this.#bytes.get(pathname) ?? 0) + count);
  }

  hits(pathname: string): number {
    return this.#hits.get(pathname) ?? 0;
  }

  responses(pathname: string): StatusCounts {
    return { ...this.#statuses.get(pathname) };
  }

  totalHits(): number {
    return this.requests.length;
  }

  bytesSent(pathname?: string): number {
    return pathname === undefined ? this.#bytesSent : this.#bytes.get(pathname) ?? 0;
  }

  reset(): void {
    // Emptied in place: callers may hold the `requests` array.
    this.requests.length = 0;
    this.#hits.clear();
    this.#statuses.clear();
    this.#bytes.clear();
    this.#bytesSent = 0;
  }
}
