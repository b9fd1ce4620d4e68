/**
 * The JSON report: the Result itself, two-space indent, arrays of numbers (the
 * time series) kept on one line, trailing newline. Key order is the Result's.
 */
import type { Result } from '../sim/result.js';

export function jsonReport(r: Result): string {
  return JSON.stringify(r, null, 2).replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`) + '\n';
}
