/**
 * Shape inference on the canvas: every edge carries the width flowing along it (an edge into a
 * node whose widths do not fit also turns red, see ShapeEdge.svelte).
 */
import { describe, expect, it } from 'vitest';
import { useApp } from './app';

const app = useApp();

describe('edges show shapes', () => {
  it('labels each edge of the XOR template with the width flowing along it', async () => {
    const page = await app.open();
    await page.getByTestId('new-project-name').fill(`Shapes ${Date.now()}`);
    await page.getByTestId('new-project-template').selectOption('xor');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(4);
    const labels = await page.locator('.svelte-flow__edge-label').allTextContents();
    expect(labels.map((l) => l.trim()).sort()).toEqual(['n×1', 'n×2', 'n×4', 'n×4']);
    await page.context().close();
  });
});
