/**
 * Issue #3's teaching use in the real UI: the backprop walkthrough. XOR template project, Explain before
 * training (initial weights, said so), train, pick row 2, and check z, a, δ on the nodes, the loss and the
 * gradient table against a hand computation from the exported weights.
 */
import { describe, expect, it } from 'vitest';
import { OUT, useApp } from './app';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';


const app = useApp();

type Lin = { weight: number[][]; bias: number[] };
const lin = (p: Lin, v: number[]) => p.weight.map((row, i) => row.reduce((s, w, j) => s + w * v[j], p.bias[i]));

/** XOR template (x → fc1 → tanh → fc2 → sigmoid, bce) forward and backward by hand for one sample. */
function byHand(params: Record<string, Lin>, x: number[], t: number) {
  const z1 = lin(params.fc1, x);
  const a1 = z1.map(Math.tanh);
  const z2 = lin(params.fc2, a1)[0];
  const yhat = 1 / (1 + Math.exp(-z2));
  const loss = -(t * Math.log(yhat) + (1 - t) * Math.log(1 - yhat));
  const d2 = yhat - t; // bce after a sigmoid: ∂L/∂z2 = ŷ − y
  const d1 = a1.map((a, j) => params.fc2.weight[0][j] * d2 * (1 - a * a));
  return { z1, a1, z2, yhat, loss, d2, d1, gW1: d1.map((d) => x.map((xi) => d * xi)) };
}

async function num(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent())!.trim();
  const v = Number(text);
  expect(Number.isFinite(v), `${testId} shows a number, got '${text}'`).toBe(true);
  return v;
}

/** The UI shows 4 significant digits. */
function expectShown(shown: number, exact: number): void {
  expect(Math.abs(shown - exact)).toBeLessThanOrEqual(Math.abs(exact) * 6e-4 + 1e-12);
}

describe('backprop walkthrough in the browser', () => {
  it('explains XOR row 2 with z, a, δ on the nodes and ∂L/∂w in a table, matching a hand computation', async () => {
    const page = await app.open();
    const name = `Explain ${Date.now()}`;
    await page.getByTestId('new-project-name').fill(name);
    await page.getByTestId('new-project-template').selectOption('xor');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(name);

    // Before training: the walkthrough works on the initial weights and says so.
    await page.getByTestId('explain-toggle').click();
    await page.getByTestId('explain-untrained').waitFor();
    await page.getByTestId('explain-node-fc1').waitFor();
    await page.getByTestId('explain-toggle').click();
    expect(await page.getByTestId('explain-node-fc1').count()).toBe(0);

    await page.getByTestId('epochs-input').fill('300');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');

    await page.getByTestId('explain-toggle').click();
    await page.getByTestId('explain-row').fill('2');
    await page.getByTestId('explain-row').press('Enter');
    await expect.poll(() => page.getByTestId('explain-untrained').count()).toBe(0);
    await expect.poll(() => page.getByTestId('explain-sample').textContent()).toMatch(/x = \[1, 0\]|x = \[0, 1\]/);
    const sample = (await page.getByTestId('explain-sample').textContent())!;
    const x = JSON.parse(sample.match(/x = (\[[^\]]*\])/)![1]) as number[];
    const t = JSON.parse(sample.match(/y = (\[[^\]]*\])/)![1])[0] as number;
    expect(t, 'the XOR truth table labels the row').toBe(x[0] !== x[1] ? 1 : 0);

    // The trained weights, from the exported model file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const file = join(OUT, 'explain-model.json');
    await download.saveAs(file);
    const params = JSON.parse(readFileSync(file, 'utf8')).params as Record<string, Lin>;
    const h = byHand(params, x, t);

    for (let j = 0; j < 4; j++) {
      expectShown(await num(page, `explain-z-fc1-${j}`), h.z1[j]);
      expectShown(await num(page, `explain-delta-fc1-${j}`), h.d1[j]);
      expectShown(await num(page, `explain-a-act1-${j}`), h.a1[j]);
    }
    expectShown(await num(page, 'explain-z-fc2-0'), h.z2);
    expectShown(await num(page, 'explain-delta-fc2-0'), h.d2);
    expectShown(await num(page, 'explain-a-y-0'), h.yhat);
    const lossText = (await page.getByTestId('explain-loss').textContent())!;
    expectShown(Number(lossText.split('=')[1]), h.loss);

    // The gradient table of fc1 (the first Linear): ∂L/∂w_ij = δ_i·x_j, bottom line of each cell.
    await page.getByTestId('explain-weights-fc1').waitFor();
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 2; j++) {
        const cell = page.getByTestId(`explain-grad-fc1-${i}-${j}`);
        expectShown(Number(await cell.locator('.w').textContent()), params.fc1.weight[i][j]);
        expectShown(Number(await cell.locator('.g').textContent()), h.gW1[i][j]);
      }
    }
    // Clicking the fc2 node switches the table to its weights.
    await page.getByTestId('node-fc2').locator('.type').click();
    await page.getByTestId('explain-weights-fc2').waitFor();
    expectShown(Number(await page.getByTestId('explain-grad-fc2-0-1').locator('.g').textContent()), h.d2 * h.a1[1]);

    const png = join(OUT, 'explain.png');
    writeFileSync(png, await page.screenshot({ fullPage: true }));
    expect(statSync(png).size).toBeGreaterThan(30_000);

    // Turning explain off restores the normal canvas.
    await page.getByTestId('explain-toggle').click();
    expect(await page.getByTestId('explain-node-fc1').count()).toBe(0);
    expect(await page.getByTestId('explain-weights-fc2').count()).toBe(0);
    await page.getByTestId('node-width-fc1').waitFor();
    await page.context().close();
  });
});
