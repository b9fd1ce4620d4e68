/**
 * The playground's lessons (issue 20): each a starting scenario, a question, and what to look for. Their
 * scenarios are short so that a run redraws quickly; every number they use is a default or a choice the
 * lesson states (the AWS rules are in the controls and in docs/sources.md).
 */
export interface Lesson {
  id: string;
  title: string;
  question: string;
  lookFor: string;
  yaml: string;
}

export const LESSONS: Lesson[] = [
  {
    id: 'burst-throttle',
    title: 'Why did this burst throttle?',
    question: 'A quiet API gets a burst of 400 requests a second for 20 s. Why are some refused with 429, and which control makes them go away?',
    lookFor:
      'In "did concurrency reach a limit?" the concurrency flattens at the reserved concurrency line while the burst lasts, and "were requests served?" shows the throttles in the same seconds. Raise reserved concurrency (or set it to none) and they go; switch the caller to "SDK, no retries" and the callers lose more.',
    yaml: `name: burst-throttle
description: a burst above the function's reserved concurrency
seed: 7
duration: 2m
functions:
  api:
    memory: 512MB
    timeout: 10s
    reservedConcurrency: 50
    duration: { lognormal: { median: 120ms, p99: 800ms } }
workloads:
  - name: web
    function: api
    arrivals:
      - { poisson: 20/s }
      - { at: 40s, for: 20s, poisson: 400/s }
`,
  },
  {
    id: 'what-pc-buys',
    title: 'What does provisioned concurrency buy?',
    question: 'A burst of 200 requests a second for 20 s meets a function whose init takes about 900 ms. What do 25 provisioned environments do to the cold starts, the tail latency and the cost per month?',
    lookFor:
      'Move provisioned concurrency from 0 to 25: the cold-start share on the function card falls to a fraction, the p99 on the workload card and in the latency chart comes down, and "where does the money go?" gains a provisioned-concurrency line paid whether used or not (the month roughly doubles here). Try 10: too few for the burst, and PC also caps the function at 10 requests a second per provisioned environment, so the burst is throttled (429).',
    yaml: `name: what-pc-buys
description: a burst that needs new environments, with a slow init
seed: 3
duration: 3m
functions:
  api:
    memory: 1024MB
    timeout: 10s
    duration: { lognormal: { median: 80ms, p99: 600ms } }
    init: { lognormal: { median: 900ms, p99: 2s } }
    keepAlive: shilkov-5-7min-2021
workloads:
  - name: web
    function: api
    arrivals:
      - { poisson: 10/s }
      - { at: 60s, for: 20s, poisson: 200/s }
`,
  },
  {
    id: 'sqs-vs-async',
    title: 'SQS vs async under an outage',
    question: 'A dependency of the worker is down for a minute: every invocation fails from 1:00 to 2:00. What becomes of the events sent asynchronously, and what if they went through an SQS queue instead?',
    lookFor:
      'Async: the events that failed wait a minute for Lambda\'s first retry (1 min, then 2 min), so they show as "ok after retry" on the workload card and none is lost. Switch the invocation model to "SQS queue": a failed batch comes back after the 30 s visibility timeout, so messages are tried more often (failed deliveries), every one is deleted in the end, and batches of up to 10 mean fewer invocations on the function card.',
    yaml: `name: sqs-vs-async
description: a dependency down for a minute, behind an async invocation or an SQS queue
seed: 11
duration: 5m
functions:
  worker:
    memory: 512MB
    timeout: 20s
    duration: { lognormal: { median: 100ms, p99: 600ms } }
    errors: { rate: 0, windows: [{ at: 1m, for: 1m, rate: 1 }] }
workloads:
  - name: events
    function: worker
    invoke: async
    arrivals: { poisson: 20/s }
`,
  },
  {
    id: 'billing-100ms',
    title: 'Why 100 ms billing cost more',
    question: 'The handler takes about 25 ms. What does rounding each invocation up to 100 ms do to the duration line of the bill?',
    lookFor:
      'Switch billing granularity between 1 ms and 100 ms: the requests line stays, the duration line grows about 3.6-fold here (invocations of about 25–60 ms each billed as 100 ms). Raise memory: both grow, since duration is billed per GB-second.',
    yaml: `name: billing-100ms
description: short invocations, billed per 1 ms or per 100 ms
seed: 5
duration: 2m
billing: { granularity: 1ms, freeTier: false }
functions:
  api:
    memory: 256MB
    duration: { lognormal: { median: 25ms, p99: 60ms } }
workloads:
  - name: web
    function: api
    arrivals: { poisson: 100/s }
`,
  },
];
