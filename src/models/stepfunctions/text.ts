/** The Step Functions workloads' part of the terminal report: executions, durations, states, what the bill counts. */
import { dur, int, num, table } from '../../format.js';
import type { ResultView } from '../model.js';
import type { StepFunctionsWorkloadResult } from './types.js';

export function stepFunctionsText(r: ResultView): string[] {
  const list = r.workloads.filter((w): w is StepFunctionsWorkloadResult => w.invoke === 'stepfunctions');
  if (list.length === 0) return [];
  return [
    '',
    'Step Functions: executions (duration from the start of an execution to its end: p50, p99, max of those that succeeded)',
    table(
      ['name', 'type', 'started', 'succeeded', 'failed', 'timed out', 'open', 'p50', 'p99', 'max', 'failed p50', 'transitions', 'retries', 'Express GB-s'],
      list.map((w) => [
        w.name,
        w.type,
        int(w.executions.started),
        int(w.executions.succeeded),
        int(w.executions.failed),
        int(w.executions.timedOut),
        int(w.executions.openAtEnd),
        ...(w.durationMs.count > 0 ? [dur(w.durationMs.p50), dur(w.durationMs.p99), dur(w.durationMs.max)] : ['-', '-', '-']),
        w.failedDurationMs.count > 0 ? dur(w.failedDurationMs.p50) : '-',
        int(w.transitions),
        int(w.retries),
        w.type === 'STANDARD' ? '-' : num(w.expressGbS, 1),
      ]),
    ),
    '(the state machines\' charges are on the whole bill, "AWS Step Functions" lines; the functions they invoke are billed as Lambda)',
    ...list.flatMap((w) => [
      '',
      `States of ${w.name} (entered, retries, errors caught, errors that failed the state)`,
      table(
        ['state', 'type', 'entered', 'retries', 'caught', 'failed'],
        w.states.map((s) => [s.name, s.type, int(s.entered), int(s.retries), int(s.caught), int(s.failed)]),
      ),
    ]),
  ];
}
