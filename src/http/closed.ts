/**
 * Playwright's errors when the page, context or browser went away while a
 * request was being handled. Closing a page mid-load is normal, not a failure.
 * A context closed with a reason throws that reason instead: @playwright/test
 * closes each test's context with "Test ended." or "Test timeout of N ms
 * exceeded.", so a fetch still pending at a test's end is abandoned too.
 */
const CLOSED = /has been closed|Target closed|Browser closed|context closed|Request context disposed|browser has disconnected|\bTest ended\.|\bTest timeout of \d+ms exceeded\./i;

export function isClosedError(error: unknown): boolean {
  return error instanceof Error && CLOSED.test(error.message);
}
