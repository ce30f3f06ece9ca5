import type { IncomingHttpHeaders } from 'node:http';

/** One request as the site received it. */
export interface RequestRecord {
  readonly method: string;
  readonly pathname: string;
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
}

/** What reached the site: every request (failed ones too) and body bytes sent. */
export class Traffic {
  readonly requests: RequestRecord[] = [];
  readonly #hits = new Map<string, number>();
  #bytesSent = 0;

  record(request: RequestRecord): void {
    this.requests.push(request);
    this.#hits.set(request.pathname, (this.#hits.get(request.pathname) ?? 0) + 1);
  }

  addBytes(count: number): void {
    this.#bytesSent += count;
  }

  hits(pathname: string): number {
    return this.#hits.get(pathname) ?? 0;
  }

  totalHits(): number {
    return this.requests.length;
  }

  bytesSent(): number {
    return this.#bytesSent;
  }

  reset(): void {
    // Emptied in place: callers may hold the `requests` array.
    this.requests.length = 0;
    this.#hits.clear();
    this.#bytesSent = 0;
  }
}
