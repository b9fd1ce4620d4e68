/** The sync model in the HTML report and the headline: what callers saw. */
import { dur, int, pct } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { SyncWorkloadResult } from './types.js';

export function syncCards(w: SyncWorkloadResult): CardFact[] {
  return [
    count('requests', 'requests', w.requests, 'Requests the callers made (first attempts), after the warm-up.'),
    countOf('succeeded', 'answered ok', w.succeeded, w.requests, 'Requests that got a successful response, after any retries.'),
    countOf('throttled', 'throttled in the end', w.throttled, w.requests, 'Requests whose last attempt was refused with 429: the caller got no answer.'),
    count('retries', 'SDK retries', w.retries, "Attempts the callers' SDK clients added after a throttle or a timeout."),
    count('functionErrorsAndTimeouts', 'function errors + timeouts', w.functionErrors + w.functionTimeouts, 'Responses that were an error or a function timeout.'),
    ...(w.clientTimeouts > 0 ? [count('clientTimeouts', 'client timeouts', w.clientTimeouts, 'Attempts the client gave up waiting for; the function ran on and billed.')] : []),
    time('latencyMs.p50', 'end to end p50', w.latencyMs.p50, 'Median time from the first attempt to the response, retries and backoff included.'),
    time('latencyMs.p99', 'end to end p99', w.latencyMs.p99, '99th percentile of that time: one request in a hundred waits longer.'),
    count('openAtEnd', 'open at the end', w.openAtEnd, 'Requests still in flight or waiting for a retry when the run ended.'),
  ];
}

export function syncCharts(): ChartSpec[] {
  return [
    {
      title: 'Did callers get answers? Requests and final throttles per second',
      y: 'per second',
      series: [
        { key: 'requests', label: 'requests (first attempts)', perSecond: true },
        { key: 'throttled', label: 'throttled in the end (no answer)', perSecond: true },
      ],
    },
  ];
}

export function syncSummary(w: SyncWorkloadResult): string[] {
  if (w.requests === 0) return [];
  const lost = w.throttled + w.functionErrors + w.functionTimeouts;
  const head = `${w.name}: ${int(w.requests)} requests, p99 ${dur(w.latencyMs.p99)} end to end`;
  return [lost > 0 ? `${head}; ${int(w.throttled)} (${pct(w.throttleRate)}) throttled to the end${w.retries > 0 ? ` after ${int(w.retries)} SDK retries` : ''}, ${int(w.functionErrors + w.functionTimeouts)} errors or timeouts.` : `${head}; every request answered.`];
}
