/** Learning-rate schedules, applied after each epoch as torch.optim.lr_scheduler does. */
export interface ScheduleConfig {
  name: 'constant' | 'step' | 'exponential' | 'cosine';
  step_size?: number;
  gamma?: number;
  T_max?: number;
  eta_min?: number;
}

export const SCHEDULE_DOCS: Record<ScheduleConfig['name'], string> = {
  constant: 'η stays fixed',
  step: 'η = η₀·γ^⌊epoch/step_size⌋ (StepLR)',
  exponential: 'η = η₀·γ^epoch (ExponentialLR)',
  cosine: 'η = η_min + (η₀ − η_min)·(1 + cos(π·epoch/T_max))/2 (CosineAnnealingLR)',
};

/** Learning rate to use after `epoch` completed epochs. Throws on invalid settings, naming the field. */
export function learningRate(cfg: ScheduleConfig | null | undefined, lr0: number, epoch: number, epochs: number): number {
  if (!cfg || cfg.name === 'constant') return lr0;
  const gamma = cfg.gamma ?? 0.1;
  switch (cfg.name) {
    case 'step': {
      const s = cfg.step_size ?? 10;
      return lr0 * Math.pow(gamma, Math.floor(epoch / s));
    }
    case 'exponential':
      return lr0 * Math.pow(cfg.gamma ?? 0.95, epoch);
    case 'cosine': {
      const T = cfg.T_max ?? epochs;
      const etaMin = cfg.eta_min ?? 0;
      return etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * Math.min(epoch, T)) / T))) / 2;
    }
  }
}

export function checkSchedule(cfg: ScheduleConfig | null | undefined): string | null {
  if (!cfg) return null;
  if (!(cfg.name in SCHEDULE_DOCS)) return `lr_schedule.name must be one of ${Object.keys(SCHEDULE_DOCS).join(', ')}, got ${JSON.stringify(cfg.name)}`;
  if (cfg.step_size !== undefined && !(Number.isInteger(cfg.step_size) && cfg.step_size >= 1)) return `lr_schedule.step_size must be a whole number ≥ 1, got ${cfg.step_size}`;
  if (cfg.gamma !== undefined && !(cfg.gamma > 0 && cfg.gamma <= 1)) return `lr_schedule.gamma must be in (0, 1], got ${cfg.gamma}`;
  if (cfg.T_max !== undefined && !(Number.isInteger(cfg.T_max) && cfg.T_max >= 1)) return `lr_schedule.T_max must be a whole number ≥ 1, got ${cfg.T_max}`;
  if (cfg.eta_min !== undefined && !(cfg.eta_min >= 0)) return `lr_schedule.eta_min must be ≥ 0, got ${cfg.eta_min}`;
  return null;
}
