/** Headless Chromium (the system's) for the end-to-end tests, with downloads accepted. */
import { chromium, type Browser, type Page } from 'playwright-core';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The dialogs a page raised (their types: 'beforeunload' when leaving with an unsaved edit), newest last. */
export const dialogsOf = new WeakMap<Page, string[]>();

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // "Leave the page?" is answered yes, so reloads in tests go on; the question is recorded for tests that check it.
  const dialogs: string[] = [];
  dialogsOf.set(page, dialogs);
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void (d.type() === 'beforeunload' ? d.accept() : d.dismiss());
  });
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
  return page;
}

/** Drags from one handle to another with real pointer moves (xyflow connects on pointer events). */
export async function connectHandles(page: Page, sourceNode: string, targetNode: string): Promise<void> {
  const source = page.getByTestId(`node-${sourceNode}`).locator('.svelte-flow__handle.source');
  const target = page.getByTestId(`node-${targetNode}`).locator('.svelte-flow__handle.target');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}
