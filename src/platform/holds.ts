/**
 * Invocations that wait for synchronous calls to other functions (issue 16): after the handler's own
 * work the environment stays busy, and billed, until the calls return or the function's timeout ends
 * the wait. Indexed by environment id like the environment table; used only when a function calls
 * (src/platform/platform.ts `Holder`, src/models/pipeline.ts).
 */
export class HeldInvocations {
  /** When the invocation started (its bill goes to that part of the month). */
  startMs = new Float64Array(0);
  /** When the handler's own work ended and the wait began. */
  ownEndMs = new Float64Array(0);
  /** Billed-duration base of the own work (billed init + invoke phase), NaN when it started before the warm-up ended. */
  actualMs = new Float64Array(0);
  /** What the own work was billed at the start (rounded). */
  billedMs = new Float64Array(0);
  /** The handler's own duration (for the handler-duration histogram, recorded with the wait). */
  handlerMs = new Float64Array(0);
  /** Start + init + the function's timeout; NaN when the environment holds no waiting invocation. */
  deadlineMs = new Float64Array(0);

  /** Makes room for environment ids below `capacity`. */
  ensure(capacity: number): void {
    if (this.deadlineMs.length >= capacity) return;
    const n = Math.max(256, capacity, this.deadlineMs.length * 2);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(n).fill(NaN);
      b.set(a);
      return b;
    };
    this.startMs = grow(this.startMs);
    this.ownEndMs = grow(this.ownEndMs);
    this.actualMs = grow(this.actualMs);
    this.billedMs = grow(this.billedMs);
    this.handlerMs = grow(this.handlerMs);
    this.deadlineMs = grow(this.deadlineMs);
  }

  /** Whether `env` holds a waiting invocation. */
  waiting(env: number): boolean {
    return env < this.deadlineMs.length && this.deadlineMs[env] === this.deadlineMs[env];
  }
}
