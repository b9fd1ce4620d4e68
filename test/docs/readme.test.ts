// The README shows real output: its tour of the terminal report is reports/burst.txt, byte for byte
// (the golden test keeps that file true to the model).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

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
});
