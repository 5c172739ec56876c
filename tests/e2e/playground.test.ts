/**
 * Issue 9 in the real UI: a first start opens a ready Playground project; the 2-D data controls; the
 * output heatmap, neuron thumbnails and weight-coloured edges on any graph; first-layer weights as
 * pictures; the screen at 1440×900 and 1024×768. Screenshots for the README when NEUROGRAPH_SCREENSHOTS=1.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newProject, shot, useApp } from './app';

const app = useApp();

/** A digest of a canvas's pixels and how many distinct colours it has: the heatmap (layer 0) or the points (layer 1). */
const pixels = (page: Page, testid: string, layer = 0) =>
  page.getByTestId(testid).locator('canvas').nth(layer).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) {
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      sum = (sum * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) % 1_000_000_007;
    }
    return { colours: colours.size, sum };
  });

const epochOf = async (page: Page) => Number((await page.getByTestId('run-epoch').textContent())!.split('/')[0]);

describe('what the network learned, Playground style', () => {
  it('a first start opens a ready Playground project on the circle set, Train enabled, with a welcome strip; a reload reopens it', async () => {
    const page = await app.open();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Playground');
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('welcome-template-xor-221').count()).toBe(1);
    expect(await page.getByTestId('dataset-info').textContent()).toMatch(/^Circle: 500 rows, 2 inputs/);
    for (const id of ['x', 'fc1', 'a1', 'fc2', 'a2', 'out', 'y']) await page.getByTestId(`node-${id}`).waitFor();
    expect(await page.getByTestId('node-width-fc1').textContent()).toMatch(/4/);
    expect(await page.getByTestId('node-width-fc2').textContent()).toMatch(/2/);
    await expect.poll(() => page.getByTestId('train-button').isEnabled()).toBe(true);
    await page.getByTestId('boundary').waitFor();
    await shot(page, 'first-start.png');
    await page.reload();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Playground');
    await page.context().close();
  });

  it('the data panel: seven set thumbnails, noise, train:test ratio, points, regenerate, and features that change the Input', async () => {
    const page = await app.open();
    await newProject(page, `Data ${Date.now()}`, 'playground');
    for (const set of ['circle', 'xor2d', 'gauss', 'spiral', 'blobs', 'reg-plane', 'reg-gauss']) await page.getByTestId(`dataset-thumb-${set}`).waitFor();
    await page.getByTestId('dataset-thumb-xor2d').click();
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/^XOR \(2-D\): 500 rows/);
    const before = await pixels(page, 'boundary', 1);
    // The points' layer over the output keeps the old data panel's scatter testid.
    const scatter = page.getByTestId('boundary').getByTestId('dataset-scatter');
    expect(await scatter.evaluate((c: HTMLCanvasElement) => c === c.parentElement!.querySelectorAll('canvas')[1])).toBe(true);
    expect(before.colours).toBeGreaterThan(2);
    await page.getByTestId('dataset-noise').fill('35');
    await page.getByTestId('dataset-noise').dispatchEvent('change');
    await expect.poll(async () => (await pixels(page, 'boundary', 1)).sum).not.toBe(before.sum);
    await page.getByTestId('dataset-points').selectOption('1000');
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/^XOR \(2-D\): 1000 rows/);
    await page.getByTestId('dataset-ratio').fill('70');
    await page.getByTestId('dataset-ratio').dispatchEvent('change');
    await expect.poll(() => page.getByText('Training data 70%').count()).toBe(1);
    const placed = await pixels(page, 'boundary', 1);
    await page.getByTestId('dataset-regenerate').click();
    await expect.poll(async () => (await pixels(page, 'boundary', 1)).sum).not.toBe(placed.sum);
    // X1² joins the inputs: the Input node takes 3 columns, and the canvas shows it.
    await page.getByTestId('feature-x1sq').click();
    await expect.poll(() => page.getByTestId('node-width-x').textContent()).toMatch(/3/);
    expect(await page.getByTestId('dataset-info').textContent()).toMatch(/3 inputs/);
    await page.getByTestId('feature-x1sq').click();
    await expect.poll(() => page.getByTestId('node-width-x').textContent()).toMatch(/2/);
    await page.context().close();
  });

  it('trains the spiral: the heatmap moves while training, thumbnails per unit (large on hover), coloured edges, test data and discretize switches', async () => {
    const page = await app.open();
    await newProject(page, `Spiral ${Date.now()}`, 'playground');
    await page.getByTestId('dataset-thumb-spiral').click();
    await page.getByTestId('feature-x1sq').click();
    await page.getByTestId('feature-x2sq').click();
    await page.getByTestId('feature-sinx1').click();
    await page.getByTestId('feature-sinx2').click();
    await page.getByTestId('node-units-fc1').fill('8');
    await page.getByTestId('node-units-fc1').dispatchEvent('change');
    await page.getByTestId('node-units-fc2').fill('6');
    await page.getByTestId('node-units-fc2').dispatchEvent('change');
    await page.getByTestId('optimizer-select').selectOption('adam');
    await page.getByTestId('lr-input').fill('0.03');
    await page.getByTestId('epochs-input').fill('1000000');
    const start = await pixels(page, 'boundary');
    await page.getByTestId('train-button').click();
    // Live: the picture changes while the run goes on.
    await expect.poll(() => epochOf(page), { timeout: 60_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await pixels(page, 'boundary')).sum, { timeout: 10_000 }).not.toBe(start.sum);
    const live = await pixels(page, 'boundary');
    await expect.poll(async () => (await pixels(page, 'boundary')).sum, { timeout: 10_000 }).not.toBe(live.sum);
    await expect.poll(() => epochOf(page), { timeout: 60_000 }).toBeGreaterThan(1500);
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    // A thumbnail per unit of each hidden activation; hovering one shows it large.
    for (let u = 0; u < 8; u++) await page.getByTestId(`neuron-thumb-a1-${u}`).waitFor();
    for (let u = 0; u < 6; u++) await page.getByTestId(`neuron-thumb-a2-${u}`).waitFor();
    await page.getByTestId('neuron-thumb-a1-3').hover();
    await page.getByTestId('neuron-large').waitFor();
    // Edges into a Linear are coloured by the sign of their weights and sized by their magnitude.
    const edge = page.locator('.svelte-flow__edge[data-id="a1->fc2"] path.svelte-flow__edge-path');
    const style = (await edge.getAttribute('style')) ?? '';
    expect(style).toMatch(/stroke: rgb\((?!134, 142, 150)/);
    expect(Number(/stroke-width: ([\d.]+)/.exec(style)?.[1])).toBeGreaterThan(1);
    // Clicking the edge shows the weight matrix as a heatmap; clicking a cell shows its value.
    await page.locator('.svelte-flow__edge[data-id="a1->fc2"] path.svelte-flow__edge-interaction').dispatchEvent('click');
    await page.getByTestId('weights-fc2').waitFor();
    // fc2's W is 6×8: click the middle of cell [1][2].
    const grid = page.getByTestId('weight-grid-fc2');
    const box = (await grid.boundingBox())!;
    await grid.click({ position: { x: (2.5 / 8) * box.width, y: (1.5 / 6) * box.height } });
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getByTestId('weight-value').textContent()).toMatch(/^w\[1\]\[2\] = -?\d/);
    // Discretize paints only the two class colours (and the points); test data adds points.
    const smooth = await pixels(page, 'boundary');
    await page.getByTestId('discretize').check();
    await expect.poll(async () => (await pixels(page, 'boundary')).colours).toBeLessThan(smooth.colours);
    await page.getByTestId('discretize').uncheck();
    const dots = () => page.getByTestId('boundary').locator('canvas').nth(1).evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 3 && _ > 0).length);
    const trainOnly = await dots();
    await page.getByTestId('show-test-data').check();
    await expect.poll(dots).toBeGreaterThan(trainOnly);
    await page.getByTestId('welcome-close').click().catch(() => {});
    await shot(page, 'spiral-trained.png');
    await page.context().close();
  });

  it('regression and multi-class sets get their own colour scales', async () => {
    const page = await app.open();
    await newProject(page, `Classes ${Date.now()}`, 'playground');
    await page.getByTestId('dataset-thumb-blobs').click();
    await page.getByTestId('node-units-out').fill('4');
    await page.getByTestId('node-units-out').dispatchEvent('change');
    await page.getByTestId('loss-select').selectOption('cross_entropy');
    await page.getByTestId('node-y').click();
    await page.getByTestId('delete-node').click();
    await expect.poll(() => page.getByTestId('boundary-legend').textContent()).toMatch(/class 0.*class 1.*class 2.*class 3/);
    await page.getByTestId('dataset-thumb-reg-plane').click();
    await expect.poll(() => page.getByTestId('dataset-info').textContent()).toMatch(/regression/);
    await page.getByTestId('node-units-out').fill('1');
    await page.getByTestId('node-units-out').dispatchEvent('change');
    await page.getByTestId('loss-select').selectOption('mse');
    await expect.poll(() => page.getByTestId('boundary-legend').textContent()).toMatch(/predicted value/);
    await page.context().close();
  });

  it('works on a graph with merges (Concat, Add): thumbnails on every node', async () => {
    const page = await app.open();
    await newProject(page, `Merges ${Date.now()}`, 'playground');
    const model = {
      format: 'neurograph-model',
      version: 1,
      nodes: [
        { id: 'x', type: 'Input', size: 2 },
        { id: 'l', type: 'Linear', in: ['x'], units: 3 },
        { id: 'r', type: 'Linear', in: ['x'], units: 3 },
        { id: 'lt', type: 'Tanh', in: ['l'] },
        { id: 'rr', type: 'ReLU', in: ['r'] },
        { id: 'sum', type: 'Add', in: ['lt', 'rr'] },
        { id: 'cat', type: 'Concat', in: ['lt', 'sum'] },
        { id: 'out', type: 'Linear', in: ['cat'], units: 1 },
        { id: 'y', type: 'Tanh', in: ['out'] },
      ],
      outputs: ['y'],
    };
    await page.getByTestId('import-json').setInputFiles({ name: 'merges.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
    await page.getByTestId('node-cat').waitFor();
    for (const [node, units] of [['lt', 3], ['sum', 3], ['cat', 6]] as const) {
      for (let u = 0; u < units; u++) await page.getByTestId(`neuron-thumb-${node}-${u}`).waitFor();
    }
    await page.context().close();
  });

  it('the digits classifier shows its first layer\'s weights as 8×8 pictures', async () => {
    const page = await app.open();
    await newProject(page, `Digits ${Date.now()}`, 'digits');
    await page.getByTestId('epochs-input').fill('3');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 90_000 }).toBe('completed');
    await page.getByTestId('node-fc1').locator('.type').click();
    await page.getByTestId('weight-images-fc1').waitFor();
    expect(await page.getByTestId('weight-images-fc1').locator('canvas').count()).toBe(32);
    await page.context().close();
  });

  it('data, network and output are visible at once at 1440×900, and usable at 1024×768', async () => {
    for (const [width, height] of [[1440, 900], [1024, 768]]) {
      const page = await app.open();
      await page.setViewportSize({ width, height });
      await newProject(page, `Screen ${width} ${Date.now()}`, 'playground');
      const inView = async (testid: string) => {
        const b = (await page.getByTestId(testid).boundingBox())!;
        return b.width > 20 && b.height > 20 && b.x >= 0 && b.y >= 0 && b.x + b.width <= width + 1 && b.y + Math.min(b.height, 120) <= height;
      };
      for (const id of ['dataset-panel', 'canvas', 'boundary', 'loss-chart', 'train-button']) expect(await inView(id), `${id} at ${width}×${height}`).toBe(true);
      // The header keeps one line; no chart title is cut off.
      expect((await page.locator('header').boundingBox())!.height).toBeLessThan(64);
      const clipped = await page.locator('.charts h2').evaluateAll((hs) => hs.filter((h) => h.scrollWidth > h.clientWidth + 1).map((h) => h.textContent));
      expect(clipped).toEqual([]);
      await page.context().close();
    }
  });
});
