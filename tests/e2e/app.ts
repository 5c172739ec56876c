import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage } from './browser';
import { REPO, startHost, type Host } from './host';

/** Where the end-to-end tests leave their screenshots. */
export const OUT = join(REPO, 'test-results');

export interface App {
  /** The running host's page URL (with its token). */
  readonly url: string;
  /** The web host's process id (its trainer is a child of it). */
  readonly pid: number | undefined;
  /** A fresh browser context on the app (or on `url`, e.g. another window on the same project). */
  open(url?: string): Promise<Page>;
}

/** Starts a web host on a temporary library and Chromium for this test file, both closed after it. */
export function useApp(): App {
  let host: Host;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    host = await startHost();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });
  return {
    get url() {
      return host.url;
    },
    get pid() {
      return host.pid;
    },
    open: (url) => openPage(browser, url ?? host.url),
  };
}

/** Creates a project from a template (by id) in the open page and waits until it is open and trainable. */
export async function newProject(page: Page, name: string, template: string): Promise<void> {
  await page.getByTestId('new-project-name').fill(name);
  await page.getByTestId('new-project-template').selectOption(template);
  await page.getByTestId('create-project').click();
  await page.getByTestId('project-name').filter({ hasText: name }).waitFor();
}

/** The process ids of `pid`'s descendants whose command line contains `match` (Linux /proc), e.g. the trainer. */
export function descendants(pid: number, match: string): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const task of readdirSync(`/proc/${p}/task`)) {
      const text = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
      for (const child of text ? text.split(/\s+/).map(Number) : []) {
        if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(match)) out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** Saves a screenshot into test-results/, and into resources/screenshots/ for the README when NEUROGRAPH_SCREENSHOTS=1. */
export async function shot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot();
  writeFileSync(join(OUT, name), png);
  if (process.env.NEUROGRAPH_SCREENSHOTS === '1') {
    mkdirSync(join(REPO, 'resources/screenshots'), { recursive: true });
    writeFileSync(join(REPO, 'resources/screenshots', name), png);
  }
}
