/**
 * Issue 8 in the real UI: compare four optimizers on the spiral set and read the table; a killed trainer
 * mid-compare fails those runs while the app keeps working; the deep sigmoid template raises its badge;
 * pause, step and resume; stop within 0.5 s.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUT, descendants, newProject, shot, useApp } from './app';

const app = useApp();

describe('compare optimizers in the app', () => {
  it('compares adam, sgd, rprop and lbfgs on the spiral set: overlay charts, a sortable table, reopened from the library', async () => {
    const page = await app.open();
    await newProject(page, `Spiral compare ${Date.now()}`, 'playground');
    await page.getByTestId('dataset-thumb-spiral').click();
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/^Spiral: 500 rows/);
    await page.getByTestId('compare-open').click();
    await page.getByTestId('compare-view').waitFor();
    await expect.poll(() => page.getByTestId('compare-note').textContent()).toMatch(/same initial weights .* same order; they train in parallel/);
    for (const name of ['adam', 'sgd', 'rprop', 'lbfgs']) await page.getByTestId(`compare-pick-${name}`).check();
    await page.getByTestId('compare-epochs').fill('40');
    await page.getByTestId('compare-start').click();
    await page.getByTestId('compare-running').waitFor();
    for (const name of ['adam', 'sgd', 'rprop', 'lbfgs']) {
      await expect.poll(() => page.getByTestId(`compare-row-${name}`).getAttribute('data-status'), { timeout: 90_000 }).toBe('completed');
    }
    await expect.poll(() => page.getByTestId('compare-running').count()).toBe(0);
    await shot(page, 'compare.png');
    const series = await page.getByTestId('compare-chart-loss').evaluate((c: HTMLCanvasElement) => c.dataset.series);
    expect(series?.split(',').sort()).toEqual(['adam', 'lbfgs', 'rprop', 'sgd']);
    // Each row has a final loss, and lbfgs spends more evaluations than epochs (its line search).
    const row = async (name: string) => (await page.getByTestId(`compare-row-${name}`).locator('td').allTextContents()).map((t) => t.trim());
    for (const name of ['adam', 'sgd', 'rprop', 'lbfgs']) expect(Number((await row(name))[1])).toBeGreaterThan(0);
    expect(Number((await row('lbfgs'))[6])).toBeGreaterThan(40);
    // The table sorts: by loss (increasing, the default), and by name either way.
    const rows = page.locator('[data-testid^="compare-row-"]');
    const losses = async () => Promise.all((await rows.all()).map(async (r) => Number(await r.locator('td').nth(1).textContent())));
    const byLoss = await losses();
    expect(byLoss).toEqual([...byLoss].sort((a, b) => a - b));
    const names = async () => Promise.all((await rows.all()).map(async (r) => (await r.getAttribute('data-testid'))!.replace('compare-row-', '')));
    await page.getByTestId('compare-sort-label').click();
    expect(await names()).toEqual(['adam', 'lbfgs', 'rprop', 'sgd']);
    await page.getByTestId('compare-sort-label').click();
    expect(await names()).toEqual(['sgd', 'rprop', 'lbfgs', 'adam']);
    await page.getByTestId('compare-boundary-adam').waitFor();
    writeFileSync(join(OUT, 'compare-spiral.png'), await page.screenshot());

    // The compare is one group in the library: closing and reopening shows it again.
    await page.getByTestId('compare-close').click();
    await page.reload();
    await page.getByTestId('compare-open').click();
    const groups = page.getByTestId('compare-history');
    await expect.poll(() => groups.locator('option').count()).toBeGreaterThan(1);
    await groups.selectOption({ index: 1 });
    await expect.poll(() => page.getByTestId('compare-row-rprop').getAttribute('data-status')).toBe('completed');
    // "Use these weights" makes the rprop run the project's model.
    await page.getByTestId('compare-adopt-rprop').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/weights of the rprop run/);
    await page.context().close();
  });

  it('a trainer killed mid-compare marks those runs failed; the app keeps working and trains again', async () => {
    const page = await app.open();
    await newProject(page, `Killed ${Date.now()}`, 'playground');
    await page.getByTestId('compare-open').click();
    for (const name of ['adam', 'sgd']) await page.getByTestId(`compare-pick-${name}`).check();
    await page.getByTestId('compare-epochs').fill('1000000');
    await page.getByTestId('compare-start').click();
    await expect.poll(() => page.getByTestId('compare-row-adam').getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
    const trainers = descendants(app.pid!, 'trainer/entry');
    expect(trainers).toHaveLength(1);
    process.kill(trainers[0], 'SIGKILL');
    for (const name of ['adam', 'sgd']) await expect.poll(() => page.getByTestId(`compare-row-${name}`).getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    await page.getByTestId('compare-close').click();
    await page.getByTestId('epochs-input').fill('20');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await page.context().close();
  });
});

describe('run controls and gradient health in the app', () => {
  it('the deep sigmoid template raises a vanishing badge on fc1, explained on hover; the gradient chart shades it', async () => {
    const page = await app.open();
    await newProject(page, `Vanishing ${Date.now()}`, 'vanishing');
    await page.getByTestId('epochs-input').fill('12');
    await page.getByTestId('train-button').click();
    const badge = page.getByTestId('health-badge-fc1');
    await badge.waitFor({ timeout: 60_000 });
    expect(await badge.textContent()).toMatch(/vanishing/);
    expect(await badge.getAttribute('title')).toMatch(/Sigmoid's is at most 0\.25/);
    await expect.poll(() => page.getByTestId('health-flag-vanishing').count()).toBeGreaterThan(0);
    writeFileSync(join(OUT, 'vanishing-badge.png'), await page.screenshot());
    await page.context().close();
  });

  it('pause holds the epoch, step trains exactly one, resume goes on, stop lands within 0.5 s', async () => {
    const page = await app.open();
    await newProject(page, `Controls ${Date.now()}`, 'playground');
    await page.getByTestId('epochs-input').fill('1000000');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/Training… epoch \d+/);
    await page.getByTestId('pause-button').click();
    await page.getByTestId('resume-button').waitFor();
    const epoch = async () => Number((await page.getByTestId('run-epoch').textContent())!.split('/')[0]);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toMatch(/^Paused after epoch \d+/);
    const held = await epoch();
    await page.waitForTimeout(400);
    expect(await epoch()).toBe(held);
    await page.getByTestId('step-button').click();
    await expect.poll(epoch).toBe(held + 1);
    await page.waitForTimeout(300);
    expect(await epoch()).toBe(held + 1);
    await page.getByTestId('resume-button').click();
    await expect.poll(epoch).toBeGreaterThan(held + 5);
    // A learning rate typed while it trains applies to the run (and is marked on its charts).
    await page.getByTestId('lr-input').fill('0.01');
    await page.getByTestId('lr-live').waitFor();
    // Time from the click to the status line saying stopped, measured in the page itself.
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const status = document.querySelector('[data-testid="run-status"]')!;
          const button = document.querySelector<HTMLButtonElement>('[data-testid="stop-button"]')!;
          const t0 = performance.now();
          new MutationObserver(() => status.getAttribute('data-status') === 'stopped' && resolve(performance.now() - t0)).observe(status, { attributes: true });
          button.click();
        }),
    );
    console.log(`stop took ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(500);
    await page.context().close();
  });
});
