// docs/billing.md "The rest of the bill" lists every service item a bill can hold, under its key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_ITEMS } from '../../src/billing/service-prices.js';

describe('docs/billing.md', () => {
  it('the table of the other services names every item of src/billing/service-prices.ts', () => {
    const doc = readFileSync('docs/billing.md', 'utf8');
    const table = doc.split('| line item (`item`) |')[1].split('\n\n')[0];
    expect(SERVICE_ITEMS.filter((item) => !table.includes(`\`${item}\``))).toEqual([]);
  });

  it('does not call the Step Functions lines missing from the whole bill (they are on it)', () => {
    const doc = readFileSync('docs/billing.md', 'utf8');
    expect(doc).not.toMatch(/not yet on the whole bill/);
    expect(readFileSync('reports/long-job-step-functions.txt', 'utf8')).toMatch(/^AWS Step Functions standard workflow state transitions .* \$2\.16$/m);
  });
});
