/**
 * The recommended configuration as infrastructure code (issue 18 item 6): the
 * settings lsim models, for every function and event source of the point's
 * scenario, as an AWS SAM template fragment, a CloudFormation fragment and
 * Terraform resources. Each is a starting point to paste: names come from the
 * scenario, the code, roles, queues and streams are placeholders the user's own
 * template already has (marked `…` or REPLACE_ME), and settings lsim does not model
 * (VPC, environment, permissions) are left out.
 *
 * Property names follow the AWS resource references (docs/sources.md §14):
 * AWS::Serverless::Function, AWS::Lambda::Function, AWS::Lambda::Alias
 * (ProvisionedConcurrencyConfig), AWS::Lambda::EventSourceMapping,
 * AWS::Lambda::EventInvokeConfig; the Terraform AWS provider's aws_lambda_function,
 * aws_lambda_provisioned_concurrency_config, aws_lambda_event_source_mapping and
 * aws_lambda_function_event_invoke_config.
 */
import type { FunctionSpec } from '../scenario/types.js';
import type { Scenario, WorkloadSpec } from '../models/index.js';

export interface ConfigSnippets {
  sam: string;
  cloudformation: string;
  terraform: string;
}

/** `image-resize` → `ImageResize` (a CloudFormation logical id: alphanumeric). */
function logicalId(name: string): string {
  const id = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Za-z]/.test(id) ? id : `F${id}`;
}

/** `image-resize` → `image_resize` (a Terraform name). */
function tfName(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_]+/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** The event source mapping settings of a queue- or stream-fed workload, by their CloudFormation names. */
function mappingProps(w: WorkloadSpec): Record<string, unknown> | null {
  if (w.invoke === 'sqs') {
    const s = w.sqs;
    return {
      BatchSize: s.batchSize,
      MaximumBatchingWindowInSeconds: seconds(s.maximumBatchingWindowMs),
      ...(s.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
      ...(s.maximumConcurrency !== null ? { ScalingConfig: { MaximumConcurrency: s.maximumConcurrency } } : {}),
      ...(s.provisioned ? { ProvisionedPollerConfig: { MinimumPollers: s.provisioned.minPollers, MaximumPollers: s.provisioned.maxPollers } } : {}),
    };
  }
  if (w.invoke === 'stream') {
    const s = w.stream;
    return {
      StartingPosition: 'LATEST',
      BatchSize: s.batchSize,
      MaximumBatchingWindowInSeconds: seconds(s.maximumBatchingWindowMs),
      ParallelizationFactor: s.parallelizationFactor,
      MaximumRetryAttempts: s.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: s.maximumRecordAgeMs < 0 ? -1 : seconds(s.maximumRecordAgeMs),
      BisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
      ...(s.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
      ...(s.tumblingWindowMs > 0 ? { TumblingWindowInSeconds: seconds(s.tumblingWindowMs) } : {}),
    };
  }
  return null;
}

/** What an SQS queue's own settings are (the queue resource, not the mapping). */
function queueNote(w: WorkloadSpec): string[] {
  if (w.invoke !== 'sqs') return [];
  const s = w.sqs;
  return [
    `queue of ${w.name}: VisibilityTimeout ${seconds(s.visibilityTimeoutMs)} s${s.maxReceiveCount !== null ? `, RedrivePolicy maxReceiveCount ${s.maxReceiveCount}` : ''}${s.fifo ? ', FifoQueue true' : ''}`,
  ];
}

function asyncProps(w: WorkloadSpec): Record<string, unknown> | null {
  if (w.invoke !== 'async') return null;
  return { MaximumRetryAttempts: w.async.maximumRetryAttempts, MaximumEventAgeInSeconds: seconds(w.async.maximumEventAgeMs) };
}

function pcNote(f: FunctionSpec): string[] {
  const p = f.provisionedPlan;
  if (!p) return [];
  return p.kind === 'schedule'
    ? [`${f.name}: provisioned concurrency on a schedule (${p.schedule.map((x) => `${x.value} at ${Math.round(x.atMs / 60000)} min`).join(', ')}): Application Auto Scaling scheduled actions, not emitted`]
    : [`${f.name}: provisioned concurrency by target tracking (target ${p.autoscaling?.target}, ${p.autoscaling?.min}–${p.autoscaling?.max}): an Application Auto Scaling policy, not emitted`];
}

/** YAML for the small values these fragments hold (numbers, booleans, strings, lists, maps). */
function yaml(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x)).join(', ')}]`;
  if (v !== null && typeof v === 'object') return '\n' + Object.entries(v).map(([k, x]) => `${pad}${k}: ${yaml(x, indent + 2)}`).join('\n');
  return scalar(v);
}

function scalar(v: unknown): string {
  return typeof v === 'string' && !/^[A-Za-z0-9_.:\-/!]+$/.test(v) ? JSON.stringify(v) : String(v);
}

function hcl(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(hcl).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const snake = (k: string) => k.replace(/InSeconds$/, '_in_seconds').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function configSnippets(s: Scenario, heading: string): ConfigSnippets {
  const notes = [...s.functions.flatMap(pcNote), ...s.workloads.flatMap(queueNote)];
  const header = (c: string) => [`${c} ${heading}`, `${c} The settings lsim modelled; code, roles, queues and streams are your template's own (REPLACE_ME).`, ...notes.map((n) => `${c} ${n}`)];
  const staticPc = (f: FunctionSpec) => (!f.provisionedPlan && f.provisionedConcurrency > 0 ? f.provisionedConcurrency : 0);
  const sources = (f: FunctionSpec) => s.workloads.filter((w) => w.functionName === f.name);

  // AWS SAM
  const sam: string[] = [...header('#'), 'Resources:'];
  for (const f of s.functions) {
    sam.push(`  ${logicalId(f.name)}:`, '    Type: AWS::Serverless::Function', '    Properties:');
    sam.push(`      FunctionName: ${scalar(f.name)}`, '      CodeUri: REPLACE_ME', '      Handler: REPLACE_ME', '      Runtime: REPLACE_ME');
    sam.push(`      MemorySize: ${f.memoryMb}`, `      Timeout: ${seconds(f.timeoutMs)}`, `      Architectures: [${f.architecture}]`);
    if (f.ephemeralStorageMb !== 512) sam.push(`      EphemeralStorage: { Size: ${f.ephemeralStorageMb} }`);
    if (f.reservedConcurrency !== null) sam.push(`      ReservedConcurrentExecutions: ${f.reservedConcurrency}`);
    if (staticPc(f)) sam.push('      AutoPublishAlias: live', `      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: ${staticPc(f)} }`);
    for (const w of sources(f)) {
      const a = asyncProps(w);
      if (a) sam.push(`      EventInvokeConfig:${yaml(a, 8)}`);
    }
    const events = sources(f).filter((w) => mappingProps(w));
    if (events.length) {
      sam.push('      Events:');
      for (const w of events) {
        const kind = w.invoke === 'sqs' ? 'SQS' : w.invoke === 'stream' && w.stream.source === 'dynamodb' ? 'DynamoDB' : 'Kinesis';
        const ref = kind === 'SQS' ? 'Queue' : 'Stream';
        sam.push(`        ${logicalId(w.name)}:`, `          Type: ${kind}`, '          Properties:', `            ${ref}: REPLACE_ME`);
        sam.push(yaml(mappingProps(w), 12).slice(1));
      }
    }
  }

  // CloudFormation
  const cfn: string[] = [...header('#'), 'Resources:'];
  for (const f of s.functions) {
    const id = logicalId(f.name);
    cfn.push(`  ${id}:`, '    Type: AWS::Lambda::Function', '    Properties:');
    cfn.push(`      FunctionName: ${scalar(f.name)}`, '      Role: REPLACE_ME', '      Code: REPLACE_ME', '      Handler: REPLACE_ME', '      Runtime: REPLACE_ME');
    cfn.push(`      MemorySize: ${f.memoryMb}`, `      Timeout: ${seconds(f.timeoutMs)}`, `      Architectures: [${f.architecture}]`);
    if (f.ephemeralStorageMb !== 512) cfn.push(`      EphemeralStorage: { Size: ${f.ephemeralStorageMb} }`);
    if (f.reservedConcurrency !== null) cfn.push(`      ReservedConcurrentExecutions: ${f.reservedConcurrency}`);
    if (staticPc(f)) {
      cfn.push(`  ${id}Version:`, '    Type: AWS::Lambda::Version', `    Properties: { FunctionName: !Ref ${id} }`);
      cfn.push(`  ${id}Live:`, '    Type: AWS::Lambda::Alias', '    Properties:', `      FunctionName: !Ref ${id}`, `      FunctionVersion: !GetAtt ${id}Version.Version`, '      Name: live');
      cfn.push(`      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: ${staticPc(f)} }`);
    }
    for (const w of sources(f)) {
      const a = asyncProps(w);
      if (a) cfn.push(`  ${logicalId(w.name)}InvokeConfig:`, '    Type: AWS::Lambda::EventInvokeConfig', '    Properties:', `      FunctionName: !Ref ${id}`, '      Qualifier: $LATEST', yaml(a, 6).slice(1));
      const m = mappingProps(w);
      if (m) cfn.push(`  ${logicalId(w.name)}Mapping:`, '    Type: AWS::Lambda::EventSourceMapping', '    Properties:', `      FunctionName: !Ref ${id}`, '      EventSourceArn: REPLACE_ME', yaml(m, 6).slice(1));
    }
  }

  // Terraform
  const tf: string[] = header('#');
  for (const f of s.functions) {
    const n = tfName(f.name);
    tf.push('', `resource "aws_lambda_function" "${n}" {`, `  function_name = ${hcl(f.name)}`, '  role          = "REPLACE_ME"', '  handler       = "REPLACE_ME"', '  runtime       = "REPLACE_ME"', '  filename      = "REPLACE_ME"');
    tf.push(`  memory_size   = ${f.memoryMb}`, `  timeout       = ${seconds(f.timeoutMs)}`, `  architectures = [${hcl(f.architecture)}]`);
    if (f.ephemeralStorageMb !== 512) tf.push(`  ephemeral_storage {`, `    size = ${f.ephemeralStorageMb}`, '  }');
    if (f.reservedConcurrency !== null) tf.push(`  reserved_concurrent_executions = ${f.reservedConcurrency}`);
    if (staticPc(f)) tf.push('  publish = true');
    tf.push('}');
    if (staticPc(f)) {
      tf.push('', `resource "aws_lambda_alias" "${n}_live" {`, '  name             = "live"', `  function_name    = aws_lambda_function.${n}.function_name`, `  function_version = aws_lambda_function.${n}.version`, '}');
      tf.push('', `resource "aws_lambda_provisioned_concurrency_config" "${n}" {`, `  function_name                     = aws_lambda_function.${n}.function_name`, `  qualifier                         = aws_lambda_alias.${n}_live.name`, `  provisioned_concurrent_executions = ${staticPc(f)}`, '}');
    }
    for (const w of sources(f)) {
      const a = asyncProps(w);
      if (a) {
        tf.push('', `resource "aws_lambda_function_event_invoke_config" "${tfName(w.name)}" {`, `  function_name = aws_lambda_function.${n}.function_name`);
        for (const [k, v] of Object.entries(a)) tf.push(`  ${snake(k)} = ${hcl(v)}`);
        tf.push('}');
      }
      const m = mappingProps(w);
      if (m) {
        tf.push('', `resource "aws_lambda_event_source_mapping" "${tfName(w.name)}" {`, `  function_name    = aws_lambda_function.${n}.arn`, '  event_source_arn = "REPLACE_ME"');
        for (const [k, v] of Object.entries(m)) {
          if (k === 'ScalingConfig') tf.push('  scaling_config {', `    maximum_concurrency = ${(v as { MaximumConcurrency: number }).MaximumConcurrency}`, '  }');
          else if (k === 'ProvisionedPollerConfig') {
            const p = v as { MinimumPollers: number; MaximumPollers: number };
            tf.push('  provisioned_poller_config {', `    minimum_pollers = ${p.MinimumPollers}`, `    maximum_pollers = ${p.MaximumPollers}`, '  }');
          } else tf.push(`  ${snake(k)} = ${hcl(v)}`);
        }
        tf.push('}');
      }
    }
  }
  return { sam: sam.join('\n') + '\n', cloudformation: cfn.join('\n') + '\n', terraform: tf.join('\n') + '\n' };
}
