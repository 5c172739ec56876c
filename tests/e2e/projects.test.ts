/**
 * Issue 10, projects and models, in the real UI: rename, duplicate, delete (asked first); the runs
 * list, each run reopened with its charts, weights and explain; every template ready to train; a model
 * file imported with its weights (explain uses them) and the data it needs named; PyTorch and ONNX
 * exports that run (checked with onnxruntime); the stuck-run hint on XOR's 0.347.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newProject, OUT, useApp } from './app';

const app = useApp();

const status = (page: Page) => page.getByTestId('run-status').getAttribute('data-status');
async function trainToEnd(page: Page): Promise<void> {
  await page.getByTestId('train-button').click();
  await expect.poll(() => status(page), { timeout: 5_000 }).not.toBe('idle');
  await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/completed|stopped|failed/);
}
const projectNames = (page: Page) => page.getByTestId('project-list').locator('option').evaluateAll((os) => os.map((o) => o.textContent));

describe('projects and models', () => {
  it('renames, duplicates and deletes a project, deleting only after the confirmation', async () => {
    const page = await app.open();
    const name = `Mine ${Date.now()}`;
    await newProject(page, name, 'xor');
    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-rename').click();
    await page.getByTestId('project-rename-input').fill(`${name} renamed`);
    await page.getByTestId('project-rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(`${name} renamed`);
    expect(await projectNames(page)).toContain(`${name} renamed`);

    await page.getByTestId('epochs-input').fill('222');
    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-duplicate').click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(`${name} renamed (copy)`);
    // The copy has the edit made just before (saved first).
    expect(await page.getByTestId('epochs-input').inputValue()).toBe('222');

    // Delete asks; Cancel keeps it, Delete removes it and opens another project.
    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-delete').click();
    await page.getByTestId('confirm-delete').waitFor();
    await page.getByTestId('confirm-cancel').click();
    expect(await projectNames(page)).toContain(`${name} renamed (copy)`);
    await page.getByTestId('project-menu').click();
    await page.getByTestId('project-delete').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => projectNames(page)).not.toContain(`${name} renamed (copy)`);
    expect(await projectNames(page)).toContain(`${name} renamed`);
    await page.reload();
    expect(await projectNames(page)).not.toContain(`${name} renamed (copy)`);
    await page.context().close();
  });

  it('lists the runs with their settings and results; an older one reopens with its charts, weights and explain', async () => {
    const page = await app.open();
    await newProject(page, `Runs ${Date.now()}`, 'xor-221');
    await page.getByTestId('epochs-input').fill('60');
    await trainToEnd(page);
    const firstLoss = await page.getByTestId('run-status').textContent();
    await page.getByTestId('lr-input').fill('0.02');
    await page.getByTestId('epochs-input').fill('40');
    await trainToEnd(page);

    await page.getByTestId('project-menu').click();
    await page.getByTestId('runs-open').click();
    await page.getByTestId('runs-list').waitFor();
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Newest first: lr 0.02 for 40 epochs, then lr 0.1 for 60.
    expect(await rows.nth(0).textContent()).toMatch(/adam\s*0\.02\s*full\s*40\/40\s*completed/);
    expect(await rows.nth(1).textContent()).toMatch(/adam\s*0\.1\s*full\s*60\/60\s*completed/);
    await rows.nth(1).getByTestId('run-open').click();
    await expect.poll(() => page.getByTestId('loss-points').textContent()).toMatch(/^60 epochs/);
    expect(await page.getByTestId('run-status').textContent()).toBe(firstLoss);
    // Its weights are on the canvas (the inspector's matrix) and explain uses its model.
    await page.getByTestId('node-h').locator('.type').click();
    await page.getByTestId('weight-grid-h').waitFor();
    await page.getByTestId('explain-toggle').click();
    await page.getByTestId('explain-loss').waitFor();
    expect(await page.getByTestId('explain-untrained').count()).toBe(0);
    await page.context().close();
  });

  it('every template is ready to train; the lecture XOR 2-2-1 solves it, the single neuron cannot', async () => {
    const page = await app.open();
    const templates = await page.getByTestId('new-project-template').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const id of ['xor-221', 'single-neuron', 'playground', 'pima', 'digits', 'vanishing', 'linear-collapse', 'dropout-bn']) expect(templates).toContain(id);
    for (const id of templates.filter((t) => t !== 'blank')) {
      await newProject(page, `T ${id} ${Date.now()}`, id);
      await expect.poll(() => page.getByTestId('train-button').isEnabled(), { message: `template ${id} should be ready to train` }).toBe(true);
      expect(await page.getByTestId('train-blocker').count(), `template ${id}`).toBe(0);
    }
    await newProject(page, `Pima ${Date.now()}`, 'pima');
    expect(await page.getByTestId('dataset-info').textContent()).toMatch(/Pima.*768 rows, 8 inputs/);
    const widths = await Promise.all(['fc1', 'fc2', 'out'].map((id) => page.getByTestId(`node-width-${id}`).textContent()));
    expect(widths.map((w) => Number(w!.match(/\d+/)![0]))).toEqual([12, 8, 1]);

    await newProject(page, `Lecture XOR ${Date.now()}`, 'xor-221');
    await trainToEnd(page);
    expect(await page.getByTestId('run-status').textContent()).toMatch(/XOR solved/);
    await newProject(page, `Neuron ${Date.now()}`, 'single-neuron');
    await trainToEnd(page);
    expect(await page.getByTestId('run-status').textContent()).not.toMatch(/solved/);
    // The hint names the cause: no hidden nonlinearity, so no seed helps.
    await page.getByTestId('stuck-hint').waitFor();
    expect(await page.getByTestId('stuck-hint').getAttribute('data-cause')).toBe('capacity');
    await page.context().close();
  });

  it('a stuck XOR run (seed 3 parks at loss 0.347) gets the hint; another seed solves it', async () => {
    const page = await app.open();
    await newProject(page, `Stuck ${Date.now()}`, 'xor-221');
    await page.getByTestId('seed-input').fill('3');
    await trainToEnd(page);
    await page.getByTestId('stuck-hint').waitFor();
    expect(await page.getByTestId('stuck-hint').textContent()).toMatch(/stuck at 0\.347/);
    expect(await page.getByTestId('stuck-hint').getAttribute('data-cause')).toBe('start');
    await page.getByTestId('hint-seed').click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('run-status').textContent()).toMatch(/XOR solved/);
    expect(await page.getByTestId('seed-input').inputValue()).toBe('4');
    expect(await page.getByTestId('stuck-hint').count()).toBe(0);
    await page.context().close();
  });

  it('imports a model JSON with its weights (explain uses them) and says which data it needs; exports PyTorch and ONNX that run', async () => {
    const page = await app.open();
    await newProject(page, `Source ${Date.now()}`, 'xor-221');
    await trainToEnd(page);
    const save = async (testid: string, file: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      await download.saveAs(join(OUT, file));
      return join(OUT, file);
    };
    const json = await save('export-json', 'projects-xor.json');
    const py = readFileSync(await save('export-pytorch', 'projects-xor.py'), 'utf8');
    expect(py).toMatch(/import torch/);
    const onnxFile = await save('export-onnx', 'projects-xor.onnx');

    // The ONNX file runs in onnxruntime and gives the trained model's XOR answers.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(readFileSync(onnxFile));
    const input = new ort.Tensor('float32', Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]), [4, 2]);
    const out = await session.run({ [session.inputNames[0]]: input });
    expect(Array.from(out[session.outputNames[0]].data as Float32Array).map(Math.round)).toEqual([0, 1, 1, 0]);

    // Into a blank project on other data: the weights are kept, and the note names the data it needs.
    await newProject(page, `Target ${Date.now()}`, 'pima');
    await page.getByTestId('import-json').setInputFiles(json);
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Imported projects-xor\.json\. Its trained weights are the project's model/);
    expect(await page.getByTestId('notice').textContent()).toMatch(/trains on the built-in 'xor' data/);
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/^XOR|xor/i);
    await page.getByTestId('explain-toggle').click();
    await page.getByTestId('explain-loss').waitFor();
    expect(await page.getByTestId('explain-untrained').count()).toBe(0);
    const model = JSON.parse(readFileSync(json, 'utf8'));
    const shown = Number((await page.getByTestId('explain-a-y-0').textContent())!.trim());
    const row0 = Number((await page.getByTestId('explain-sample').textContent())!.match(/x = \[([^\]]*)\]/)![1].split(',')[0]);
    expect(Number.isFinite(shown)).toBe(true);
    expect(row0).toBe(0);
    expect(Math.round(shown)).toBe(0);
    expect(model.params.h.weight).toHaveLength(2);
    await page.context().close();
  });
});
