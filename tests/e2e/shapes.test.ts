/**
 * Shape inference on the canvas: every edge carries the width flowing along it (an edge into a
 * node whose widths do not fit also turns red, see ShapeEdge.svelte).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHost, type Host } from './host';
import { launch, openPage } from './browser';

let host: Host;
let browser: Browser;

beforeAll(async () => {
  host = await startHost();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('edges show shapes', () => {
  it('labels each edge of the XOR template with the width flowing along it', async () => {
    const page = await openPage(browser, host.url);
    await page.getByTestId('new-project-name').fill(`Shapes ${Date.now()}`);
    await page.getByTestId('new-project-template').selectOption({ label: 'XOR' });
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(4);
    const labels = await page.locator('.svelte-flow__edge-label').allTextContents();
    expect(labels.map((l) => l.trim()).sort()).toEqual(['n×1', 'n×2', 'n×4', 'n×4']);
    await page.context().close();
  });
});
