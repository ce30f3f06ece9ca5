import type { BrowserContext, Page } from 'playwright';
import { passwordOf } from './accounts.js';

/**
 * A session's `warm`: logs `user` in through the form, as a person would,
 * and returns once the app has stored its token and shown the user.
 */
export function loginAs(origin: string, user: string): (context: BrowserContext) => Promise<void> {
  return async context => {
    const page = await context.newPage();
    try {
      await page.goto(`${origin}/login`);
      await page.fill('#user', user);
      await page.fill('#password', passwordOf(user));
      await page.click('#submit');
      await page.waitForFunction(() => document.title === 'app ready' || document.title === 'login' || document.title === 'locked');
      const title = await page.title();
      if (title !== 'app ready')
        throw new Error(`the login of ${user} ended on the ${title} page`);
    } finally {
      await page.close();
    }
  };
}

/** Whose app a page shows: the user from the cookie (server-rendered) and from the API (the localStorage token). */
export interface AppView {
  /** `login` when the context is not logged in, else `app ready`. */
  readonly title: string;
  readonly user: string | null;
  /** The API's answer: a user name, or `error <status>`. */
  readonly api: string | null;
}

export async function viewApp(page: Page, origin: string): Promise<AppView> {
  await page.goto(`${origin}/app`);
  await page.waitForFunction(() => document.title === 'app ready' || document.title === 'login');
  const title = await page.title();
  if (title !== 'app ready')
    return { title, user: null, api: null };
  return { title, user: await page.textContent('#user'), api: await page.textContent('#api') };
}
