/** The sync model in the HTML report and the headline: what callers saw. */
import { dur, int, pct } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { SyncWorkloadResult } from './types.js';
import { DOOR_LABELS } from './front-door-text.js';

export function syncCards(w: SyncWorkloadResult): CardFact[] {
  return [
    count('requests', 'requests', w.requests, 'Requests the callers made (first attempts), after the warm-up.'),
    countOf('succeeded', 'answered ok', w.succeeded, w.requests, 'Requests that got a successful response, after any retries.'),
    w.frontDoor
      ? countOf('throttled', 'throttled in the end', w.throttled, w.requests, `Requests whose last attempt was throttled, by the gateway (429) or by Lambda (${w.frontDoor.lambdaThrottleStatus} from the door): the caller got no answer.`)
      : countOf('throttled', 'throttled in the end', w.throttled, w.requests, 'Requests whose last attempt was refused with 429: the caller got no answer.'),
    w.frontDoor
      ? count('retries', 'caller retries', w.retries, "Attempts the door's callers added by their own policy (the door never retries).")
      : count('retries', 'SDK retries', w.retries, "Attempts the callers' SDK clients added after a throttle or a timeout."),
    count('functionErrorsAndTimeouts', 'function errors + timeouts', w.functionErrors + w.functionTimeouts, 'Responses that were an error or a function timeout.'),
    ...(w.clientTimeouts > 0 ? [count('clientTimeouts', 'client timeouts', w.clientTimeouts, 'Attempts the client gave up waiting for; the function ran on and billed.')] : []),
    time('latencyMs.p50', 'end to end p50', w.latencyMs.p50, 'Median time from the first attempt to the response, retries and backoff included.'),
    time('latencyMs.p99', 'end to end p99', w.latencyMs.p99, '99th percentile of that time: one request in a hundred waits longer.'),
    count('openAtEnd', 'open at the end', w.openAtEnd, 'Requests still in flight or waiting for a retry when the run ended.'),
    ...doorCards(w),
  ];
}

/** Issue 15: what the front door answered. */
function doorCards(w: SyncWorkloadResult): CardFact[] {
  const d = w.frontDoor;
  if (!d) return [];
  const label = DOOR_LABELS[d.door];
  return [
    count('frontDoor.doorRequests', `${label} requests`, d.doorRequests, `Requests the ${label} received, the callers' retries included (its bill counts those it did not throttle itself).`),
    count('frontDoor.gatewayThrottled', 'gateway 429s', d.gatewayThrottled.account + d.gatewayThrottled.stage, "Attempts API Gateway's own token buckets refused (account quota, stage or route throttle): Lambda never saw them."),
    count('frontDoor.lambdaThrottled', `Lambda throttles (→ ${d.lambdaThrottleStatus})`, d.lambdaThrottled, `Attempts Lambda refused; the caller saw ${d.lambdaThrottleStatus}, not Lambda's 429${d.lambdaThrottleStatus === 429 ? ' (a function URL passes it on)' : ''}.`),
    count('frontDoor.responses.502', '502 function errors', d.responses['502'] ?? 0, 'Answers where the function ran and failed or timed out.'),
    ...(d.integrationTimeoutMs !== null
      ? [
          count('frontDoor.outcomes.integrationTimeout', `504 after ${dur(d.integrationTimeoutMs)}`, d.outcomes.integrationTimeout, 'Requests the gateway stopped waiting for: the caller got 504.'),
          time('frontDoor.afterTimeout.workMs', 'work after the 504', d.afterTimeout.workMs, 'Function time spent after the gateway had answered 504: billed, and nobody got the result.'),
        ]
      : []),
  ];
}

export function syncCharts(w?: SyncWorkloadResult): ChartSpec[] {
  return [
    ...(w?.frontDoor
      ? [
          {
            title: `What did the ${DOOR_LABELS[w.frontDoor.door]} answer? Its own 429s and 5xx per second`,
            y: 'per second',
            series: [
              { key: 'gatewayThrottled', label: "gateway 429 (API Gateway's buckets)", perSecond: true },
              { key: 'serverErrors', label: '5xx (Lambda throttle 500, 502, 504)', perSecond: true },
            ],
          },
        ]
      : []),
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
  const head = `${w.name}: ${int(w.requests)} requests${w.frontDoor ? ` through the ${DOOR_LABELS[w.frontDoor.door]}` : ''}, p99 ${dur(w.latencyMs.p99)} end to end`;
  if (w.frontDoor) {
    const o = w.frontDoor.outcomes;
    const failed = w.requests - o.ok - w.openAtEnd;
    const parts = [
      [o.gatewayThrottled, 'refused by the gateway (429)'],
      [o.lambdaThrottled, `throttled by Lambda (${w.frontDoor.lambdaThrottleStatus} to the caller)`],
      [o.functionError, 'function errors (502)'],
      [o.integrationTimeout, 'integration timeouts (504)'],
      [o.payloadTooLarge, 'too large'],
      [o.callerTimeout, 'given up by the caller'],
    ] as const;
    const why = parts.filter(([n]) => n > 0).map(([n, what]) => `${int(n)} ${what}`).join(', ');
    return [failed > 0 ? `${head}; ${int(failed)} (${pct(failed / w.requests)}) failed: ${why}.` : `${head}; every request answered.`];
  }
  return [lost > 0 ? `${head}; ${int(w.throttled)} (${pct(w.throttleRate)}) throttled to the end${w.retries > 0 ? ` after ${int(w.retries)} SDK retries` : ''}, ${int(w.functionErrors + w.functionTimeouts)} errors or timeouts.` : `${head}; every request answered.`];
}
