// The one-line adoption: this import is the only change the suite needed.
import { test, expect } from 'playwright-bundle-cache/test';
import { openApp } from '../app.js';

test('should render the first frame', async ({ page }) => {
  await openApp(page);
  await expect(page).toHaveTitle('ready');
});

test('should draw with CanvasKit', async ({ page }) => {
  const app = await openApp(page);
  expect(app.canvaskit).toEqual({ drew: true, pixel: [255, 0, 0, 255] });
});

test('should run main.dart.js', async ({ page }) => {
  const app = await openApp(page);
  expect(app.error).toBeNull();
  expect(app.main).toEqual({ loaded: true, threw: null });
});

test('should come back after a reload', async ({ page }) => {
  await openApp(page);
  await page.reload();
  await expect(page).toHaveTitle('ready');
});
