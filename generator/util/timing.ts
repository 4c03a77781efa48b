/** How long one stage of a run took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** Records the wall time between successive laps, for `--verbose`. */
export class StageTimer {
  readonly stages: StageTiming[] = [];
  private last = performance.now();

  /** Ends the current stage under `stage`'s name and starts the next. */
  lap(stage: string): void {
    const now = performance.now();
    this.stages.push({ stage, ms: Math.round((now - this.last) * 10) / 10 });
    this.last = now;
  }
}
