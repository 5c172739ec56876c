import { describe, expect, it } from 'vitest';
import { EditHistory, type Snapshot } from '../../../../src-renderer/src/state/history.svelte';

/** A project whose content is four parts (graph, layout, training, data); restore writes them back. */
function project() {
  const content = { parts: ['g0', 'l0', 't0', 'd0'] };
  const snap = (): Snapshot => {
    const parts = [...content.parts];
    return { key: parts.join('|'), parts, restore: () => (content.parts = [...parts]) };
  };
  return { content, snap, edit: (i: number, v: string) => (content.parts[i] = v) };
}

describe('EditHistory', () => {
  it('undoes back to the opened state and redoes forward', () => {
    const p = project();
    const h = new EditHistory(200, 600);
    h.reset(p.snap());
    p.edit(0, 'g1');
    h.observe(p.snap(), 1000);
    p.edit(0, 'g2');
    h.observe(p.snap(), 5000);
    expect(h.undo()).toBe(true);
    expect(p.content.parts[0]).toBe('g1');
    expect(h.undo()).toBe(true);
    expect(p.content.parts).toEqual(['g0', 'l0', 't0', 'd0']);
    expect(h.undo()).toBe(false);
    expect(h.redo()).toBe(true);
    expect(h.redo()).toBe(true);
    expect(p.content.parts[0]).toBe('g2');
    expect(h.canRedo).toBe(false);
  });

  it('merges quick edits of the same part (a drag, typing a number), not quick edits of different parts', () => {
    const p = project();
    const h = new EditHistory(200, 600);
    h.reset(p.snap());
    // Dragging: three layout changes 100 ms apart are one step.
    for (const [i, t] of [[1, 0], [2, 100], [3, 200]] as const) {
      p.edit(1, `l${i}`);
      h.observe(p.snap(), 1000 + t);
    }
    // A setting typed right after: its own step, though within 600 ms.
    p.edit(2, 't1');
    h.observe(p.snap(), 1300);
    h.undo();
    expect(p.content.parts).toEqual(['g0', 'l3', 't0', 'd0']);
    h.undo();
    expect(p.content.parts).toEqual(['g0', 'l0', 't0', 'd0']);
  });

  it('a restore is not an edit, and a new edit clears what could be redone', () => {
    const p = project();
    const h = new EditHistory(200, 0);
    h.reset(p.snap());
    p.edit(0, 'g1');
    h.observe(p.snap(), 10);
    h.undo();
    h.observe(p.snap(), 20);
    expect(h.canRedo).toBe(true);
    p.edit(2, 't9');
    h.observe(p.snap(), 30);
    expect(h.canRedo).toBe(false);
    h.undo();
    expect(p.content.parts).toEqual(['g0', 'l0', 't0', 'd0']);
  });
});

describe('EditHistory.group', () => {
  it('makes the edits of a window one step (an import changes graph, settings and data in turns)', () => {
    const p = project();
    const h = new EditHistory(200, 600);
    h.reset(p.snap());
    p.edit(1, 'l1');
    h.observe(p.snap(), 100);
    h.group(1500, 5000);
    p.edit(0, 'g-imported');
    p.edit(2, 't-imported');
    h.observe(p.snap(), 5010);
    p.edit(3, 'd-imported');
    h.observe(p.snap(), 5400);
    // After the window, edits are steps of their own again.
    p.edit(2, 't-later');
    h.observe(p.snap(), 9000);
    h.undo();
    expect(p.content.parts).toEqual(['g-imported', 'l1', 't-imported', 'd-imported']);
    h.undo();
    expect(p.content.parts).toEqual(['g0', 'l1', 't0', 'd0']);
    h.undo();
    expect(p.content.parts).toEqual(['g0', 'l0', 't0', 'd0']);
  });
});
