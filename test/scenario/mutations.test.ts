// Bad input, at random: the shipped scenarios with a few lines broken (a line deleted, repeated or
// indented, a value replaced by something wrong for its key: a negative, zero, huge or tiny number, NaN,
// a string, a list, a map, null, a size or a rate where a duration goes, YAML's anchors, aliases, merge
// keys and tags). Each mutation must either still be a valid scenario or be refused with a UserError
// whose every problem names the file and a line; never another exception (which the CLI would report as
// an internal error). The valid ones are also simulated for a minute (when a minute of them is valid): a
// run of a valid scenario must not throw.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Xoshiro128 } from '../../src/engine/rng.js';
import { UserError } from '../../src/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

const DIR = 'scenarios';
/** Sorted: the order a directory lists its files in is the file system's. */
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const VALUES = ['-1', '0', '1e12', '.nan', 'abc', '""', '[]', '{}', 'null', '~', '1.5', '99999999999999999999', '0.0000001', '-0', 'true', '10GB', '5ms', '1/s', '-3s', '1e308', '0x10', '"1 2"', '!!binary aGVsbG8=', '&a 1', '*a', '<<: {}', '2h', '100%', '1e-320'];

describe('mutated scenarios (bad input at random)', () => {
  it('are valid or refused with located problems, and the valid ones run', () => {
    const rng = new Xoshiro128(2, 0, 2, 6);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
    let refused = 0;
    let valid = 0;
    let ran = 0;
    for (let i = 0; i < 300; i++) {
      const file = join(DIR, pick(FILES));
      const lines = readFileSync(file, 'utf8').split('\n');
      for (let k = 1 + Math.floor(rng.next() * 3); k > 0; k--) {
        const at = Math.floor(rng.next() * lines.length);
        const op = rng.next();
        const line = lines[at] ?? '';
        if (op < 0.2) lines.splice(at, 1);
        else if (op < 0.3) lines.splice(at, 0, line);
        else if (op < 0.8) lines[at] = line.replace(/(:\s*)([^#\s{[][^#,}\]]*)/, (_, colon: string) => colon + pick(VALUES));
        else if (op < 0.9) lines[at] = ` ${line}`;
        else lines[at] = line.replace(/[0-9]+/, pick(['0', '-5', '1000000000', '3.7']));
      }
      const text = lines.join('\n');
      let scenario;
      try {
        scenario = parseScenario(text, file);
      } catch (e) {
        if (!(e instanceof UserError)) throw new Error(`mutation ${i} of ${file}: ${String(e)}\n${text}`);
        for (const p of e.problems) expect({ i, file: p.file, line: typeof p.line }).toEqual({ i, file, line: 'number' });
        refused++;
        continue;
      }
      valid++;
      // A minute of it, when a minute is still a valid scenario (a warm-up or a schedule may not fit).
      if (ran >= 25) continue;
      let minute = scenario;
      if (scenario.durationMs > 60_000) {
        try {
          minute = parseScenario(text.replace(/^duration: .*$/m, 'duration: 60s'), file);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          continue;
        }
      }
      simulate(minute);
      ran++;
    }
    // Most mutations break the file, some leave it valid, and some of those run.
    expect(refused).toBeGreaterThan(150);
    expect(valid).toBeGreaterThan(30);
    expect(ran).toBeGreaterThan(10);
  });
});
