/**
 * A binary min-heap of events over typed arrays: no allocation per event.
 *
 * Events are ordered by (time, phase, sequence). The phase fixes the order of
 * different kinds of events at the same instant (the model documents which
 * phase each kind uses); the sequence number, assigned at insertion, makes
 * events of the same phase at the same instant run first-in first-out. So the
 * order of every run is fully determined by the scenario and its seed.
 *
 * Each event carries two integers: a `kind` (an index into the simulator's
 * handler table) and a `data` payload (an index into the model's own arrays).
 */

/** Phases are packed with the sequence number into one float64 order key. */
const PHASE_SHIFT = 2 ** 44;
export const MAX_PHASE = 255;

export class EventQueue {
  private times: Float64Array;
  private orders: Float64Array;
  private kinds: Int32Array;
  private datas: Int32Array;
  private n = 0;
  private seq = 0;

  /** Fields of the event removed by the last `pop()`. */
  time = 0;
  phase = 0;
  kind = 0;
  data = 0;

  /** `capacity`: the events expected pending at once; the queue grows (by doubling) past it. */
  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.orders = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.datas = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0] : Infinity;
  }

  /** Phase of the earliest event (meaningless when empty). */
  peekPhase(): number {
    return Math.floor(this.orders[0] / PHASE_SHIFT);
  }

  push(time: number, phase: number, kind: number, data: number): void {
    if (this.n === this.times.length) this.grow();
    const order = phase * PHASE_SHIFT + this.seq++;
    // Sift up.
    let i = this.n++;
    const times = this.times;
    const orders = this.orders;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && orders[p] < order)) break;
      times[i] = pt;
      orders[i] = orders[p];
      this.kinds[i] = this.kinds[p];
      this.datas[i] = this.datas[p];
      i = p;
    }
    times[i] = time;
    orders[i] = order;
    this.kinds[i] = kind;
    this.datas[i] = data;
  }

  /** Removes the earliest event into `time`, `phase`, `kind`, `data`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const orders = this.orders;
    const kinds = this.kinds;
    const datas = this.datas;
    this.time = times[0];
    this.phase = Math.floor(orders[0] / PHASE_SHIFT);
    this.kind = kinds[0];
    this.data = datas[0];
    const last = --this.n;
    if (last === 0) return true;
    const t = times[last];
    const o = orders[last];
    const k = kinds[last];
    const d = datas[last];
    // Sift down.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < last && (times[r] < times[c] || (times[r] === times[c] && orders[r] < orders[c]))) c = r;
      const ct = times[c];
      if (t < ct || (t === ct && o < orders[c])) break;
      times[i] = ct;
      orders[i] = orders[c];
      kinds[i] = kinds[c];
      datas[i] = datas[c];
      i = c;
    }
    times[i] = t;
    orders[i] = o;
    kinds[i] = k;
    datas[i] = d;
    return true;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const t = new Float64Array(size);
    t.set(this.times);
    this.times = t;
    const o = new Float64Array(size);
    o.set(this.orders);
    this.orders = o;
    const k = new Int32Array(size);
    k.set(this.kinds);
    this.kinds = k;
    const d = new Int32Array(size);
    d.set(this.datas);
    this.datas = d;
  }
}
