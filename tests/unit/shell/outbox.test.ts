/** Commands raised before the page listens wait, in order (src-main/shell/outbox.ts). */
import { describe, expect, it } from 'vitest';
import { CommandOutbox, OUTBOX_LIMIT, type AppCommandMessage } from '../../../src-main/shell';

const open = (path: string): AppCommandMessage => ({ type: 'app.command', command: 'open-file', arg: path, kind: 'model', content: '{}' });

describe('CommandOutbox', () => {
  it('holds commands until the page listens, then delivers them in order; afterwards at once', () => {
    const delivered: AppCommandMessage[] = [];
    const outbox = new CommandOutbox((m) => delivered.push(m));
    outbox.send(open('/a.json'));
    outbox.send({ type: 'app.command', command: 'save' });
    expect(delivered).toEqual([]);
    outbox.ready();
    expect(delivered.map((m) => m.command)).toEqual(['open-file', 'save']);
    outbox.send({ type: 'app.command', command: 'fit-view' });
    expect(delivered).toHaveLength(3);
  });

  it('holds again after the page goes away, and keeps only the newest when too many wait', () => {
    const delivered: AppCommandMessage[] = [];
    const outbox = new CommandOutbox((m) => delivered.push(m));
    outbox.ready();
    outbox.reset();
    for (let i = 0; i < OUTBOX_LIMIT + 3; i++) outbox.send(open(`/f${i}.json`));
    expect(delivered).toEqual([]);
    outbox.ready();
    expect(delivered).toHaveLength(OUTBOX_LIMIT);
    expect(delivered[0]).toEqual(open('/f3.json'));
  });
});
