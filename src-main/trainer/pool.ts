import { availableParallelism } from 'node:os';

/** Threads in the trainer's pool: one per core (NEUROGRAPH_TRAINER_THREADS overrides it, for tests). */
export function trainerThreads(): number {
  const asked = Number(process.env.NEUROGRAPH_TRAINER_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : Math.max(1, availableParallelism());
}
