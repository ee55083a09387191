// When this page saw each run reach a step (wall clock), for the Training screen's ETA. Kept outside React, fed by
// the metrics events; bounded to the last MAX_SAMPLES per run.
import type { StepSample } from '../lib/eta';

const MAX_SAMPLES = 64;

export class StepClock {
  private readonly samples = new Map<string, StepSample[]>();

  record(runId: string, step: number, atMs: number): void {
    let list = this.samples.get(runId);
    if (!list) this.samples.set(runId, (list = []));
    const last = list[list.length - 1];
    if (last && step <= last.step) return;
    list.push({ step, atMs });
    if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
  }

  /** Forgets a run's samples: after a pause, a resume or a reconnect the old pace says little. */
  reset(runId: string): void {
    this.samples.delete(runId);
  }

  get(runId: string): readonly StepSample[] {
    return this.samples.get(runId) ?? [];
  }
}

export const stepClock = new StepClock();
