// The parts both training loops (loop.ts, llama/fineTune.ts) share around each optimizer step: yielding so control
// messages are handled, pause / cancel, and the logged point of a step — loss, lr, grad_norm and tokens/s over the
// time spent training since the last point (paused time, evaluation and checkpoints left out).
import type { TrainConfig } from '../../common/config';
import type { StepTensors } from './optimizer';
import * as tf from './tfjs';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface StepControl {
  /** Checked before every step; true ends the run as cancelled. */
  shouldStop?(): boolean;
  /** Awaited before every step; resolves at once unless the run is paused. */
  waitWhilePaused?(): Promise<void>;
}

export class StepClock {
  private windowStart: number;
  private windowTokens = 0;

  constructor(private readonly now: () => number) {
    this.windowStart = now();
  }

  /** Lets queued messages in, waits out a pause; false when the run should stop instead of taking a step. */
  async readyForStep(control: StepControl): Promise<boolean> {
    await yieldToEventLoop();
    if (control.shouldStop?.()) return false;
    if (control.waitWhilePaused) {
      await this.outside(() => control.waitWhilePaused!());
      if (control.shouldStop?.()) return false;
    }
    return true;
  }

  /** Runs work whose time does not count against throughput (a pause, evaluation, checkpoints). */
  async outside<T>(work: () => Promise<T> | T): Promise<T> {
    const from = this.now();
    try {
      return await work();
    } finally {
      this.windowStart += this.now() - from;
    }
  }

  /**
   * Counts the step's tokens and disposes its two scalars; on a logged step (the first, every logEvery, the last)
   * returns { loss, lr, grad_norm, tokens_per_s } read back from the backend, else {}. A non-finite loss throws.
   */
  async afterStep(result: StepTensors, s: number, lr: number, tokens: number, config: Pick<TrainConfig, 'logEvery' | 'steps' | 'learningRate'>): Promise<Record<string, number>> {
    this.windowTokens += tokens;
    try {
      if (!(s === 1 || s % config.logEvery === 0 || s === config.steps)) return {};
      const [l, g] = await Promise.all([result.loss.data(), result.gradNorm.data()]); // forces a GPU→CPU sync
      if (!Number.isFinite(l[0])) throw new Error(`Training diverged: the loss is ${l[0]} at step ${s}; lower learningRate (now ${config.learningRate}).`);
      const seconds = Math.max(1e-6, (this.now() - this.windowStart) / 1000);
      const values = { loss: l[0], lr, grad_norm: g[0], tokens_per_s: this.windowTokens / seconds };
      this.windowTokens = 0;
      this.windowStart = this.now();
      return values;
    } finally {
      tf.dispose([result.loss, result.gradNorm]);
    }
  }
}
