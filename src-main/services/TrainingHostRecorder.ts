/** The ProjectStore as the TrainingHost's RunRecorder: each call is one store transaction. */
import type { ProjectStore } from './ProjectStore';
import type { RunRecorder } from './TrainingHostTypes';

export function storeRecorder(store: ProjectStore): RunRecorder {
  return {
    appendMetrics: (batches) => store.appendMetricBatches(batches),
    appendFlags: (runId, flags) => store.appendFlags(runId, flags),
    checkpoint: (runId, model) => store.checkpoint(runId, model),
    setStatus: (runId, status, reason) => store.setRunStatus(runId, status, reason),
    finish: (runId, end) => {
      store.finishRun(runId, end);
    },
  };
}
