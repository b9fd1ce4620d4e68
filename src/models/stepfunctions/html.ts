/** The Step Functions model in the HTML report and the headline: what the executions did. */
import { dur, int, num } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { StepFunctionsWorkloadResult } from './types.js';

export function stepFunctionsCards(w: StepFunctionsWorkloadResult): CardFact[] {
  const e = w.executions;
  return [
    count('executions.started', 'executions started', e.started, 'Executions of the state machine started after the warm-up.'),
    countOf('executions.succeeded', 'succeeded', e.succeeded, e.started, 'Executions that reached a Succeed state or an End.'),
    countOf('executions.failed', 'failed', e.failed, e.started, 'Executions that ended with an error no Retry or Catch handled (or a Fail state).'),
    countOf('executions.timedOut', 'timed out', e.timedOut, e.started, "Executions stopped by the state machine's TimeoutSeconds (Express: 5 minutes at most)."),
    time('durationMs.p50', 'duration p50', w.durationMs.p50, 'Median time from the start of a succeeded execution to its end.'),
    time('durationMs.p99', 'duration p99', w.durationMs.p99, '99th percentile of that time.'),
    count('transitions', 'state transitions', w.transitions, 'States entered plus retries: what a Standard workflow is billed for.'),
    count('retries', 'retries', w.retries, 'Retries made by the states\' Retry policies.'),
    ...w.states.map((s, i) =>
      count(`states.${i}.entered`, `${s.name} (${s.type}) entered`, s.entered, `Times state ${s.name} was entered; its retries ${int(s.retries)}, errors caught ${int(s.caught)}, errors that failed it ${int(s.failed)}.`),
    ),
    ...(w.type === 'EXPRESS'
      ? [
          count('expressRequests', 'Express requests', w.expressRequests, 'Executions started: what an Express workflow is billed per request for (on the whole bill).'),
          { key: 'expressGbS', label: 'Express GB-seconds', value: w.expressGbS, text: num(w.expressGbS, 1), meaning: 'Billed duration × memory (100 ms and 64 MB steps), on the whole bill.' },
        ]
      : []),
  ];
}

export function stepFunctionsCharts(): ChartSpec[] {
  return [
    {
      title: 'Do executions finish? Started, succeeded and failed per second; open executions',
      y: 'per second',
      y2: 'executions',
      series: [
        { key: 'started', label: 'started', perSecond: true },
        { key: 'succeeded', label: 'succeeded', perSecond: true },
        { key: 'failed', label: 'failed or timed out', perSecond: true },
        { key: 'open', label: 'open (end of interval)', right: true },
      ],
    },
  ];
}

export function stepFunctionsSummary(w: StepFunctionsWorkloadResult): string[] {
  const e = w.executions;
  if (e.started === 0) return [];
  const lost = e.failed + e.timedOut;
  const head = `${w.name}: ${int(e.started)} executions (${w.type}), p99 ${dur(w.durationMs.p99)}`;
  return [lost > 0 ? `${head}; ${int(e.failed)} failed and ${int(e.timedOut)} timed out, ${int(w.retries)} retries.` : `${head}; every ended execution succeeded.`];
}
