/**
 * The desktop shell's commands as the renderer carries them out (the menu and opened files of
 * src-main/shell/commands.ts): the page is given a stand-in `window.neurograph.onCommand` — the one
 * thing the preload adds besides the api — and receives the messages Electron's main process sends.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppCommandMessage } from '../../src-main/api';
import { newProject, useApp } from './app';

const app = useApp();

/** A page whose shell bridge is ours: send(m) delivers m as main's 'app:command' would. */
async function withShell(): Promise<{ page: Page; send: (m: AppCommandMessage) => Promise<void> }> {
  const page = await app.open();
  await page.addInitScript(() => {
    const w = window as unknown as { neurograph?: object; __shell: { listener: ((m: unknown) => void) | null; ready: boolean } };
    w.__shell = { listener: null, ready: false };
    w.neurograph = {
      onCommand(listener: (m: unknown) => void) {
        w.__shell.listener = listener;
        w.__shell.ready = true;
        return () => (w.__shell.listener = null);
      },
    };
  });
  await page.reload();
  await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
  await page.waitForFunction(() => (window as unknown as { __shell: { ready: boolean } }).__shell.ready);
  const send = (m: AppCommandMessage) => page.evaluate((msg) => (window as unknown as { __shell: { listener: (m: unknown) => void } }).__shell.listener(msg), m);
  return { page, send };
}

describe('menu commands and opened files', () => {
  it('opens a model file and a CSV table sent by the shell, and carries out the View and Help items', async () => {
    const { page, send } = await withShell();
    await newProject(page, `Shell ${Date.now()}`, 'xor');

    const model = {
      format: 'neurograph-model', version: 1,
      nodes: [{ id: 'in', type: 'Input', size: 2 }, { id: 'lin', type: 'Linear', in: ['in'], units: 1 }, { id: 'sig', type: 'Sigmoid', in: ['lin'] }],
      outputs: ['sig'],
      params: { lin: { weight: [[1, -1]], bias: [0.5] } },
    };
    await send({ type: 'app.command', command: 'open-file', arg: '/home/ada/models/tiny.json', kind: 'model', content: JSON.stringify(model) });
    await page.getByTestId('node-lin').waitFor();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/^Imported tiny\.json\. Its trained weights are the project's model/);

    await send({ type: 'app.command', command: 'open-file', arg: 'C:\\data\\pairs.csv', kind: 'csv', content: 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n' });
    await page.getByTestId('csv-preview').waitFor();
    expect(await page.getByTestId('csv-detected').textContent()).toMatch(/^pairs\.csv: 3 rows × 3 columns/);
    await page.getByTestId('csv-cancel').click();

    await send({ type: 'app.command', command: 'set-theme', arg: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await send({ type: 'app.command', command: 'set-language', arg: 'ru' });
    await expect.poll(() => page.getByTestId('train-button').textContent()).toMatch(/Обучить/);
    await send({ type: 'app.command', command: 'set-language', arg: 'en' });
    await expect.poll(() => page.getByTestId('train-button').textContent()).toMatch(/Train/);

    await send({ type: 'app.command', command: 'show-course-notes' });
    await page.getByTestId('course-notes-search').fill('leaky');
    expect(await page.getByTestId('course-notes').textContent()).toMatch(/Leaky ReLU/);
    expect(await page.getByTestId('course-notes').textContent()).not.toMatch(/Sigmoid/);
    await page.getByTestId('course-notes-close').click();
    await send({ type: 'app.command', command: 'show-about' });
    await expect.poll(() => page.getByTestId('about-library').textContent()).toMatch(/library\.sqlite/);
    await page.getByTestId('about-close').click();
    await send({ type: 'app.command', command: 'show-shortcuts' });
    await page.getByTestId('shortcuts-help').waitFor();
    await page.getByTestId('shortcuts-close').click();

    // Edit › Undo takes the import back (the graph before it), Redo brings it again.
    await send({ type: 'app.command', command: 'undo' });
    await expect.poll(() => page.getByTestId('node-lin').count()).toBe(0);
    await send({ type: 'app.command', command: 'redo' });
    await page.getByTestId('node-lin').waitFor();
    await page.context().close();
  });
});
