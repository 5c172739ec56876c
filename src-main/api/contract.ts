/**
 * The one list of requests, replies and events between the UI and the services. The Electron
 * preload/IPC and the web host both serve exactly this; the renderer imports its types only.
 * Every request's input is validated with the zod schema here before a handler sees it.
 */
import { z } from 'zod';
import { trainingBlockSchema, type ErrorCode, type GraphSpec, type ModelJson, type TrainingBlock } from '../../src-engine';

// ---------- shared shapes ----------

const id = z.string().min(1).max(200).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only');

/** Canvas layout: node positions by node id. The engine ignores it. */
export const layoutSchema = z.record(id, z.object({ x: z.number().finite(), y: z.number().finite() }));

/** A node of the GraphSpec; attributes are validated by the engine, here only the frame. */
export const nodeSchema = z.looseObject({ id, type: z.string().min(1).max(64), in: z.array(id).max(64).optional() });
export const graphSchema = z.object({ nodes: z.array(nodeSchema).max(500), outputs: z.array(id).max(16) });

/** Which data a project trains on. */
export const datasetRefSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('builtin'),
    /** xor (4-row truth table), and/or, playground sets: circle, xor2d, gauss, spiral, reg-plane, reg-gauss;
     * sample tables: iris, wine, breast_cancer, digits, diabetes_progression, pima (generated) */
    name: z.string().min(1).max(64),
    noise: z.number().min(0).max(0.5).optional(),
    points: z.number().int().min(4).max(100000).optional(),
    seed: z.number().int().optional(),
    /** Playground feature toggles: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2. */
    features: z.array(z.string().max(16)).max(16).optional(),
  }),
  z.object({ kind: z.literal('table'), datasetId: id, target: z.array(z.string().max(200)).max(64).optional() }),
]);

/** The training block: the engine's one schema (src-engine/train/block.ts). */
export const trainingSchema = trainingBlockSchema;

export type Layout = z.infer<typeof layoutSchema>;
export type DatasetRef = z.infer<typeof datasetRefSchema>;

/** What a project is made of, beyond its name and revision: one shape for projects, templates and saves. */
export const projectContentSchema = z.object({ graph: graphSchema, layout: layoutSchema, dataset: datasetRefSchema, training: trainingSchema });
export interface ProjectContent {
  graph: GraphSpec;
  layout: Layout;
  dataset: DatasetRef;
  training: TrainingBlock;
}

export interface ProjectSummary {
  id: string;
  name: string;
  updatedAt: string;
  revision: number;
}

/** What importing a model did: its weights kept (as the project's model) and the data it needs. */
export interface ModelImport {
  project: Project;
  /** True when the file had weights: explain and predict use them until the next training run is adopted. */
  weights: boolean;
  /** The data the model was trained on, as the file names it ("Pima Indians Diabetes (8 inputs → 1)"), or null. */
  needs: string | null;
  /** True when the project now has data of the model's input width (the named data set, or the one it had). */
  dataFits: boolean;
  /** One sentence for the user: what was kept and what data to pick. */
  note: string;
}

/** One saved revision of a project: every save (autosave included) keeps one, to go back to. */
export interface RevisionSummary {
  revision: number;
  savedAt: string;
  name: string;
  nodes: number;
  edges: number;
  optimizer: string;
}

export interface Project extends ProjectSummary, ProjectContent {
  createdAt: string;
  /** The run whose weights the project uses ("use these weights"); null: the newest run of the current graph. */
  modelRunId: string | null;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed';

export type { MetricPoint, HealthFlag } from '../../src-engine';
import type { MetricPoint, HealthFlag, Scaling } from '../../src-engine';

export interface RunSummary {
  id: string;
  projectId: string;
  status: RunStatus;
  reason: string | null;
  optimizer: string;
  startedAt: string;
  finishedAt: string | null;
  epochs: number;
  finalLoss: number | null;
  finalAccuracy: number | null;
  /** The compare this run belongs to, or null for a single run. */
  groupId: string | null;
  /** The run's settings as it trained (the project's block with its overrides). */
  training: TrainingBlock;
}

/** One compare: runs of one network, data and initial weights, one optimizer each. */
export interface CompareGroup {
  id: string;
  projectId: string;
  createdAt: string;
  /** What was compared: the base training block and each run's optimizer block. */
  settings: { training: TrainingBlock; optimizers: { name: string; [hyper: string]: unknown }[]; threads: number };
  runs: RunSummary[];
}

export interface Run extends RunSummary {
  training: TrainingBlock;
  graph: GraphSpec;
  history: MetricPoint[];
  flags: HealthFlag[];
  /** Trained model (params and state filled) once the run has finished or checkpointed. */
  model: ModelJson | null;
}

export interface DatasetSummary {
  id: string;
  name: string;
  kind: 'builtin' | 'table';
  task: 'classification' | 'regression';
  rows: number;
  inputs: number;
  outputs: number;
  description: string;
}

/** A dataset made concrete: what the trainer and the data panel see. */
export interface DatasetView {
  name: string;
  task: 'classification' | 'regression';
  inputNames: string[];
  outputNames: string[];
  x: number[][];
  y: number[][];
  /** For 2-D sets: the raw point coordinates (before feature maps), for plotting. */
  points?: number[][];
  /** How x was scaled from the table's raw columns (imported tables with scaling); kept with trained models as meta.scaling. */
  scaling?: Scaling;
}

/** One sample's forward and backward pass (models.explain): the backprop walkthrough. */
export interface ModelExplanation {
  row: number;
  runId: string | null;
  input: number[];
  target: number[];
  output: number[];
  loss: number;
  lossName: string;
  mode: 'train' | 'eval';
  /** Each node's output for the sample: z for Linear, a for activations (keyed by node id). */
  activations: Record<string, number[]>;
  /** dL/d(node output) for the sample; for a Linear node this is δ = ∂L/∂z. */
  deltas: Record<string, number[]>;
  /** ∂L/∂param keyed like params (Linear: weight [out][in], bias [out]). */
  grads: ModelJson['params'] & object;
  params: ModelJson['params'] & object;
  /** True when no run had a model: the weights are the seeded initialization. */
  untrained: boolean;
}

// ---------- requests ----------

export const requests = {
  'app.info': { input: z.object({}), output: {} as { version: string; libraryPath: string; readOnly: boolean; warning: string | null } },

  'projects.list': { input: z.object({}), output: [] as ProjectSummary[] },
  /** The starting points a new project can take (id, name, what it shows). */
  'projects.templates': { input: z.object({}), output: [] as { id: string; name: string; description: string; note: string }[] },
  'projects.create': {
    input: z.object({ name: z.string().trim().min(1).max(200), template: z.string().max(64).optional() }),
    output: {} as Project,
  },
  'projects.get': { input: z.object({ id }), output: {} as Project },
  'projects.save': {
    input: projectContentSchema.extend({
      id,
      /** The revision the edit started from; a stale one is refused (two windows, one writer). */
      revision: z.number().int().min(0),
      name: z.string().trim().min(1).max(200).optional(),
    }),
    output: {} as { revision: number; updatedAt: string },
  },
  'projects.delete': { input: z.object({ id }), output: {} as { deleted: boolean } },
  /** A new name; the content and its revision history stay (the revision goes up by one). */
  'projects.rename': { input: z.object({ id, name: z.string().trim().min(1).max(200) }), output: {} as { revision: number; updatedAt: string } },
  /** A copy of the project's current content under a new name ("<name> (copy)" by default); runs stay with the original. */
  'projects.duplicate': { input: z.object({ id, name: z.string().trim().min(1).max(200).optional() }), output: {} as Project },
  /** The project's saved revisions, newest first. */
  'projects.revisions': { input: z.object({ id }), output: [] as RevisionSummary[] },
  /** One saved revision's content (to look at or to go back to: restoring is an edit, saved as a new revision). */
  'projects.revision': { input: z.object({ id, revision: z.number().int().min(1) }), output: {} as ProjectContent & { revision: number; savedAt: string } },

  'datasets.list': { input: z.object({}), output: [] as DatasetSummary[] },
  'datasets.load': { input: z.object({ ref: datasetRefSchema }), output: {} as DatasetView },
  'datasets.importCsv': {
    input: z.object({
      name: z.string().trim().min(1).max(200),
      text: z.string().max(50_000_000),
      /** Bad cells (N/A, empty, 1,5, 1e309): refuse with a per-column report (default), drop the rows, or fill. */
      missing: z.enum(['error', 'drop', 'mean', 'zero']).optional(),
      /** Target column names; default: the last column. */
      target: z.array(z.string().max(200)).max(64).optional(),
      /** The client's id for this import: its `dataset.progress` events carry it. */
      importId: id.optional(),
      /** Scale the inputs (stored with the dataset and with models trained on it, as meta.scaling). */
      scaling: z.enum(['none', 'standardize', 'minmax']).optional(),
    }),
    output: {} as DatasetSummary,
  },

  'runs.list': { input: z.object({ projectId: id }), output: [] as RunSummary[] },
  'runs.get': { input: z.object({ runId: id }), output: {} as Run },
  'runs.start': {
    /** `training` replaces the project's block for this run; it is checked whole (checkTraining) before any run is recorded. */
    input: z.object({ projectId: id, training: z.record(z.string(), z.unknown()).optional() }),
    output: {} as { runId: string },
  },
  'runs.stop': { input: z.object({ runId: id }), output: {} as { stopped: boolean } },
  'runs.pause': { input: z.object({ runId: id }), output: {} as { ok: boolean } },
  'runs.resume': { input: z.object({ runId: id }), output: {} as { ok: boolean } },
  /** While paused: train exactly one more epoch. */
  'runs.step': { input: z.object({ runId: id }), output: {} as { ok: boolean } },
  /** The run's learning rate from its next epoch on (marked on its charts). */
  'runs.setLr': { input: z.object({ runId: id, lr: z.number().finite().min(0) }), output: {} as { ok: boolean } },
  /** "Use these weights": the run's model (and its training block) become the project's. */
  'runs.adopt': { input: z.object({ runId: id }), output: {} as Project },

  /**
   * Compare optimizers on the project's network and data: one run per entry of `optimizers` (its name
   * and hyper-parameters), all from the same initial weights and data order, trained in parallel by the
   * trainer's pool. `training` overrides the project's block for all of them (epochs, batch size…).
   */
  'compare.start': {
    input: z.object({
      projectId: id,
      optimizers: z.array(z.looseObject({ name: z.string().min(1).max(32) })).min(1, 'pick at least one optimizer').max(12, 'compare at most 12 optimizers'),
      training: z.record(z.string(), z.unknown()).optional(),
    }),
    output: {} as { groupId: string; runIds: string[] },
  },
  'compare.list': { input: z.object({ projectId: id }), output: [] as CompareGroup[] },
  'compare.get': { input: z.object({ groupId: id }), output: {} as { group: CompareGroup; runs: Run[] } },
  'compare.stop': { input: z.object({ groupId: id }), output: {} as { stopped: number } },

  'models.export': {
    input: z.object({ runId: id, format: z.enum(['json', 'pytorch', 'onnx']) }),
    /** ONNX is binary: its text is base64 (`encoding`). */
    output: {} as { fileName: string; text: string; encoding?: 'base64' },
  },
  'models.explain': {
    input: z.object({ projectId: id, runId: id.optional(), row: z.number().int().min(0), mode: z.enum(['train', 'eval']).optional() }),
    output: {} as ModelExplanation,
  },
  'models.import': {
    /** A model JSON (text) or an ONNX file (base64): the graph becomes the project's, its weights the project's model. */
    input: z.object({ projectId: id, text: z.string().max(50_000_000), format: z.enum(['json', 'onnx']).optional() }),
    output: {} as ModelImport,
  },


  // ---------- the library's safety: backups and project files (issue "the library under stress") ----------
  /** A consistent copy of the library next to it (SQLite's backup API), named `<library>.v<schema>.bak-<time>`. */
  'library.backup': { input: z.object({}), output: {} as { file: string } },
  /** The project as one `.neurograph` file: graph, layout, dataset (the CSV table itself when imported), runs, metrics, flags, models, compares. */
  'projects.exportFile': { input: z.object({ id }), output: {} as { fileName: string; text: string } },
  /** A `.neurograph` file into this library: checked whole (size, depth, keys, schema), new ids, " (2)" after a name already taken. */
  'projects.importFile': { input: z.object({ text: z.string().max(64_000_000) }), output: {} as Project },
} as const;

export type RequestName = keyof typeof requests;
export type RequestInput<K extends RequestName> = z.input<(typeof requests)[K]['input']>;
export type RequestOutput<K extends RequestName> = (typeof requests)[K]['output'];

/** Every reply: nothing throws across the boundary. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ApiError };
export interface ApiError {
  /** What kind of failure (src-engine/errors.ts lists them all). */
  code: ErrorCode;
  message: string;
  /** Where it went wrong: a field path such as `graph.nodes[3].units`, a node id, a CSV line. */
  path?: string;
}

// ---------- events (services -> UI) ----------

export type ApiEvent =
  | { type: 'run.status'; runId: string; projectId: string; seq: number; status: RunStatus; reason: string | null }
  | { type: 'run.metrics'; runId: string; seq: number; points: MetricPoint[] }
  | { type: 'run.progress'; runId: string; seq: number; epoch: number; epochs: number }
  | { type: 'run.flags'; runId: string; seq: number; flags: HealthFlag[] }
  /** The run's weights after `epoch` (a few times a second, for the live pictures; not stored). */
  | { type: 'run.weights'; runId: string; seq: number; epoch: number; params: NonNullable<ModelJson['params']>; state: NonNullable<ModelJson['state']> }
  /** A run paused after `epoch` (paused: true) or running again. */
  | { type: 'run.paused'; runId: string; seq: number; paused: boolean; epoch: number }
  /** How far a `datasets.importCsv` has got (0…1), under the client's `importId`; `seq` counts per import. */
  | { type: 'dataset.progress'; seq: number; importId: string; fraction: number; message?: string };

/** What the renderer talks to: the preload bridge in Electron, a WebSocket client in the browser. */
export interface NeurographApi {
  request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Reply<RequestOutput<K>>>;
  /** Subscribe to events; returns an unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

// ---------- wire format (web host WebSocket and Electron IPC share it) ----------

/**
 * Browser transport: the page is served at `http://127.0.0.1:<port>/?token=<token>`; it opens
 * `ws://127.0.0.1:<port>/api?token=<token>`. Client sends WireRequest; server answers WireReply with the same id
 * and pushes WireEvent. Electron: the preload exposes `window.neurograph` = { request(name, input), onEvent(fn) }
 * over ipcRenderer.invoke('api', name, input) and the 'api:event' channel.
 */
export const WS_PATH = '/api';
export interface WireRequest {
  id: number;
  name: string;
  input: unknown;
}
export type WireReply = { id: number; reply: Reply<unknown> };
export type WireEvent = { event: ApiEvent };
