/**
 * Playwright's errors when the page, context or browser went away while a
 * request was being handled. Closing a page mid-load is normal, not a failure.
 */
const CLOSED = /has been closed|Target closed|Browser closed|context closed|Request context disposed|browser has disconnected/i;

export function isClosedError(error: unknown): boolean {
  return error instanceof Error && CLOSED.test(error.message);
}
