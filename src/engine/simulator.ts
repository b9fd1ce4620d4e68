/**
 * The discrete-event simulator core: a clock, an event queue, a handler table
 * and a set of external event sources. It knows nothing of Lambda.
 *
 * Same-instant order: events run by (time, phase, insertion sequence). Sources
 * (such as arrival processes, which would otherwise flood the queue with one
 * pending event each) take part in the same order: a source's next event ranks
 * by (time, phase) against the queue; on a full tie the queued event runs first,
 * then sources in the order they were added.
 */
import { EventQueue, MAX_PHASE } from './queue.js';

/** Handles one event; `data` is the payload given to `schedule`. */
export type Handler = (data: number) => void;

/** An external stream of events that keeps its own next time. */
export interface EventSource {
  /** Time of the source's next event; Infinity when exhausted. Changes only in `fire()`. */
  readonly nextTime: number;
  readonly phase: number;
  /** Runs the event at `nextTime` and advances to the following one. */
  fire(): void;
}

/**
 * The clock has not moved for {@link STALL_LIMIT} events in a row: a model bug (typically a timer
 * that re-arms itself at the instant it fires). Raised instead of running forever.
 */
export class StalledClockError extends Error {
  constructor(
    readonly atMs: number,
    readonly events: number,
    readonly kind: string,
  ) {
    super(
      `simulated time stopped at ${atMs} ms: ${events.toLocaleString('en-US')} events in a row at that instant, ` +
        `the last a "${kind}" event. This is a bug in lsim (an event that keeps scheduling itself at the same instant); ` +
        'please report it with the scenario.',
    );
    this.name = 'StalledClockError';
  }
}

/** Events in a row at one instant after which the run is stopped as stalled (far above any real instant's count). */
export const STALL_LIMIT = 20_000_000;

export interface RunOptions {
  /** Called about every `progressEvery` events with the current time. */
  onProgress?: (nowMs: number, events: number) => void;
  progressEvery?: number;
  /** Stop after this many events (the clock stays at the last one); `run` again to go on. */
  maxEvents?: number;
}

export class Simulator {
  /**
   * `endMs`: no run goes past it, so an event scheduled at or after it can never run and is not kept
   * (at a million live environments, each one's lifetime end hours after a short run would be memory
   * that buys nothing). `capacity`: the events expected pending at once (the queue grows past it).
   */
  constructor(
    readonly endMs = Infinity,
    capacity = 1024,
  ) {
    this.queue = new EventQueue(Math.max(1024, capacity));
  }

  /** Current simulated time in ms. */
  now = 0;
  /** Events processed so far (queue events and source events). */
  events = 0;
  private readonly queue: EventQueue;
  private readonly handlers: Handler[] = [];
  /** What each event kind is, for the stall message. */
  private readonly names: string[] = [];
  private readonly sources: EventSource[] = [];
  private best = -1;
  /**
   * The stall guard, kept across `run` calls (a run in slices): the instant of the last event and how many
   * events in a row ran at it. −Infinity, not −1: a field that starts as a small integer and later holds a
   * fraction changes its object's hidden class, which threw away the optimized code of every model reading
   * `sim.now` at the first slice's end (issue 21, docs/architecture.md "Warm-up").
   */
  private stallMs = -Infinity;
  private stallCount = 0;

  /** Registers a handler and returns its event kind; `name` says what the event is (in the stall message). */
  register(handler: Handler, name = 'unnamed'): number {
    this.handlers.push(handler);
    this.names.push(name);
    return this.handlers.length - 1;
  }

  /** Adds an event source; sources are added before the first `run`. */
  addSource(source: EventSource): void {
    if (source.phase < 0 || source.phase > MAX_PHASE) throw new Error(`bad phase ${source.phase}`);
    if (this.events > 0) throw new Error('sources are added before the run starts');
    this.sources.push(source);
    this.pickBest();
  }

  /** Schedules event `kind` with `data` at `time` (never in the past). */
  schedule(time: number, phase: number, kind: number, data: number): void {
    if (!(time >= this.now)) throw new Error(`event scheduled in the past: ${time} < ${this.now}`);
    if (time < this.endMs) this.queue.push(time, phase, kind, data);
  }

  /** Number of events waiting in the queue (sources not counted). */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Runs every event with time < untilMs, then sets the clock to untilMs and returns true; with
   * `maxEvents`, returns false after that many events when events before untilMs remain (call again
   * to continue: a run in slices gives the same events in the same order as one call, and the same
   * progress calls: at every multiple of `progressEvery` events).
   */
  run(untilMs: number, options: RunOptions = {}): boolean {
    if (untilMs > this.endMs) throw new Error(`run to ${untilMs} past the simulator's end ${this.endMs}`);
    const queue = this.queue;
    const handlers = this.handlers;
    const every = options.progressEvery ?? 1 << 20;
    let nextProgress = (Math.floor(this.events / every) + 1) * every;
    const stopAt = options.maxEvents === undefined ? Infinity : this.events + options.maxEvents;
    // The stall guard: how many events in a row ran at `lastMs` (one comparison per event).
    let lastMs = this.stallMs;
    let same = this.stallCount;
    // The source whose event is next; with one source it stays the same until it is exhausted.
    const sources = this.sources;
    let src = this.best >= 0 ? sources[this.best] : null;
    for (;;) {
      const qt = queue.peekTime();
      const st = src !== null ? src.nextTime : Infinity;
      if (src !== null && (st < qt || (st === qt && src.phase < queue.peekPhase()))) {
        if (!(st < untilMs)) break;
        this.now = st;
        src.fire();
        if (sources.length > 1 || src.nextTime === Infinity) {
          this.pickBest();
          src = this.best >= 0 ? sources[this.best] : null;
        }
        if (st !== lastMs) {
          lastMs = st;
          same = 0;
        } else if (++same >= STALL_LIMIT) throw new StalledClockError(st, same, 'arrival');
      } else {
        if (!(qt < untilMs)) break;
        queue.pop();
        const t = queue.time;
        this.now = t;
        handlers[queue.kind](queue.data);
        if (t !== lastMs) {
          lastMs = t;
          same = 0;
        } else if (++same >= STALL_LIMIT) throw new StalledClockError(t, same, this.names[queue.kind]);
      }
      if (++this.events >= nextProgress) {
        nextProgress += every;
        options.onProgress?.(this.now, this.events);
      }
      if (this.events >= stopAt) {
        this.stallMs = lastMs;
        this.stallCount = same;
        return false;
      }
    }
    this.stallMs = lastMs;
    this.stallCount = same;
    this.now = untilMs;
    return true;
  }

  private pickBest(): void {
    let best = -1;
    let bt = Infinity;
    let bp = Infinity;
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i];
      const t = s.nextTime;
      if (t < bt || (t === bt && t !== Infinity && s.phase < bp)) {
        best = i;
        bt = t;
        bp = s.phase;
      }
    }
    this.best = best;
  }
}
