import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { PAGE_CSP } from './src-main/shared/csp';

/** Writes the renderer's one Content-Security-Policy (src-main/shared/csp.ts) into index.html's <meta>. */
const csp = (): Plugin => ({ name: 'neurograph-csp', transformIndexHtml: (html) => html.replace('%NEUROGRAPH_CSP%', PAGE_CSP) });

// Main process bundle also carries the trainer process entry (forked by utilityProcess in the app).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          trainer: resolve(__dirname, 'src-main/trainer/entry.ts'),
          worker: resolve(__dirname, 'src-main/trainer/worker.ts'),
          // DatasetService parses CSV imports in this worker thread (new URL('./csvImportWorker.js', import.meta.url)).
          csvImportWorker: resolve(__dirname, 'src-main/services/csvImportWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte(), csp()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
