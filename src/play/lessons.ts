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
    question: 'With 20 provisioned environments, what happens to the cold-start share and to the cost per month?',
    lookFor:
      'Move provisioned concurrency from 0 to 20: the cold-start share on the function card drops and the latency chart\'s p99 comes down, while "where does the money go?" grows a provisioned-concurrency line that is paid whether used or not.',
    yaml: `name: what-pc-buys
description: a steady API whose slow init shows in its tail latency
seed: 3
duration: 5m
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
    arrivals: { poisson: 30/s }
`,
  },
  {
    id: 'sqs-vs-async',
    title: 'SQS vs async under an outage',
    question: 'A worker held to 5 environments fails 30% of its invocations, as when a service it calls is partly down. What becomes of the events sent asynchronously, and what if they went through an SQS queue instead?',
    lookFor:
      'With invocation model "asynchronous", events wait in Lambda\'s queue and are retried twice after errors; with "SQS queue" the messages stay in the queue and come back after the visibility timeout. Compare the workload cards (delivered, dead-lettered, still queued) and the queue-age charts.',
    yaml: `name: sqs-vs-async
description: events into a function that is slow to keep up
seed: 11
duration: 3m
functions:
  worker:
    memory: 512MB
    timeout: 20s
    reservedConcurrency: 5
    duration: { lognormal: { median: 400ms, p99: 2s } }
    errors: 0.3
workloads:
  - name: events
    function: worker
    invoke: async
    arrivals: { poisson: 15/s }
`,
  },
  {
    id: 'billing-100ms',
    title: 'Why 100 ms billing cost more',
    question: 'The handler takes about 25 ms. What does rounding each invocation up to 100 ms do to the duration line of the bill?',
    lookFor:
      'Switch billing granularity between 1 ms and 100 ms: the requests line stays, the duration line grows about fourfold (25 ms billed as 100 ms). Raise memory: both grow, since duration is billed per GB-second.',
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
