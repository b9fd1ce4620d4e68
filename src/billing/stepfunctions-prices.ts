/**
 * AWS Step Functions prices (issue 16 item 3), as data in the style of pricebook.ts: docs/sources.md
 * §13 "Step Functions pricing" ([SFN-PRICE] = https://aws.amazon.com/step-functions/pricing/, read
 * 2026-12-02), US East (N. Virginia). Kept in its own file so that the Lambda price books stay as
 * they are; src/models/stepfunctions/ prices a workload's executions with it.
 */
export interface StepFunctionsPrices {
  region: string;
  effectiveDate: string;
  /** Standard workflows: per state transition (retries included). §13 [SFN-PRICE]. */
  usdPerTransition: number;
  /** Standard workflows: free state transitions per month (does not expire). §13 [SFN-PRICE]. */
  freeTransitionsPerMonth: number;
  /** Express workflows: per execution started (request). §13 [SFN-PRICE]. */
  expressUsdPerRequest: number;
  /**
   * Express workflows: per GB-second of duration (rounded up to 100 ms, memory in 64 MB chunks), the
   * first tier (the first 1,000 K GB-hours a month); lsim does not walk the lower tiers above it. §13 [SFN-PRICE].
   */
  expressUsdPerGbS: number;
  /** Express duration is rounded up to this many ms, memory to this many MB. §13 [SFN-PRICE]. */
  expressGranularityMs: number;
  expressMemoryChunkMb: number;
  source: string;
}

export const STEP_FUNCTIONS_PRICES: StepFunctionsPrices = {
  region: 'us-east-1',
  effectiveDate: '2026-12-02',
  usdPerTransition: 0.025 / 1000, // §13 [SFN-PRICE]: $0.025 per 1,000 state transitions
  freeTransitionsPerMonth: 4000, // §13 [SFN-PRICE]
  expressUsdPerRequest: 1.0 / 1e6, // §13 [SFN-PRICE]: $1.00 per million requests
  expressUsdPerGbS: 0.00001667, // §13 [SFN-PRICE]: first 1,000 K GB-hours
  expressGranularityMs: 100, // §13 [SFN-PRICE]
  expressMemoryChunkMb: 64, // §13 [SFN-PRICE]
  source: 'docs/sources.md §13 [SFN-PRICE]',
};
