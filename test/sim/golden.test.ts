// Every shipped scenario has a committed report under reports/ (JSON and text);
// this test re-runs each and diffs. After an intended model change, regenerate
// with `npm run golden` and review the diff before committing it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { textReport } from '../../src/report/text.js';

// UPDATE_GOLDEN=1 rewrites every golden; UPDATE_GOLDEN=a,b only those scenarios'.
const updating = (name: string) => process.env.UPDATE_GOLDEN === '1' || (process.env.UPDATE_GOLDEN ?? '').split(',').includes(name);
const scenarios = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

describe('golden reports of the shipped scenarios', () => {
  it('ships the four core scenarios', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['burst.yaml', 'steady-api.yaml', 'provisioned.yaml', 'legacy-scaling.yaml']));
  });
  for (const file of scenarios) {
    const name = basename(file, '.yaml');
    it(`${file} matches reports/${name}.json and reports/${name}.txt`, () => {
      const result = simulate(loadScenarioFile(join('scenarios', file)));
      const outputs = { json: jsonReport(result), txt: textReport(result) };
      for (const [ext, content] of Object.entries(outputs)) {
        const path = join('reports', `${name}.${ext}`);
        if (updating(name)) writeFileSync(path, content);
        expect(content).toBe(readFileSync(path, 'utf8'));
      }
    });
  }
});
