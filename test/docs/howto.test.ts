// Figures the how-to pages quote in their prose, from commands their ```sh blocks do not run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('docs/howto/distributed-sweeps.md', () => {
  it('the message of a merge with a shard missing is the one lsim merge prints for the Job it shows', async () => {
    const page = readFileSync('docs/howto/distributed-sweeps.md', 'utf8').replace(/\s+/g, ' ');
    const quoted = 'without shard 4 of the 8: `15 of 120 runs are missing (first: point 0, replication 3); merge every shard`, exit 2';
    expect(page).toContain(quoted);
    // The Job's command (its --shard auto/8 as the index i of 8), for every shard but the 4th.
    const out = join(mkdtempSync(join(tmpdir(), 'lsim-shards-')), 'memory');
    const scenario = resolve('scenarios/right-size-memory.yaml');
    for (const i of [1, 2, 3, 5, 6, 7, 8]) {
      const r = await cli(['sweep', scenario, '--vary', 'functions.image-resize.memory=128MB..3008MB:step=128MB', '--replications', '5', '--objective', 'p99<=1500ms', '--shard', `${i}/8`, '--workers', '1', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await cli(['merge', out]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toBe('lsim: 15 of 120 runs are missing (first: point 0, replication 3); merge every shard\n');
  });
});
