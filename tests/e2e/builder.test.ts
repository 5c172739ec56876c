/**
 * Issue 10, editing, in the real UI: autosave with a revision history and a question before leaving
 * unsaved; undo/redo of graph and setting edits that never leak into text fields; copy/paste/duplicate
 * of several nodes with the edges between them; palette search adding in view; auto-layout, fit view,
 * the model summary; the inspector's ranges and activation plot.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newProject, useApp } from './app';
import { dialogsOf } from './browser';

const app = useApp();

const nodeCount = (page: Page) => page.locator('.svelte-flow__node').count();
const edgeCount = (page: Page) => page.locator('.svelte-flow__edge').count();
const saveState = (page: Page) => page.getByTestId('save-state').getAttribute('data-state');
/** Focus on the canvas (its pane), where the editing shortcuts act. */
async function focusCanvas(page: Page): Promise<void> {
  const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
  await page.mouse.click(pane.x + 12, pane.y + pane.height - 12);
}

describe('the builder: never lose an edit, undo anything', () => {
  it('saves every edit on its own as a new revision, lists the revisions and restores one; leaving unsaved asks first', async () => {
    const page = await app.open();
    await newProject(page, `Autosave ${Date.now()}`, 'xor');
    await expect.poll(() => saveState(page)).toBe('saved');
    const rev0 = Number((await page.getByTestId('save-state').textContent())!.match(/rev (\d+)/)![1]);

    await page.getByTestId('epochs-input').fill('321');
    await expect.poll(() => saveState(page), { timeout: 2_000 }).toBe('saved');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toContain(`rev ${rev0 + 1}`);
    await page.getByTestId('epochs-input').fill('654');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 2_000 }).toContain(`rev ${rev0 + 2}`);

    // The history lists them, newest first; restoring the one with 321 epochs is an edit, saved as a new revision.
    await page.getByTestId('project-menu').click();
    await page.getByTestId('revisions-open').click();
    await page.getByTestId('revisions-list').waitFor();
    const revisions = await page.getByTestId('revision-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-revision'))));
    expect(revisions.slice(0, 3)).toEqual([rev0 + 2, rev0 + 1, rev0]);
    await page.locator(`[data-testid="revision-row"][data-revision="${rev0 + 1}"]`).getByTestId('revision-restore').click();
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe('321');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 2_000 }).toContain(`rev ${rev0 + 3}`);

    // A reload keeps what was saved.
    await page.reload();
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe('321');

    // An edit not saved yet (the reload comes before the autosave's pause is over) makes the page ask.
    await page.getByTestId('epochs-input').fill('777');
    await page.reload();
    expect(dialogsOf.get(page)).toContain('beforeunload');
    await page.context().close();
  });

  it('undoes and redoes graph and setting edits with the keyboard on the canvas, never inside a text field', async () => {
    const page = await app.open();
    await newProject(page, `Undo ${Date.now()}`, 'xor');
    const nodes = await nodeCount(page);

    await page.getByTestId('palette-ReLU').click();
    await expect.poll(() => nodeCount(page)).toBe(nodes + 1);
    const epochs = await page.getByTestId('epochs-input').inputValue();
    await page.getByTestId('epochs-input').fill('42');

    await focusCanvas(page);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe(epochs);
    expect(await nodeCount(page)).toBe(nodes + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(nodes);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodeCount(page)).toBe(nodes + 1);
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe('42');
    // The toolbar's buttons do the same.
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe(epochs);
    await page.getByTestId('redo').click();
    await expect.poll(() => page.getByTestId('epochs-input').inputValue()).toBe('42');

    // In a text field Ctrl+Z is the field's own: the graph keeps its node.
    await page.getByTestId('epochs-input').click();
    await page.keyboard.type('7');
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(200);
    expect(await nodeCount(page)).toBe(nodes + 1);
    await page.context().close();
  });

  it('copies, pastes and duplicates several nodes with the edges between them, in view', async () => {
    const page = await app.open();
    await newProject(page, `Copy ${Date.now()}`, 'xor');
    const nodes = await nodeCount(page);
    const edges = await edgeCount(page);
    await focusCanvas(page);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeCount(page)).toBe(2 * nodes);
    await expect.poll(() => edgeCount(page)).toBe(2 * edges);
    // Two nodes selected (a Linear and the activation after it): Ctrl+D copies both and the one edge between them.
    await focusCanvas(page);
    await page.getByTestId('node-fc1').locator('.type').click();
    await page.getByTestId('node-act1').locator('.type').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+d');
    await expect.poll(() => nodeCount(page)).toBe(2 * nodes + 2);
    await expect.poll(() => edgeCount(page)).toBe(2 * edges + 1);
    // The copies (selected after a paste) are inside the visible canvas.
    const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
    const boxes = await page.locator('.svelte-flow__node.selected').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(2);
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(pane.x - 1);
      expect(b.right).toBeLessThanOrEqual(pane.x + pane.width + 1);
      expect(b.top).toBeGreaterThanOrEqual(pane.y - 1);
      expect(b.bottom).toBeLessThanOrEqual(pane.y + pane.height + 1);
    }
    await page.context().close();
  });

  it('palette search adds with Enter at the viewport centre; auto-layout ranks the network left to right; the summary counts parameters', async () => {
    const page = await app.open();
    await newProject(page, `Layout ${Date.now()}`, 'xor-221');
    await page.getByTestId('palette-search').fill('leaky');
    expect(await page.getByTestId('palette-ReLU').count()).toBe(0);
    await page.getByTestId('palette-search').press('Enter');
    await page.getByTestId('node-leakyrelu1').waitFor();
    const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
    const added = (await page.getByTestId('node-leakyrelu1').boundingBox())!;
    expect(added.x).toBeGreaterThan(pane.x);
    expect(added.x + added.width).toBeLessThan(pane.x + pane.width);
    expect(added.y).toBeGreaterThan(pane.y);
    expect(added.y + added.height).toBeLessThan(pane.y + pane.height);
    // Its inspector shows negative_slope with its range, and a plot of f and f′.
    await page.getByTestId('node-leakyrelu1').locator('.type').click();
    await page.getByTestId('attr-negative_slope').waitFor();
    expect(await page.getByTestId('inspector').textContent()).toMatch(/negative_slope\s*\[0, 1\]/);
    await page.getByTestId('activation-plot').waitFor();
    expect(await page.getByTestId('activation-plot').getAttribute('data-type')).toBe('LeakyReLU');
    await page.getByTestId('delete-node').click();

    // Scramble the positions (drag x far right), then auto-layout: x < h < ha < o < y from left to right.
    const x = (await page.getByTestId('node-x').boundingBox())!;
    await page.mouse.move(x.x + x.width / 2, x.y + 8);
    await page.mouse.down();
    await page.mouse.move(x.x + 600, x.y + 200, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('auto-layout').click();
    await page.waitForTimeout(400);
    const xs: number[] = [];
    for (const id of ['x', 'h', 'ha', 'o', 'y']) xs.push((await page.getByTestId(`node-${id}`).boundingBox())!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);

    // print(model): 2·2+2 + 2·1+1 = 9 parameters.
    await page.getByTestId('model-summary-open').click();
    expect(await page.getByTestId('model-summary-print').textContent()).toContain('(h): Linear(in_features=2, out_features=2)');
    expect(await page.getByTestId('model-summary-totals').textContent()).toMatch(/Trainable parameters: 9\b/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('model-summary').count()).toBe(0);

    // The shortcut overlay, on ?.
    await focusCanvas(page);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').waitFor();
    expect(await page.getByTestId('shortcuts-help').textContent()).toContain('Ctrl+D');
    await page.context().close();
  });

  it('panels resize by their splitters, keep their size across a reload, and double-click restores it', async () => {
    const page = await app.open();
    await newProject(page, `Panes ${Date.now()}`, 'playground');
    const width = async (sel: string) => (await page.locator(sel).boundingBox())!.width;
    const height = async (sel: string) => (await page.locator(sel).boundingBox())!.height;
    const drag = async (testid: string, dx: number, dy: number) => {
      const b = (await page.getByTestId(testid).boundingBox())!;
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2 + dy, { steps: 6 });
      await page.mouse.up();
    };
    const left0 = await width('aside.left');
    const right0 = await width('aside.right');
    const charts0 = await height('[data-testid="charts-panel"], main.center > :last-child');
    await drag('resize-left', 80, 0);
    await drag('resize-right', -60, 0);
    await drag('resize-charts', 0, -100);
    expect(await width('aside.left')).toBeCloseTo(left0 + 80, -1);
    expect(await width('aside.right')).toBeCloseTo(right0 + 60, -1);
    expect(await height('main.center > :last-child')).toBeCloseTo(charts0 + 100, -1);
    await page.reload();
    await page.getByTestId('project-name').waitFor();
    expect(await width('aside.left')).toBeCloseTo(left0 + 80, -1);
    await page.getByTestId('resize-left').dblclick();
    expect(await width('aside.left')).toBeCloseTo(left0, -1);
    await page.context().close();
  });
});
