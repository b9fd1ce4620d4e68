/** The JSON report: the Result itself, stable key order, two-space indent, trailing newline. */
import type { Result } from '../sim/result.js';

export function jsonReport(r: Result): string {
  return JSON.stringify(r, null, 2) + '\n';
}
