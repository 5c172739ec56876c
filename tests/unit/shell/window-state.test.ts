/**
 * Remembered window size and position (src-main/shell/window-state.ts): a corrupt file is ignored, and
 * the saved rectangle is fitted onto the displays there are now.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, parseWindowState, restoreWindowState, serializeWindowState, type Rect } from '../../../src-main/shell';

const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('parseWindowState', () => {
  it('round-trips what serializeWindowState writes', () => {
    const state = { bounds: { x: 1500, y: 40, width: 1600, height: 1000 }, maximized: true };
    expect(parseWindowState(serializeWindowState(state))).toEqual(state);
  });

  it('ignores missing, corrupt and foreign files', () => {
    for (const text of [null, '', '{"x": 1', 'null', '[]', '{"x": 0, "y": 0, "width": "wide", "height": 10}', '{"x": 0, "y": 0, "width": -5, "height": 10}', '{"x": 1e400, "y": 0, "width": 5, "height": 5}', '{"theme": "dark"}']) {
      expect([text, parseWindowState(text)]).toEqual([text, null]);
    }
  });
});

describe('restoreWindowState', () => {
  it('keeps bounds that lie on a display', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(restoreWindowState(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('a window left on a monitor that is gone opens centred on the primary display, shrunk to fit it', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1600, height: 1000 }, maximized: true };
    expect(restoreWindowState(saved, [laptop])).toEqual({ bounds: { x: 0, y: 25, width: 1440, height: 875 }, maximized: true });
  });

  it('a window hanging off the edge of a display is moved inside it, and shrunk when bigger than it', () => {
    const saved = { bounds: { x: 1300, y: -50, width: 1000, height: 700 }, maximized: false };
    // Overlaps the laptop by 140×625 and the right monitor by 860×650: it goes to the monitor, flush with its left and top.
    expect(restoreWindowState(saved, [laptop, rightMonitor]).bounds).toEqual({ x: 1440, y: 0, width: 1000, height: 700 });
    const huge = { bounds: { x: 10, y: 30, width: 3000, height: 2000 }, maximized: false };
    expect(restoreWindowState(huge, [laptop]).bounds).toEqual(laptop);
  });

  it('nothing saved: the default size centred on the primary display', () => {
    const big: Rect = { x: 0, y: 0, width: 2000, height: 1200 };
    expect(restoreWindowState(null, [big])).toEqual({ bounds: { x: 300, y: 150, ...DEFAULT_SIZE }, maximized: false });
  });

  it('never smaller than the minimum size unless the display itself is', () => {
    const tiny = { bounds: { x: 100, y: 100, width: 200, height: 100 }, maximized: false };
    expect(restoreWindowState(tiny, [laptop]).bounds).toEqual({ x: 100, y: 100, width: 900, height: 600 });
    const small: Rect = { x: 0, y: 0, width: 800, height: 500 };
    expect(restoreWindowState(tiny, [small]).bounds).toEqual({ x: 0, y: 0, width: 800, height: 500 });
  });
});
