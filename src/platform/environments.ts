/**
 * Execution environments, stored as parallel typed arrays indexed by an
 * environment id (ids are recycled through a free list), and the idle lists
 * that order a function's idle environments from most to least recently used.
 *
 * Nothing here allocates per invocation. Memory is a feature (issue 21: at a
 * million live environments every byte of a record is a megabyte): a record is
 * 38 bytes, and the columns only some scenarios need (PC recycling, keep-alives
 * drawn per environment) are allocated only when the scenario has them.
 */

export const FLAG_PROVISIONED = 1;
/** The environment was reset by a timeout: its next invocation re-runs init (docs/sources.md §2). */
export const FLAG_NEEDS_INIT = 2;
export const FLAG_IDLE = 4;
/** The environment reached its maximum lifetime while busy: it is retired when its invocation ends. */
export const FLAG_RETIRING = 8;
/** Issue 21: the running invocation's handler duration went to its caller's shared histogram (`Platform.shareLatency`). */
export const FLAG_SHARED_LATENCY = 16;

export class EnvironmentTable {
  capacity = 0;
  fn = new Int32Array(0);
  flags = new Uint8Array(0);
  /**
   * Idle: since when (its keep-alive runs from then). Busy: when its invocation started (what the
   * invoker reads back as `Platform.lastStartMs` at the completion).
   */
  sinceMs = new Float64Array(0);
  /** When the environment reaches its maximum lifetime (Infinity: never, and for free slots). */
  retireAtMs = new Float64Array(0);
  /**
   * Provisioned environments: when Lambda next re-initializes it (Infinity: never, and for free slots).
   * Allocated only when a function recycles PC (`recycles`).
   */
  recycleAtMs = new Float64Array(0);
  /**
   * Bumped each time the environment goes idle or ends, to spot stale expiry-heap entries. Allocated
   * only when a function draws its keep-alives (`generations`).
   */
  idleGeneration = new Int32Array(0);
  prev = new Int32Array(0);
  next = new Int32Array(0);
  /** The invoker and its token for the invocation in progress. */
  caller = new Int32Array(0);
  token = new Int32Array(0);
  /** Status of the invocation in progress (see Status in platform.ts). */
  status = new Uint8Array(0);
  private free: number[] = [];
  private used = 0;
  /** Environments currently existing (busy or idle). */
  live = 0;

  /**
   * `capacity`: the environments the scenario can have alive at once (`liveEnvironmentBound`), or a
   * cap on it. The table is made that large at once and grows (by doubling) only past it: growing
   * leaves the old columns as garbage until a full collection, which at a million environments was
   * as much memory again. The pages of a column are committed as records are first used.
   */
  constructor(
    /** Some function recycles provisioned environments: `recycleAtMs` is kept. */
    private readonly recycles: boolean,
    /** Some function draws a keep-alive per environment: `idleGeneration` is kept. */
    private readonly generations: boolean,
    capacity: number,
  ) {
    this.grow(Math.max(256, capacity));
  }

  allocate(fnIndex: number, tMs: number, flags: number): number {
    let id: number;
    if (this.free.length > 0) id = this.free.pop()!;
    else {
      if (this.used === this.capacity) this.grow(this.capacity * 2);
      id = this.used++;
    }
    this.fn[id] = fnIndex;
    this.flags[id] = flags;
    this.sinceMs[id] = tMs;
    this.retireAtMs[id] = Infinity;
    if (this.recycles) this.recycleAtMs[id] = Infinity;
    this.prev[id] = -1;
    this.next[id] = -1;
    this.live++;
    return id;
  }

  release(id: number): void {
    this.flags[id] = 0;
    this.retireAtMs[id] = Infinity;
    if (this.recycles) this.recycleAtMs[id] = Infinity;
    this.free.push(id);
    this.live--;
  }

  private grow(n: number): void {
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.fn = grow(this.fn, (k) => new Int32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.sinceMs = grow(this.sinceMs, (k) => new Float64Array(k));
    this.retireAtMs = grow(this.retireAtMs, (k) => new Float64Array(k));
    if (this.recycles) this.recycleAtMs = grow(this.recycleAtMs, (k) => new Float64Array(k));
    if (this.generations) this.idleGeneration = grow(this.idleGeneration, (k) => new Int32Array(k));
    this.prev = grow(this.prev, (k) => new Int32Array(k));
    this.next = grow(this.next, (k) => new Int32Array(k));
    this.caller = grow(this.caller, (k) => new Int32Array(k));
    this.token = grow(this.token, (k) => new Int32Array(k));
    this.status = grow(this.status, (k) => new Uint8Array(k));
    this.capacity = n;
  }
}

/**
 * A doubly linked list of idle environments: head = most recently idle,
 * tail = least recently idle. O(1) push, pop at either end, and removal.
 */
export class IdleList {
  head = -1;
  tail = -1;
  size = 0;
  constructor(private readonly envs: EnvironmentTable) {}

  pushHead(id: number): void {
    const e = this.envs;
    e.prev[id] = -1;
    e.next[id] = this.head;
    if (this.head >= 0) e.prev[this.head] = id;
    else this.tail = id;
    this.head = id;
    this.size++;
  }

  remove(id: number): void {
    const e = this.envs;
    const p = e.prev[id];
    const n = e.next[id];
    if (p >= 0) e.next[p] = n;
    else this.head = n;
    if (n >= 0) e.prev[n] = p;
    else this.tail = p;
    e.prev[id] = -1;
    e.next[id] = -1;
    this.size--;
  }
}

/** A min-heap of (time, id, generation) for environments with individually drawn keep-alives. */
export class ExpiryHeap {
  private times = new Float64Array(64);
  private ids = new Int32Array(64);
  private gens = new Int32Array(64);
  size = 0;

  push(t: number, id: number, gen: number): void {
    if (this.size === this.times.length) {
      const n = this.size * 2;
      const t2 = new Float64Array(n);
      t2.set(this.times);
      this.times = t2;
      const i2 = new Int32Array(n);
      i2.set(this.ids);
      this.ids = i2;
      const g2 = new Int32Array(n);
      g2.set(this.gens);
      this.gens = g2;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.times[p] <= t) break;
      this.times[i] = this.times[p];
      this.ids[i] = this.ids[p];
      this.gens[i] = this.gens[p];
      i = p;
    }
    this.times[i] = t;
    this.ids[i] = id;
    this.gens[i] = gen;
  }

  topTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }
  topId(): number {
    return this.ids[0];
  }
  topGen(): number {
    return this.gens[0];
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const t = this.times[last];
    const id = this.ids[last];
    const g = this.gens[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.times[c + 1] < this.times[c]) c++;
      if (t <= this.times[c]) break;
      this.times[i] = this.times[c];
      this.ids[i] = this.ids[c];
      this.gens[i] = this.gens[c];
      i = c;
    }
    this.times[i] = t;
    this.ids[i] = id;
    this.gens[i] = g;
  }
}
