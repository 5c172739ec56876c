/**
 * Undo and redo for every edit of the project: the graph (nodes, edges, attributes, positions) and the
 * training block. An edit is whatever changes the project's content; edits within `mergeMs` of each
 * other (typing a number, dragging a node) make one step. Restoring a step is not itself an edit.
 */
export interface Snapshot {
  /** The project's content as JSON (graph, layout, training): what equality means here. */
  key: string;
  /** The content's parts (graph, layout, training, data…) as JSON: only edits of the same parts merge. */
  parts?: readonly string[];
  restore(): void;
}

/** Which parts differ between two snapshots ('' when unknown): "0,2" for graph and training. */
function changed(a: Snapshot, b: Snapshot): string {
  if (!a.parts || !b.parts) return '';
  return a.parts.flatMap((p, i) => (p === b.parts![i] ? [] : [i])).join(',');
}

export class EditHistory {
  private undos: Snapshot[] = [];
  private redos: Snapshot[] = [];
  private current: Snapshot | null = null;
  private lastAt = 0;
  /** The parts the last edit changed: a drag goes on moving nodes, typing goes on changing one setting. */
  private lastChange = '';
  /** While set: one step for every edit until this time (an import changes graph, settings and data in turns). */
  private groupUntil = 0;
  private grouping = false;
  private restoring = false;
  /** Bumped on every change of the stacks, for the UI's enabled states. */
  revision = $state(0);

  constructor(
    private readonly limit = 200,
    private readonly mergeMs = 600,
  ) {}

  get canUndo(): boolean {
    void this.revision;
    return this.undos.length > 0;
  }

  get canRedo(): boolean {
    void this.revision;
    return this.redos.length > 0;
  }

  /** Starts over from `state` (a project was opened): nothing to undo. */
  reset(state: Snapshot): void {
    this.undos = [];
    this.redos = [];
    this.current = state;
    this.revision++;
  }

  /** The project's content now; a change from the last one is an edit (or continues the last edit). */
  observe(state: Snapshot, now = Date.now()): void {
    if (this.restoring || !this.current || state.key === this.current.key) {
      if (!this.current) this.current = state;
      return;
    }
    const change = changed(this.current, state);
    const grouped = this.grouping && now <= this.groupUntil;
    if (!grouped) this.grouping = false;
    const merging = this.undos.length > 0 && (grouped ? this.groupStarted : now - this.lastAt < this.mergeMs && change === this.lastChange);
    if (grouped) this.groupStarted = true;
    if (!merging) {
      this.undos.push(this.current);
      if (this.undos.length > this.limit) this.undos.shift();
    }
    this.redos = [];
    this.current = state;
    this.lastAt = now;
    this.lastChange = change;
    this.revision++;
  }

  private groupStarted = false;

  /** The edits of the next `ms` milliseconds are one step (undone together), whatever parts they change. */
  group(ms = 1500, now = Date.now()): void {
    this.grouping = true;
    this.groupStarted = false;
    this.groupUntil = now + ms;
  }

  undo(): boolean {
    return this.move(this.undos, this.redos);
  }

  redo(): boolean {
    return this.move(this.redos, this.undos);
  }

  private move(from: Snapshot[], to: Snapshot[]): boolean {
    const target = from.pop();
    if (!target || !this.current) return false;
    to.push(this.current);
    this.restoring = true;
    try {
      target.restore();
    } finally {
      this.restoring = false;
    }
    this.current = target;
    this.lastAt = 0;
    this.lastChange = '';
    this.grouping = false;
    this.revision++;
    return true;
  }
}
