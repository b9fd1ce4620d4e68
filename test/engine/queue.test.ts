import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/queue.js';
import { Simulator, STALL_LIMIT, StalledClockError } from '../../src/engine/simulator.js';
import { RngStreams } from '../../src/engine/rng.js';

describe('EventQueue', () => {
  it('pops by time, then phase, then insertion order', () => {
    const q = new EventQueue();
    q.push(5, 1, 0, 1);
    q.push(5, 0, 0, 2);
    q.push(3, 2, 0, 3);
    q.push(5, 1, 0, 4);
    q.push(5, 0, 0, 5);
    const order: number[] = [];
    while (q.pop()) order.push(q.data);
    expect(order).toEqual([3, 2, 5, 1, 4]);
  });

  it('matches a sort of random events, through growth', () => {
    const rng = new RngStreams('q').stream('events');
    const q = new EventQueue();
    const events: { t: number; p: number; seq: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = Math.floor(rng.next() * 100);
      const p = Math.floor(rng.next() * 3);
      events.push({ t, p, seq: i });
      q.push(t, p, 0, i);
    }
    events.sort((a, b) => a.t - b.t || a.p - b.p || a.seq - b.seq);
    const popped: number[] = [];
    while (q.pop()) popped.push(q.data);
    expect(popped).toEqual(events.map((e) => e.seq));
  });
});

describe('Simulator', () => {
  it('runs queued events before sources on a full tie, and sources by phase', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const kind = sim.register((d) => log.push(`q${d}@${sim.now}`));
    const times = [10, 20, Infinity];
    let i = 0;
    sim.addSource({
      get nextTime() {
        return times[i];
      },
      phase: 1,
      fire() {
        log.push(`s@${sim.now}`);
        i++;
      },
    });
    sim.schedule(10, 1, kind, 1);
    sim.schedule(10, 2, kind, 2);
    sim.schedule(20, 0, kind, 3);
    sim.schedule(30, 0, kind, 4);
    sim.run(30);
    expect(log).toEqual(['q1@10', 's@10', 'q2@10', 'q3@20', 's@20']);
    expect(sim.now).toBe(30);
  });

  it('refuses events in the past', () => {
    const sim = new Simulator();
    const kind = sim.register(() => undefined);
    sim.run(10);
    expect(() => sim.schedule(5, 0, kind, 0)).toThrow(/past/);
  });
});

describe('RngStreams', () => {
  it('gives each named stream its own sequence, independent of creation order', () => {
    const a = new RngStreams('42');
    const b = new RngStreams('42');
    const a1 = [a.stream('x').double(), a.stream('y').double(), a.stream('x').double()];
    b.stream('y');
    const b1 = [b.stream('x').double(), b.stream('y').double(), b.stream('x').double()];
    // Stream y was created first in b and drawn in a different order: x's draws are unchanged.
    expect(b1[0]).toBe(a1[0]);
    expect(b1[2]).toBe(a1[2]);
    expect(b1[1]).toBe(a1[1]);
    expect(new RngStreams('43').stream('x').double()).not.toBe(a1[0]);
  });
});

describe('stall guard', () => {
  it('an event that keeps re-arming itself at the same instant stops the run with its name, instead of hanging', () => {
    const sim = new Simulator();
    const kind = sim.register(() => sim.schedule(sim.now, 0, kind, 0), 'test/re-arm');
    sim.schedule(5, 0, kind, 0);
    let error: unknown;
    try {
      sim.run(10);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StalledClockError);
    expect((error as StalledClockError).kind).toBe('test/re-arm');
    expect((error as StalledClockError).atMs).toBe(5);
    expect((error as Error).message).toMatch(/simulated time stopped at 5 ms: 20,000,000 events in a row at that instant, the last a "test\/re-arm" event/);
  });

  it('many events at one instant below the limit run normally', () => {
    const sim = new Simulator();
    let n = 0;
    const kind = sim.register(() => {
      if (++n < 100_000) sim.schedule(sim.now, 0, kind, 0);
    }, 'test/burst');
    sim.schedule(5, 0, kind, 0);
    sim.run(10);
    expect(n).toBe(100_000);
    expect(sim.now).toBe(10);
  });
});

describe('a run in slices', () => {
  it('gives the same events in the same order as one call', () => {
    const make = () => {
      const sim = new Simulator();
      const log: number[] = [];
      const kind = sim.register((d) => {
        log.push(sim.now * 1000 + d);
        if (sim.now < 50) sim.schedule(sim.now + (d % 3) + 1, 0, kind, (d * 7 + 1) % 11);
      }, 'test/chain');
      sim.schedule(0, 0, kind, 1);
      sim.schedule(0, 1, kind, 2);
      return { sim, log };
    };
    const whole = make();
    expect(whole.sim.run(100)).toBe(true);
    const sliced = make();
    let calls = 0;
    while (!sliced.sim.run(100, { maxEvents: 3 })) calls++;
    expect(calls).toBeGreaterThan(5);
    expect(sliced.log).toEqual(whole.log);
    expect(sliced.sim.now).toBe(100);
    expect(sliced.sim.events).toBe(whole.sim.events);
  });

  it('makes the same progress calls as one call: at every multiple of progressEvery events', () => {
    const make = () => {
      const sim = new Simulator();
      const kind = sim.register(() => {
        if (sim.now < 1000) sim.schedule(sim.now + 1, 0, kind, 0);
      }, 'test/tick');
      sim.schedule(0, 0, kind, 0);
      return sim;
    };
    const calls = (slice?: number) => {
      const sim = make();
      const seen: number[] = [];
      const options = { progressEvery: 64, onProgress: (_now: number, events: number) => seen.push(events), maxEvents: slice };
      while (!sim.run(2000, options));
      return seen;
    };
    const whole = calls();
    expect(whole).toEqual(Array.from({ length: 15 }, (_, i) => 64 * (i + 1)));
    expect(calls(7)).toEqual(whole);
    expect(calls(64)).toEqual(whole);
  });

  it('still stops a stalled clock when the stall spans slices', () => {
    const sim = new Simulator();
    const kind = sim.register(() => sim.schedule(sim.now, 0, kind, 0), 'test/re-arm');
    sim.schedule(5, 0, kind, 0);
    expect(() => {
      while (!sim.run(10, { maxEvents: 1 << 18 }));
    }).toThrow(StalledClockError);
    expect(sim.events).toBe(STALL_LIMIT); // as in one call
  });
});
