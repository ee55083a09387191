// Pause / resume / cancel state shared by the session (which receives the messages) and the loop (which checks it
// between steps).
export class RunControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  get isPaused(): boolean {
    return this.paused;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Returns false when already paused or stopped (nothing changed). */
  pause(): boolean {
    if (this.paused || this.stopped) return false;
    this.paused = true;
    return true;
  }

  /** Returns false when not paused. */
  resume(): boolean {
    if (!this.paused) return false;
    this.paused = false;
    this.release();
    return true;
  }

  /** Ends the run after the current step; a paused run stops waiting. */
  stop(): void {
    this.stopped = true;
    this.paused = false;
    this.release();
  }

  /** Resolves at once unless paused; otherwise when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
