// The README shows real output: its tour of the terminal report is reports/burst.txt, byte for byte
// (the golden test keeps that file true to the model), and the figures its prose quotes are in the
// committed reports or in what the command it names prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/** The README's paragraph (up to the next blank line) that starts with `start`. */
function paragraph(readme: string, start: string): string {
  const at = readme.indexOf(start);
  expect(at, start).toBeGreaterThanOrEqual(0);
  return readme.slice(at, readme.indexOf('\n\n', at));
}

/** Expects every figure to be quoted in `prose` and printed in `output` (spaces and line breaks aside). */
function quoted(prose: string, output: string, figures: [inProse: string, inOutput: string][]): void {
  const flat = (t: string) => t.replace(/\s+/g, ' ');
  for (const [p, o] of figures) {
    expect(flat(prose), p).toContain(p);
    expect(flat(output), o).toContain(o);
  }
}

describe('README', () => {
  it('the tour of the output is reports/burst.txt', () => {
    const readme = readFileSync('README.md', 'utf8');
    const intro = '`npx lsim run scenarios/burst.yaml` prints (this is `reports/burst.txt`):\n\n```\n';
    const start = readme.indexOf(intro);
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + intro.length, readme.indexOf('```\n', start + intro.length));
    expect(block).toBe(readFileSync('reports/burst.txt', 'utf8').replace(/\n+$/, '\n'));
  });

  it('the event sources section quotes reports/event-fan-in.txt', () => {
    const readme = readFileSync('README.md', 'utf8');
    const intro = '`npx lsim run scenarios/event-fan-in.yaml`\nshows each source\'s part:\n\n```\n';
    const start = readme.indexOf(intro);
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + intro.length, readme.indexOf('```\n', start + intro.length));
    expect(block.split('\n').length).toBeGreaterThan(4);
    expect(readFileSync('reports/event-fan-in.txt', 'utf8')).toContain(block);
  });

  it('the Step Functions section quotes reports/long-job-step-functions.txt', () => {
    const readme = readFileSync('README.md', 'utf8');
    const intro = '`npx lsim run scenarios/long-job-step-functions.yaml` shows:\n\n```\n';
    const start = readme.indexOf(intro);
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + intro.length, readme.indexOf('```\n', start + intro.length));
    expect(block.split('\n').length).toBeGreaterThan(3);
    expect(readFileSync('reports/long-job-step-functions.txt', 'utf8')).toContain(block);
  });

  it('the pipeline section quotes reports/order-pipeline.txt', () => {
    const readme = readFileSync('README.md', 'utf8');
    const intro = '`npx lsim run scenarios/order-pipeline.yaml` ends with:\n\n```\n';
    const start = readme.indexOf(intro);
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + intro.length, readme.indexOf('```\n', start + intro.length));
    expect(block.split('\n').length).toBeGreaterThan(6);
    expect(readFileSync('reports/order-pipeline.txt', 'utf8').endsWith(block)).toBe(true);
  });

  it('the figures of the front-door paragraph are those of reports/api-gateway-burst.txt', () => {
    const prose = paragraph(readFileSync('README.md', 'utf8'), '**The same burst through a front door**');
    const report = readFileSync('reports/api-gateway-burst.txt', 'utf8');
    quoted(prose, report, [
      ['answers 1,260,320 of the REST API', 'REST API 2,541,007 1,256,634 1,260,320 22,785'],
      ['throttles only 22,785 attempts', '22,785 → 500'],
      ['79% of the requests are answered', '1,996,377 (79.3%)'],
      ['loses 125 of its requests', 'export REST API 571 389 125 20 0 24 125'],
      ['24 requests get 504', 'export REST API 571 389 125 20 0 24 '],
      ['4.1 minutes of function time', 'export 29.00 s 26 4.1 min'],
      ['add $2,543.15 of API Gateway requests to Lambda\'s $8,527.97', '$11,071.12 = Lambda $8,527.97 + other services $2,543.15'],
      ['the REST API $1,971.55', 'Amazon API Gateway REST API requests 620,876,246 requests $1,971.55'],
      ['the HTTP API $571.60', 'Amazon API Gateway HTTP API requests 601,772,682 requests $571.60'],
    ]);
  });

  it('the figures of the Step Functions paragraph are those of reports/long-job-step-functions.txt', () => {
    const prose = paragraph(readFileSync('README.md', 'utf8'), 'The single function fails every execution');
    const report = readFileSync('reports/long-job-step-functions.txt', 'utf8');
    quoted(prose, report, [
      ['$132 a month for nothing', 'whole-job $0.36 $0 $132.18'],
      ['finishes in about 11 minutes for $362 a month', 'chunk $0.99 $0 $362.30'],
      ['finishes in about 11 minutes', 'chunked STANDARD 12 11 0 0 1 11.1 min'],
      ['231 state transitions', ' - 231 4 -'],
      ['$2.16 a month after the 4,000 free', '− 4,000 free $2.16'],
    ]);
  });

  it('the figures of the event sources paragraph are those of reports/event-fan-in.txt', () => {
    const prose = paragraph(readFileSync('README.md', 'utf8'), 'What it teaches: the time from an object upload');
    const report = readFileSync('reports/event-fan-in.txt', 'utf8');
    quoted(prose, report, [
      ['94 uploads of the last minutes', 'uploads s3 23,671 24 23,601 0 23,601 0 0 94 '],
      ['never held more than 21 events', 'notifications 36,549 0 36,471 70 0 0 8 70 899 21'],
      ['14 events (about 0.1³ of them) end in EventBridge\'s own DLQ', 'orders-events eventbridge 11,865 0 13,214 1,349 11,849 14 '],
      ['$40.29 of SNS publishes', 'Amazon SNS standard topic publishes 81,577,368 publishes − 1,000,000 free $40.29'],
      ['$26.48 of EventBridge events beside Lambda\'s $444.79', '$511.56 = Lambda $444.79 + other services $66.77'],
      ['$26.48 of EventBridge events', 'Amazon EventBridge custom events published 26,482,680 events $26.48'],
    ]);
  });

  it('the sweep guard and the provisioned concurrency plan quote what those commands print', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const sweep = await cli(['sweep', 'scenarios/burst.yaml', '--vary', 'account.concurrency=3000,5000', '-j', '1']);
    expect(sweep.code).toBe(0);
    quoted(paragraph(readme, '- **The guard**'), sweep.stdout, [
      ['recommends 5,000', '#1 concurrency=5000: lowest cost'],
      ['(it leaves 18.9% of the requests undone against 6.95%)', '#0 concurrency=3000: fails guard: leaves 18.9% of the work undone, against 6.95% at #1'],
    ]);
    const plan = await cli(['provision', 'scenarios/provisioned-schedule.yaml']);
    expect(plan.code).toBe(0);
    const figures: [string, string][] = [
      ['a schedule at $709.98/mo with no cold starts', 'Proposal: k=1: $709.98/mo'],
      ['$491.46/mo less than 39 environments all day', '$491.46/mo less than static PC of 39 (0 cold starts)'],
    ];
    quoted(paragraph(readme, '- **Provisioned concurrency as a decision**'), plan.stdout, figures);
    const howto = readFileSync('docs/howto/provisioned-concurrency.md', 'utf8');
    quoted(paragraph(howto, '- Or let lsim draw the schedule'), plan.stdout, [
      ['0 cold starts for $709.98/mo', 'k=1 0 0% 0% $709.98 ★ proposed'],
      ['where 39 environments all day cost $1,201.44', 'static 39 0 0% 0% $1,201.44'],
    ]);
  });
});
