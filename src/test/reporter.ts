import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { ATTACHMENT_NAME } from './testReport.js';
import { formatSummary, parseAttachment, summarize, type TestCounts } from './summary.js';

/**
 * Prints one line at the end of the run: requests, hit rate, bytes served
 * from the cache and from the origin, summed over all workers. It reads the
 * JSON each test attached, so it needs nothing from the workers but that.
 *
 * ```ts
 * reporter: [['list'], ['playwright-bundle-cache/reporter']],
 * ```
 */
export default class BundleCacheReporter implements Reporter {
  readonly #results: Array<{ counts: TestCounts; workerIndex: number }> = [];

  onTestEnd(_test: TestCase, result: TestResult): void {
    for (const attachment of result.attachments) {
      if (attachment.name !== ATTACHMENT_NAME || !attachment.body)
        continue;
      const counts = parseAttachment(attachment.body);
      if (counts)
        this.#results.push({ counts, workerIndex: result.workerIndex });
    }
  }

  onEnd(_result: FullResult): void {
    console.log(formatSummary(summarize(this.#results)));
  }

  // One line is not a progress report: used alone, Playwright adds its default one.
  printsToStdio(): boolean {
    return false;
  }
}
