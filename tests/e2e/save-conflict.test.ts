/**
 * Two windows on one project (FAULTS.md 24): the second save from a stale revision is refused and the
 * user is told, and the first window's change survives a reload.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from './app';

const app = useApp();

describe('saving from two windows', () => {
  it('refuses the stale save with a conflict message and keeps the first save', async () => {
    const a = await app.open();
    const name = `Shared ${Date.now()}`;
    await a.getByTestId('new-project-name').fill(name);
    await a.getByTestId('new-project-template').selectOption('xor');
    await a.getByTestId('create-project').click();
    await expect.poll(() => a.getByTestId('project-name').textContent()).toBe(name);

    const b = await app.open(a.url());
    await expect.poll(() => b.getByTestId('project-name').textContent()).toBe(name);

    await a.getByTestId('epochs-input').fill('123');
    await a.getByTestId('save-project').click();
    await expect.poll(() => a.getByTestId('notice').textContent()).toMatch(/Saved/);

    await b.getByTestId('epochs-input').fill('456');
    await b.getByTestId('save-project').click();
    await expect.poll(() => b.getByTestId('notice').textContent()).toMatch(/Not saved: this project was changed elsewhere/);
    expect(await b.getByTestId('unsaved').count()).toBe(1);

    await b.reload();
    await expect.poll(() => b.getByTestId('project-name').textContent()).toBe(name);
    await expect.poll(() => b.getByTestId('epochs-input').inputValue()).toBe('123');
    await a.context().close();
    await b.context().close();
  });
});
