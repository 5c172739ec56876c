/**
 * Issue #2's flow in the real UI: create a project, pick XOR, build Input→Linear→Tanh→Linear→Sigmoid
 * from the palette, train with BCE + Adam until the loss is below 0.05, save, reload, export.
 */
import { describe, expect, it } from 'vitest';
import { OUT, useApp } from './app';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { connectHandles } from './browser';

const CHAIN = ['Input', 'Linear', 'Tanh', 'Linear', 'Sigmoid'];
const IDS = ['input1', 'linear1', 'tanh1', 'linear2', 'sigmoid1'];

const app = useApp();

async function dropFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

async function pickXor(page: Page): Promise<void> {
  const select = page.getByTestId('dataset-select');
  const values = await select.evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value));
  expect(values, 'datasets.list offers the XOR truth table').toContain('xor');
  await select.selectOption('xor');
  await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/4 rows, 2 inputs → 1 output/);
}

async function setUnits(page: Page, nodeId: string, units: number): Promise<void> {
  await page.getByTestId(`node-${nodeId}`).locator('.type').click();
  await page.getByTestId('attr-units').fill(String(units));
  await page.getByTestId('attr-units').press('Enter');
  await expect.poll(() => page.getByTestId(`node-width-${nodeId}`).textContent()).toContain(String(units));
}

/** Forward pass of the exported Linear→Tanh→Linear→Sigmoid model, written out by hand (PyTorch layout W[out][in]). */
function forward(params: Record<string, { weight: number[][]; bias?: number[] }>, x: number[]): number {
  const lin = (p: { weight: number[][]; bias?: number[] }, v: number[]) => p.weight.map((row, i) => row.reduce((s, w, j) => s + w * v[j], p.bias?.[i] ?? 0));
  const h = lin(params.linear1, x).map(Math.tanh);
  const z = lin(params.linear2, h)[0];
  return 1 / (1 + Math.exp(-z));
}

describe('XOR flow in the browser', () => {
  it('builds, trains XOR below loss 0.05, saves, reloads with its run, and exports model JSON', async () => {
    const page = await app.open();
    const name = `XOR demo ${Date.now()}`;
    await page.getByTestId('new-project-name').fill(name);
    await page.getByTestId('new-project-template').selectOption('blank');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(name);
    await pickXor(page);

    for (const [i, type] of CHAIN.entries()) await dropFromPalette(page, type, 90 + i * 175, 140 + (i % 2) * 70);
    for (const id of IDS) await page.getByTestId(`node-${id}`).waitFor();

    // An unconnected Linear makes the graph invalid: Train is disabled and says why.
    await expect.poll(() => page.getByTestId('train-button').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('train-blocker').textContent()).toMatch(/linear1/);
    expect(await page.getByTestId('node-issue-linear1').count()).toBeGreaterThan(0);

    for (let i = 0; i + 1 < IDS.length; i++) await connectHandles(page, IDS[i], IDS[i + 1]);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(4);
    // A cycle is refused before the edge exists.
    await connectHandles(page, 'sigmoid1', 'linear1');
    expect(await page.locator('.svelte-flow__edge').count()).toBe(4);

    await setUnits(page, 'linear1', 4);
    await setUnits(page, 'linear2', 1);
    await expect.poll(() => page.getByTestId('node-width-input1').textContent()).toContain('2');
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    expect(await page.getByTestId('train-blocker').count()).toBe(0);

    await page.getByTestId('loss-select').selectOption('bce');
    await page.getByTestId('optimizer-select').selectOption('adam');
    await page.getByTestId('lr-input').fill('0.05');
    await page.getByTestId('epochs-input').fill('500');
    if (!(await page.getByTestId('full-batch').isChecked())) await page.getByTestId('full-batch').check();

    const blankChart = await page.getByTestId('loss-chart').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await page.getByTestId('train-button').click();
    // The chart fills while training: the epoch count grows and the canvas is redrawn.
    await expect.poll(async () => Number((await page.getByTestId('loss-points').textContent())!.split(' ')[0]), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 180_000 }).toMatch(/completed|failed|stopped/);
    await expect.poll(() => page.getByTestId('loss-points').textContent()).toMatch(/^500 epochs/);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toMatch(/Reached loss [\d.e-]+ < 0\.05 — XOR solved/);
    expect(await page.getByTestId('loss-chart').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(blankChart);

    await page.getByTestId('save-project').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Saved/);
    expect(await page.getByTestId('unsaved').count()).toBe(0);

    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(name);
    for (const id of IDS) await page.getByTestId(`node-${id}`).waitFor();
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(4);
    await expect.poll(() => page.getByTestId('loss-points').textContent()).toMatch(/^500 epochs/);
    expect(await page.getByTestId('run-status').textContent()).toMatch(/XOR solved/);
    expect(await page.getByTestId('loss-select').inputValue()).toBe('bce');
    expect(await page.getByTestId('lr-input').inputValue()).toBe('0.05');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const file = join(OUT, 'xor-model.json');
    await download.saveAs(file);
    await expect.poll(() => page.getByTestId('export-confirmation').textContent()).toMatch(/Exported/);
    const png = join(OUT, 'xor-flow.png');
    writeFileSync(png, await page.screenshot({ fullPage: true }));
    expect(statSync(png).size).toBeGreaterThan(30_000);
    const model = JSON.parse(readFileSync(file, 'utf8'));
    expect(model.format).toBe('neurograph-model');
    expect(model.version).toBe(1);
    expect(model.nodes.map((n: { type: string }) => n.type)).toEqual(CHAIN);
    // The exported weights really solve XOR: evaluate them by hand on the truth table.
    const truth: [number[], number][] = [[[0, 0], 0], [[0, 1], 1], [[1, 0], 1], [[1, 1], 0]];
    for (const [x, y] of truth) expect(Math.round(forward(model.params, x))).toBe(y);

    // The exported file imports back into the project.
    await page.getByTestId('import-json').setInputFiles(file);
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Imported xor-model\.json/);
    for (const id of IDS) await page.getByTestId(`node-${id}`).waitFor();

    await page.context().close();
  });

  it('disables Train and names the reason while a Linear added by click (keyboard path) is unconnected', async () => {
    const page = await app.open();
    await page.getByTestId('new-project-name').fill(`Invalid ${Date.now()}`);
    await page.getByTestId('create-project').click();
    await page.getByTestId('project-name').waitFor();
    await pickXor(page);
    await page.getByTestId('palette-Input').click();
    await page.getByTestId('palette-Linear').click();
    await page.getByTestId('node-linear1').waitFor();
    await expect.poll(() => page.getByTestId('train-button').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('train-blocker').textContent()).toMatch(/linear1.*(input|connect)/i);
    await expect.poll(() => page.getByTestId('node-issue-linear1').first().textContent()).toMatch(/input|connect/i);
    // Connecting it makes the graph valid and enables Train.
    await connectHandles(page, 'input1', 'linear1');
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.context().close();
  });

  it('stops a long run on Stop and says so, keeping the epochs trained so far', async () => {
    const page = await app.open();
    await page.getByTestId('new-project-name').fill(`Stop ${Date.now()}`);
    await page.getByTestId('new-project-template').selectOption('xor');
    await page.getByTestId('create-project').click();
    await page.getByTestId('project-name').waitFor();
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.getByTestId('epochs-input').fill('1000000');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/Training… epoch \d+\/1000000/);
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    expect(await page.getByTestId('run-status').textContent()).toMatch(/^Stopped at epoch \d+/);
    expect(Number((await page.getByTestId('loss-points').textContent())!.split(' ')[0])).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows the import error naming the node and field of a bad model file', async () => {
    const page = await app.open();
    await page.getByTestId('new-project-name').fill(`Import ${Date.now()}`);
    await page.getByTestId('create-project').click();
    await page.getByTestId('project-name').waitFor();
    const bad = {
      format: 'neurograph-model',
      version: 1,
      nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'fc', type: 'Linear', in: ['x'], units: -3 }],
      outputs: ['fc'],
    };
    await page.getByTestId('import-json').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Import of bad\.json failed:.*units/);
    await page.context().close();
  });
});
