// The recommended configuration as infrastructure code (issue 18 item 6): every setting lsim models, by
// the property names of AWS SAM, CloudFormation and Terraform's AWS provider, and valid YAML.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { configSnippets } from '../../src/plan/config.js';
import { parseScenario } from '../../src/scenario/load.js';
import { main } from '../../src/cli/main.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const text = `name: shop
duration: 20s
functions:
  api:
    memory: 1024MB
    architecture: arm64
    timeout: 10s
    reservedConcurrency: 50
    provisionedConcurrency: 5
    duration: 50ms
  worker:
    memory: 512MB
    timeout: 1m
    duration: 100ms
  mailer:
    memory: 256MB
    duration: 100ms
  clicks:
    memory: 128MB
    duration: 20ms
workloads:
  - function: api
    arrivals: { poisson: 5/s }
  - name: jobs
    function: worker
    invoke: sqs
    arrivals: { poisson: 5/s }
    sqs: { batchSize: 100, maximumBatchingWindow: 2s, reportBatchItemFailures: true, maximumConcurrency: 5, maxReceiveCount: 3, visibilityTimeout: 6m }
  - name: mail
    function: mailer
    invoke: async
    arrivals: { poisson: 1/s }
    async: { maximumRetryAttempts: 1, maximumEventAge: 1h }
  - name: clickstream
    function: clicks
    invoke: stream
    arrivals: { poisson: 10/s }
    stream: { shards: 2, batchSize: 500, parallelizationFactor: 4, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true }
`;
const c = configSnippets(parseScenario(text, 'shop.yaml'), 'the test');

describe('configuration snippets', () => {
  it('SAM: the function settings, provisioned concurrency on an alias, event invoke config and the event sources', () => {
    expect(parseDocument(c.sam, { customTags: [] }).errors).toEqual([]);
    const doc = parseDocument(c.sam).toJS() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
    const api = doc.Resources.Api.Properties;
    expect(doc.Resources.Api.Type).toBe('AWS::Serverless::Function');
    expect([api.MemorySize, api.Timeout, api.Architectures, api.ReservedConcurrentExecutions, api.AutoPublishAlias]).toEqual([1024, 10, ['arm64'], 50, 'live']);
    expect(api.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 5 });
    expect(doc.Resources.Worker.Properties.Events.Jobs).toEqual({
      Type: 'SQS',
      Properties: { Queue: 'REPLACE_ME', BatchSize: 100, MaximumBatchingWindowInSeconds: 2, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } },
    });
    expect(doc.Resources.Mailer.Properties.EventInvokeConfig).toEqual({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
    expect(doc.Resources.Clicks.Properties.Events.Clickstream.Properties).toMatchObject({ BatchSize: 500, ParallelizationFactor: 4, MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: true });
    expect(c.sam).toMatch(/^# queue of jobs: VisibilityTimeout \d+ s, RedrivePolicy maxReceiveCount 3$/m);
  });

  it('CloudFormation: Lambda resources with a version and alias for PC, a mapping per event source', () => {
    const doc = parseDocument(c.cloudformation, { logLevel: 'silent' });
    expect(doc.errors).toEqual([]);
    const r = doc.toJS() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(Object.entries(r.Resources).map(([k, v]) => `${k} ${v.Type}`)).toEqual([
      'Api AWS::Lambda::Function',
      'ApiVersion AWS::Lambda::Version',
      'ApiLive AWS::Lambda::Alias',
      'Worker AWS::Lambda::Function',
      'JobsMapping AWS::Lambda::EventSourceMapping',
      'Mailer AWS::Lambda::Function',
      'MailInvokeConfig AWS::Lambda::EventInvokeConfig',
      'Clicks AWS::Lambda::Function',
      'ClickstreamMapping AWS::Lambda::EventSourceMapping',
    ]);
    expect(r.Resources.ApiLive.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 5 });
    expect(r.Resources.Worker.Properties.Timeout).toBe(60);
  });

  it('Terraform: the provider’s resource and argument names', () => {
    expect(c.terraform).toContain('resource "aws_lambda_function" "api" {');
    expect(c.terraform).toMatch(/  reserved_concurrent_executions = 50\n  publish = true\n}/);
    expect(c.terraform).toMatch(/resource "aws_lambda_provisioned_concurrency_config" "api" \{[^}]*provisioned_concurrent_executions = 5\n\}/);
    expect(c.terraform).toMatch(/resource "aws_lambda_event_source_mapping" "jobs" \{[^]*batch_size = 100\n  maximum_batching_window_in_seconds = 2\n  function_response_types = \["ReportBatchItemFailures"\]\n  scaling_config \{\n    maximum_concurrency = 5\n  \}\n\}/);
    expect(c.terraform).toMatch(/resource "aws_lambda_function_event_invoke_config" "mail" \{[^}]*maximum_retry_attempts = 1\n  maximum_event_age_in_seconds = 3600\n\}/);
    expect(c.terraform).toMatch(/parallelization_factor = 4\n  maximum_retry_attempts = 3\n  maximum_record_age_in_seconds = -1\n  bisect_batch_on_function_error = true/);
    // Balanced braces: every block closes.
    expect((c.terraform.match(/\{/g) ?? []).length).toBe((c.terraform.match(/\}/g) ?? []).length);
  });

  it('lsim sweep writes the recommendation’s, and refuses when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-config-'));
    writeFileSync(join(dir, 'shop.yaml'), text);
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir };
    expect(await main(['sweep', 'shop.yaml', '--vary', 'functions.api.memory=512MB,2048MB', '-j', '1', '--format', 'sam', '--out', 'out'], io)).toBe(0);
    expect(stdout).toMatch(/^# lsim sweep shop\.yaml: the recommendation #0 memory=512MB /);
    expect(stdout).toMatch(/^ {6}MemorySize: 512$/m);
    expect(readFileSync(join(dir, 'out', 'recommended.tf'), 'utf8')).toMatch(/memory_size   = 512/);
    stdout = '';
    expect(await main(['sweep', 'shop.yaml', '--vary', 'functions.api.memory=512MB,2048MB', '-j', '1', '--format', 'terraform', '--objective', 'p99<=1ms'], io)).toBe(2);
    expect(stderr).toMatch(/--format terraform: no configuration meets the objectives, so there is none to write/);
  }, 60_000);
});
