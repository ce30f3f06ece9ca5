import type { WarmResult } from '../../../warm/warm.js';

export type WarmOutcome = WarmResult['outcome'];

/** One bundle `warm` fetched, or a page pulled, with what happened to it. */
export interface WarmItem {
  readonly url: string;
  readonly outcome: WarmOutcome;
  readonly bytes: number;
  readonly reason: string | null;
  /** Fresh because the origin answered 304 to a conditional request (no body downloaded). */
  readonly revalidated: boolean;
}

/** One page `warm --page` loaded. */
export interface PageOutcome {
  readonly url: string;
  readonly ok: boolean;
  /** HTTP status of the page, null when it did not load. */
  readonly status: number | null;
  readonly error: string | null;
}
