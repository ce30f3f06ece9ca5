import { test as base } from '@playwright/test';
import { startSite, type Site, type SiteOptions } from '../../site/server.js';

/** Each test gets its own site (the Flutter layout unless `siteOptions` says otherwise), closed after. */
export const test = base.extend<{ siteOptions: SiteOptions; site: Site }>({
  siteOptions: [{ layout: 'flutter' }, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
});

export { expect } from '@playwright/test';

/** A clock a test moves by hand, in ms since the epoch. */
export class ManualClock {
  now: number;

  constructor(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.now = start;
  }

  readonly read = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}

/** Every value of one header as sent, repeated lines kept apart. */
export function headerLines(rawHeaders: readonly string[], name: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name)
      lines.push(rawHeaders[i + 1]!);
  }
  return lines;
}
