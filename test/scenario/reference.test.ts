import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/load.js';

describe('docs/scenario-reference.md', () => {
  it('its complete example loads', () => {
    const doc = readFileSync(new URL('../../docs/scenario-reference.md', import.meta.url), 'utf8');
    const example = doc.split('## A complete example')[1].split('```yaml\n')[1].split('```')[0];
    expect(parseScenario(example).name).toBe('burst');
  });
});
