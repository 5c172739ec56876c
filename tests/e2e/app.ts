import { mkdirSync } from 'node:fs';
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
    open: (url) => openPage(browser, url ?? host.url),
  };
}
