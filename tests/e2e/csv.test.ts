/**
 * A CSV table of your own, in the real UI: picked or dropped, previewed with what was detected, the
 * target and bad cells chosen, imported with a progress bar; the Input's width follows the table; a
 * table over the limit is refused before it is read, naming the limit; bad cells are named by column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newProject, shot, useApp } from './app';
import { REPO } from './host';

const app = useApp();
const IRIS = readFileSync(join(REPO, 'resources/datasets/iris.csv'));

/** Drops `text` as a file named `name` on the element `selector` (a real DataTransfer, as a drag from the desktop). */
async function dropFile(page: Page, selector: string, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'text/csv' }));
      return dt;
    },
    [name, text] as const,
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}

describe('importing a CSV table', () => {
  it('previews iris with its columns and task, imports it with progress, and the Input takes 4 inputs', async () => {
    const page = await app.open();
    await newProject(page, `Iris ${Date.now()}`, 'xor');
    await page.getByTestId('csv-import').click();
    await page.getByTestId('csv-file').setInputFiles({ name: 'iris.csv', mimeType: 'text/csv', buffer: IRIS });
    await page.getByTestId('csv-preview').waitFor();
    expect(await page.getByTestId('csv-detected').textContent()).toMatch(/iris\.csv: 150 rows × 5 columns · delimiter\s+comma · header row found/);
    expect(await page.getByTestId('csv-target').inputValue()).toBe('species');
    expect(await page.getByTestId('csv-task').textContent()).toMatch(/classification.*3 classes/);
    await page.getByTestId('csv-scaling').selectOption('standardize');
    await shot(page, 'csv-preview.png');
    await page.getByTestId('csv-confirm').click();
    await expect.poll(() => page.getByTestId('csv-dialog').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/150 rows, 4 inputs/);
    // The Input's width follows the table: 4 columns in, shown on the Input node.
    await expect.poll(() => page.getByTestId('node-width-x').textContent()).toMatch(/\b4\b/);
    await page.context().close();
  });

  it('opens a table dropped on the window in the preview, and names bad cells by column and row', async () => {
    const page = await app.open();
    await newProject(page, `Dropped ${Date.now()}`, 'xor');
    const text = 'a;b;y\n1,5;2;0\n3;N/A;1\n2;4;0\n5;1e309;1\n';
    await dropFile(page, '[data-testid="canvas"]', 'semicolons.csv', text);
    await page.getByTestId('csv-preview').waitFor();
    // Semicolons with decimal commas, as European spreadsheets write them.
    expect(await page.getByTestId('csv-detected').textContent()).toMatch(/semicolon.*decimal commas/);
    // Named by column, kind and line (the header is line 1): N/A on line 3, 1e309 on line 5.
    expect(await page.getByTestId('csv-bad').textContent()).toBe('b: 1 missing marker (N/A, NaN, ?), 1 number too large (→ Infinity) (lines 3, 5)');
    // With bad cells found, dropping their rows is offered first; refusing the table names the column.
    expect(await page.getByTestId('csv-missing').inputValue()).toBe('drop');
    await page.getByTestId('csv-missing').selectOption('error');
    await page.getByTestId('csv-confirm').click();
    await page.getByTestId('csv-error').waitFor();
    expect(await page.getByTestId('csv-error').textContent()).toMatch(/b/);
    await page.getByTestId('csv-missing').selectOption('drop');
    await page.getByTestId('csv-confirm').click();
    await expect.poll(() => page.getByTestId('csv-dialog').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/2 rows, 2 inputs/);
    await page.context().close();
  });

  it('refuses a table over the limit before reading it, naming the limit; the app keeps working', async () => {
    const page = await app.open();
    await newProject(page, `Huge ${Date.now()}`, 'xor');
    await page.getByTestId('csv-import').click();
    // Playwright passes big files by path.
    const huge = join(mkdtempSync(join(tmpdir(), 'ng-huge-')), 'huge.csv');
    writeFileSync(huge, Buffer.alloc(51 * 1024 * 1024, 'x'));
    await page.getByTestId('csv-file').setInputFiles(huge);
    await page.getByTestId('csv-error').waitFor();
    expect(await page.getByTestId('csv-error').textContent()).toMatch(/huge\.csv is 53 MB; the largest table Neurograph imports is 50 MB/);
    await page.getByTestId('csv-cancel').click();
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.context().close();
  });
});
