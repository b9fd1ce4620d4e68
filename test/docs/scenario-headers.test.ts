// A shipped scenario's header comment says what it shows, often with the run's own figures. Each figure
// quoted here is checked against the scenario's committed report (reports/<name>.txt, which the golden
// test keeps true to the model): when the model moves a figure, this test names the header to reread.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The comment lines before the first key, joined into one line. */
function header(name: string): string {
  const lines = readFileSync(`scenarios/${name}.yaml`, 'utf8').split('\n');
  const body = lines.slice(0, lines.findIndex((l) => /^[a-z]/.test(l)));
  return body.map((l) => l.replace(/^#\s?/, '')).join(' ').replace(/\s+/g, ' ');
}

/** [scenario, what its header says, a line of its report that shows it] */
const CLAIMS: [string, string, RegExp][] = [
  ['long-job-step-functions', 'the job finishes in about 11 minutes', /^chunked\s+STANDARD\s+12\s+11\s+0\s+0\s+1\s+11\.\d min /m],
  ['sqs-fifo', '(7.6 min by the end, 18,958 messages still waiting)', /^skewed\s+fifo\/20\s+[\d,]+\s+[\d,]+\s+0\s+0\s+0\s+18,958\s/m],
  ['sqs-fifo', '(7.6 min by the end', /^skewed\s+\S+ ms\s+\S+ min\s+\S+ min\s+7\.6 min\s/m],
  ['sqs-fifo', '(at most 16 busy)', /^ledger-skewed\s+[\d,]+\s+16 \([\d.]+%\)\s+0 \(0%\)\s+0\s+16\s/m],
  ['sqs-fifo', 'keeps up (oldest 3.04 s)', /^even\s+\S+ ms\s+\S+ ms\s+\S+ ms\s+3\.04 s\s/m],
  ['sqs-poison-message', '(955 messages in the DLQ)', /^whole-batch\s+standard\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+955\s/m],
  ['sqs-poison-message', '(303, about the 0.2%', /^partial-batch\s+standard\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+303\s/m],
  ['sync-vs-async', 'it refuses 42,560 retries (14,429 are made), and 43,531 calls (25.6%) end with a 429', /^callers\s+170,329\s+14,429\s+[\d,]+\s+0\s+43,531 \(25\.6%\)/m],
  ['sync-vs-async', 'it refuses 42,560 retries', /^callers\s+standard\s+1\s+42,560\s/m],
  ['sync-vs-async', '(up to 43,421 deep, 1.4 min at the p99)', /^events\s+170,647\s.*\s43,421$/m],
  ['sync-vs-async', '1.4 min at the p99', /^events\s+\S+ s\s+1\.4 min\s/m],
  ['order-pipeline', '(40,948 deep at the burst\'s end', /^orders\s+\S+ s\s+\S+ min\s+\S+ min\s+\S+ min\s+40,948\s/m],
  ['order-pipeline', '(iterator age under 1 s)', /^order-events\s+[\d,]+\s+0\s+0\s+0\s+0\s+\d+\s+\S+ ms\s+\S+ ms\s+\d+(\.\d+)? ms$/m],
  ['provisioned', 'the peak concurrency is 128-135 (seeds 1-5 and 11)', /^orders-provisioned\s+312,239\s+0 \(0%\)\s+0 \(0%\)\s+0\s+135\s/m],
];

describe('the header comments of scenarios/*.yaml', () => {
  it.each(CLAIMS)('%s: "%s"', (name, claim, line) => {
    expect(header(name)).toContain(claim);
    expect(readFileSync(`reports/${name}.txt`, 'utf8')).toMatch(line);
  });
});
