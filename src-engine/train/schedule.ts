/** Learning-rate schedules, applied after each epoch as torch.optim.lr_scheduler does. */
import type { ScheduleConfig } from './block';

export type { ScheduleConfig } from './block';
export type ScheduleName = ScheduleConfig['name'];

/** One parameter of a schedule; `default: null` means "the run's epoch count" (cosine's T_max). */
export interface ScheduleParam {
  key: 'step_size' | 'gamma' | 'T_max' | 'eta_min';
  label: string;
  int: boolean;
  default: number | null;
}

/** Every schedule with its rule and parameters (and their defaults): the one table the UI and learningRate() read. */
export const SCHEDULES: Readonly<Record<ScheduleName, { doc: string; params: readonly ScheduleParam[] }>> = {
  constant: { doc: 'η stays fixed', params: [] },
  step: {
    doc: 'η = η₀·γ^⌊epoch/step_size⌋ (StepLR)',
    params: [
      { key: 'step_size', label: 'step size (epochs)', int: true, default: 10 },
      { key: 'gamma', label: 'γ', int: false, default: 0.1 },
    ],
  },
  exponential: { doc: 'η = η₀·γ^epoch (ExponentialLR)', params: [{ key: 'gamma', label: 'γ', int: false, default: 0.95 }] },
  cosine: {
    doc: 'η = η_min + (η₀ − η_min)·(1 + cos(π·epoch/T_max))/2 (CosineAnnealingLR)',
    params: [
      { key: 'T_max', label: 'T_max (epochs)', int: true, default: null },
      { key: 'eta_min', label: 'η_min', int: false, default: 0 },
    ],
  },
};

/** The rule of each schedule, for help texts. */
export const SCHEDULE_DOCS: Record<ScheduleName, string> = Object.fromEntries(Object.entries(SCHEDULES).map(([k, v]) => [k, v.doc])) as Record<ScheduleName, string>;

function param(cfg: ScheduleConfig, key: ScheduleParam['key'], epochs: number): number {
  const given = (cfg as Partial<Record<ScheduleParam['key'], number>>)[key];
  if (given !== undefined) return given;
  const spec = SCHEDULES[cfg.name].params.find((p) => p.key === key)!;
  return spec.default ?? epochs;
}

/** Learning rate to use after `epoch` completed epochs (a checked config: see trainingBlockSchema). */
export function learningRate(cfg: ScheduleConfig | null | undefined, lr0: number, epoch: number, epochs: number): number {
  if (!cfg) return lr0;
  switch (cfg.name) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * Math.pow(param(cfg, 'gamma', epochs), Math.floor(epoch / param(cfg, 'step_size', epochs)));
    case 'exponential':
      return lr0 * Math.pow(param(cfg, 'gamma', epochs), epoch);
    case 'cosine': {
      const T = param(cfg, 'T_max', epochs);
      const etaMin = param(cfg, 'eta_min', epochs);
      return etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * Math.min(epoch, T)) / T))) / 2;
    }
  }
}
