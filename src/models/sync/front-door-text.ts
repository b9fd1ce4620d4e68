/** The front doors in the terminal report and in `lsim explain` (issue 15; front-door.ts). */
import { dur, int, pct, table } from '../../format.js';
import type { TraceEvent } from '../../metrics/trace.js';
import type { ResultView } from '../model.js';
import type { DoorName, SyncWorkloadResult, SyncWorkloadSpec } from './types.js';

export const DOOR_LABELS: Record<DoorName, string> = {
  sdk: 'SDK',
  'apigw-rest': 'REST API',
  'apigw-http': 'HTTP API',
  'function-url': 'function URL',
};

/** The section: what each door answered, its throttles apart from Lambda's, and the work after a 504. */
export function frontDoorSection(r: ResultView): string[] {
  const list = r.workloads.filter((w): w is SyncWorkloadResult & Required<Pick<SyncWorkloadResult, 'frontDoor'>> => w.invoke === 'sync' && (w as SyncWorkloadResult).frontDoor !== undefined);
  if (list.length === 0) return [];
  const codes = [...new Set(list.flatMap((w) => Object.keys(w.frontDoor.responses)))].sort();
  const after = list.some((w) => w.frontDoor.afterTimeout.invocations > 0);
  return [
    '',
    'Front doors: what the door answered (every attempt), its own throttles apart from Lambda\'s',
    table(
      ['name', 'door', 'door requests', ...codes, 'gateway 429', 'Lambda throttled', 'overhead'],
      list.map((w) => {
        const d = w.frontDoor;
        const g = d.gatewayThrottled.account + d.gatewayThrottled.stage;
        return [
          w.name,
          DOOR_LABELS[d.door],
          int(d.doorRequests),
          ...codes.map((c) => int(d.responses[c] ?? 0)),
          d.gatewayThrottled.stage > 0 ? `${int(g)} (stage ${int(d.gatewayThrottled.stage)})` : int(g),
          `${int(d.lambdaThrottled)} → ${d.lambdaThrottleStatus}`,
          dur(d.overheadMs),
        ];
      }),
    ),
    '',
    'Front doors: how each request ended (latency above includes the door\'s overhead)',
    table(
      ['name', 'requests', 'ok', 'gateway 429', 'Lambda throttled', 'fn error 502', 'timeout 504', 'too large', 'caller gave up', 'open'],
      list.map((w) => {
        const o = w.frontDoor.outcomes;
        return [w.name, int(w.requests), `${int(o.ok)} (${pct(w.requests > 0 ? o.ok / w.requests : 0)})`, int(o.gatewayThrottled), int(o.lambdaThrottled), int(o.functionError), int(o.integrationTimeout), int(o.payloadTooLarge), int(o.callerTimeout), int(w.openAtEnd)];
      }),
    ),
    ...(after
      ? [
          '',
          'Work after a 504: invocations the gateway had stopped waiting for ran on and billed',
          table(
            ['name', 'timeout', 'invocations', 'work after the 504'],
            list.filter((w) => w.frontDoor.afterTimeout.invocations > 0).map((w) => [w.name, dur(w.frontDoor.integrationTimeoutMs ?? 0), int(w.frontDoor.afterTimeout.invocations), dur(w.frontDoor.afterTimeout.workMs)]),
          ),
        ]
      : []),
  ];
}

/** `lsim explain`: a door's steps as sentences; undefined for the platform's and the SDK's wording. */
export function describeDoorStep(e: TraceEvent, w: SyncWorkloadSpec): string | undefined {
  if (!w.via) return undefined;
  const door = DOOR_LABELS[w.via.door];
  switch (e.type) {
    case 'arrival':
      return `arrives at the ${door}; attempt 1`;
    case 'door-throttle':
      return `attempt ${e.attempt ?? '?'}: the ${door} refuses it (429, ${e.reason === 'account' ? "API Gateway's account-level quota" : 'the stage or route throttle'}); Lambda never sees it`;
    case 'throttle':
      return `attempt ${e.attempt ?? '?'}: Lambda throttles the invocation (${e.reason}); the ${door} answers ${w.via.door === 'function-url' ? '429' : '500'}`;
    case 'door-retry':
      return `the caller retries the ${e.status} after ${dur(e.delayMs ?? 0)} (its own policy): attempt ${e.attempt}`;
    case 'done':
      if (e.outcome === 'client-timeout') return `the caller stops waiting before the ${door} answers, and gives up`;
      return `the ${door} answers ${e.status}: ${DONE_WORDS[e.outcome ?? ''] ?? e.outcome}`;
    default:
      return undefined;
  }
}

const DONE_WORDS: Record<string, string> = {
  ok: 'the response',
  'gateway-throttled': 'throttled at the door, the caller gives up',
  'lambda-throttled': 'Lambda throttled it, the caller gives up',
  'function-error': 'the function failed or timed out',
  'integration-timeout': 'the integration timeout passed; the function runs on and bills',
  'payload-too-large': 'the payload is over the limit',
  'client-timeout': 'no answer: the caller gave up waiting',
};
