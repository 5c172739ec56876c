/**
 * Issue 10 ("Feel") in the real UI: English and Russian text switched by `language` and kept over a
 * reload; light and dark themes that follow the system until `theme` overrides them (also kept); and a
 * tooltip on every control of the main screen, the backprop walkthrough and the compare view.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, useApp } from './app';

const app = useApp();

/** Creates a project from a template and waits until it is open (the name may be ellipsized in a narrow bar). */
async function openTemplate(page: Page, name: string, template: string): Promise<void> {
  await page.getByTestId('new-project-name').fill(name);
  await page.getByTestId('new-project-template').selectOption(template);
  await page.getByTestId('create-project').click();
  await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(name);
  await page.getByTestId('node-fc1').waitFor();
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
const heading = async (page: Page, testId: string) => ((await page.getByTestId(testId).locator('h2').first().textContent()) ?? '').trim();
const CYRILLIC = /[а-яё]/i;

/** The panels whose headings must change language, and the main buttons. */
const PANELS = ['dataset-panel', 'palette', 'training-panel', 'inspector', 'model-panel', 'health-flags'];
const BUTTONS = ['train-button', 'stop-button', 'pause-button', 'auto-layout', 'fit-view', 'model-summary-open', 'explain-toggle', 'csv-import', 'save-project', 'create-project', 'compare-open'];

/** Luminance (0 black … 1 white) of a computed CSS colour "rgb(r, g, b)". */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const background = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

/**
 * Every visible button, input, select, textarea and summary that has neither a title nor a text
 * label around it, named by its testid (or its text).
 */
async function untitledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('button, input, select, textarea, summary, [role="button"], [role="option"]')) {
      if (!visible(el)) continue;
      const title = el.getAttribute('title')?.trim();
      const label = el.closest('label')?.textContent?.trim();
      if (title || label) continue;
      out.push(el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
    }
    return out;
  });
}

describe('the feel of the app: languages, themes, tooltips', () => {
  it('switches between English and Russian, and the choice survives a reload', async () => {
    const page = await app.open();
    await openTemplate(page, `Feel language ${Date.now()}`, 'xor');
    expect(await text(page, 'train-button')).toBe('Train');
    const english = Object.fromEntries(await Promise.all(PANELS.map(async (id) => [id, await heading(page, id)] as const)));
    expect(english['training-panel']).toBe('Training');

    await page.getByTestId('language').selectOption({ label: 'Русский' });
    await expect.poll(() => text(page, 'train-button')).toBe('Обучить');
    expect(await heading(page, 'training-panel')).toBe('Обучение');
    expect(await heading(page, 'palette')).toBe('Палитра');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    // No main heading or main button is left in English.
    const headings = await Promise.all(PANELS.map(async (id) => [id, await heading(page, id)] as const));
    const untranslatedHeadings = headings.filter(([id, h]) => h === english[id] || !CYRILLIC.test(h)).map(([id, h]) => `${id}: "${h}"`);
    expect(untranslatedHeadings, `headings still in English: ${untranslatedHeadings.join('; ')}`).toEqual([]);
    const buttons = await Promise.all(BUTTONS.map(async (id) => [id, await text(page, id)] as const));
    const untranslatedButtons = buttons.filter(([, b]) => !CYRILLIC.test(b)).map(([id, b]) => `${id}: "${b}"`);
    expect(untranslatedButtons, `buttons still in English: ${untranslatedButtons.join('; ')}`).toEqual([]);
    expect(await page.getByTestId('train-button').getAttribute('title')).toMatch(CYRILLIC);
    expect(await text(page, 'run-status')).toMatch(CYRILLIC);
    writeFileSync(join(OUT, 'feel-russian.png'), await page.screenshot());

    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Подключено' }).waitFor();
    await expect.poll(() => text(page, 'train-button')).toBe('Обучить');
    expect(await page.getByTestId('language').inputValue()).toBe('ru');

    await page.getByTestId('language').selectOption({ label: 'English' });
    await expect.poll(() => text(page, 'train-button')).toBe('Train');
    expect(await heading(page, 'training-panel')).toBe('Training');
    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
    await expect.poll(() => text(page, 'train-button')).toBe('Train');
  });

  it('follows the system theme by default; the theme select overrides it and survives a reload', async () => {
    const page = await app.open();
    await page.emulateMedia({ colorScheme: 'light' });
    await openTemplate(page, `Feel theme ${Date.now()}`, 'xor');
    expect(await page.getByTestId('theme').inputValue()).toBe('system');
    await expect.poll(() => themeOf(page)).toBe('light');
    const lightPage = await background(page, 'html');
    const lightPanel = await background(page, '[data-testid="training-panel"]');
    expect(luminance(lightPanel)).toBeGreaterThan(0.8);

    // The system turns dark: the app follows without a reload, panels and the canvas included.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => themeOf(page)).toBe('dark');
    const darkPage = await background(page, 'html');
    const darkPanel = await background(page, '[data-testid="training-panel"]');
    expect(darkPage).not.toBe(lightPage);
    expect(luminance(darkPanel)).toBeLessThan(0.2);
    expect(luminance(await page.getByTestId('training-panel').evaluate((el) => getComputedStyle(el).color))).toBeGreaterThan(0.6);
    expect(luminance(await background(page, '[data-testid="node-fc1"]'))).toBeLessThan(0.2);
    expect(await page.locator('.svelte-flow.dark').count()).toBe(1);
    writeFileSync(join(OUT, 'feel-dark.png'), await page.screenshot());

    // An explicit choice beats the system's, and is kept.
    await page.getByTestId('theme').selectOption('light');
    await expect.poll(() => themeOf(page)).toBe('light');
    expect(await background(page, '[data-testid="training-panel"]')).toBe(lightPanel);
    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
    expect(await themeOf(page)).toBe('light');
    expect(await page.getByTestId('theme').inputValue()).toBe('light');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme').selectOption('dark');
    await expect.poll(() => themeOf(page)).toBe('dark');
    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
    expect(await themeOf(page)).toBe('dark');
    expect(await background(page, '[data-testid="training-panel"]')).toBe(darkPanel);

    // Back to "system": the (light) system wins again.
    await page.getByTestId('theme').selectOption('system');
    await expect.poll(() => themeOf(page)).toBe('light');
  });

  it('gives every visible control a tooltip: main screen, backprop walkthrough, compare view', async () => {
    const page = await app.open();
    await openTemplate(page, `Feel tooltips ${Date.now()}`, 'xor');
    // A selected node fills the inspector with its fields.
    await page.getByTestId('node-fc1').locator('.type').click();
    await page.getByTestId('attr-units').waitFor();
    const main = await untitledControls(page);
    expect(main, `controls without a tooltip on the main screen: ${main.join(', ')}`).toEqual([]);

    await page.getByTestId('explain-toggle').click();
    await page.getByTestId('explain-panel').waitFor();
    await page.getByTestId('explain-sample').waitFor();
    const explain = await untitledControls(page);
    expect(explain, `controls without a tooltip in the walkthrough: ${explain.join(', ')}`).toEqual([]);
    await page.getByTestId('explain-toggle').click();

    await page.getByTestId('compare-open').click();
    await page.getByTestId('compare-view').waitFor();
    await page.getByTestId('compare-pick-adam').check();
    await page.getByTestId('compare-view').locator('.opt', { has: page.getByTestId('compare-pick-adam') }).locator('button').click();
    await page.getByTestId('compare-hyper-adam-lr').waitFor();
    const compare = await untitledControls(page);
    expect(compare, `controls without a tooltip in the compare view: ${compare.join(', ')}`).toEqual([]);

    // In Russian the tooltips are Russian too.
    await page.getByTestId('language').selectOption('ru');
    await expect.poll(() => page.getByTestId('compare-start').getAttribute('title')).toMatch(CYRILLIC);
    expect(await page.getByTestId('compare-close').getAttribute('title')).toMatch(CYRILLIC);
  });
});
