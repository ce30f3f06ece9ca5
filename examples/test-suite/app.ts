import type { Page } from '@playwright/test';

/** What the app reports on `window.__site` once it has drawn its first frame (or failed). */
export interface AppState {
  ready: boolean;
  error: string | null;
  version: number;
  canvaskit: { drew: boolean; pixel: number[] };
  main: { loaded: boolean; threw: string | null };
  hashes: Record<string, string>;
}

/** Opens the app at `path` and waits until it is ready or has failed. */
export async function openApp(page: Page, path = '/'): Promise<AppState> {
  await page.goto(path);
  await page.waitForFunction(() => {
    const state = (window as { __site?: AppState }).__site;
    return state?.ready || state?.error;
  });
  return page.evaluate(() => (window as { __site?: AppState }).__site!);
}
