/**
 * Memory buys CPU (docs/sources.md §7): a function gets memory / 1,769 MB of a
 * vCPU, at most 6. Work declared CPU-bound speeds up with that share;
 * single-threaded work stops speeding up at one full vCPU (1,769 MB) unless it
 * is declared parallel. This is what makes memory-size trade-offs meaningful.
 * The architecture changes the whole handler duration by the function's
 * `arm64Speed` (default 1: the same speed, an assumption).
 */
import type { CpuSpec } from '../scenario/types.js';

/** Memory that buys one vCPU (docs/sources.md §7). */
export const MB_PER_VCPU = 1769;
/** "Up to 6 vCPUs" (docs/sources.md §7; 10,240 MB gives 5.79 by the linear rule, §10 item 6). */
export const MAX_VCPU = 6;

/** CPU speed available to the handler at `memoryMb`, in vCPUs it can use. */
export function cpuSpeed(memoryMb: number, parallel: boolean): number {
  const vcpu = Math.min(memoryMb / MB_PER_VCPU, MAX_VCPU);
  return parallel ? vcpu : Math.min(vcpu, 1);
}

/**
 * Factor applied to handler durations measured at `cpu.measuredAtMb` when the
 * function runs at `memoryMb`: the CPU share scales with the speed ratio, the
 * rest (waiting on I/O) does not.
 */
export function durationScale(cpu: CpuSpec, memoryMb: number, architecture: 'x86_64' | 'arm64'): number {
  const memory = cpu.share === 0 ? 1 : 1 - cpu.share + (cpu.share * cpuSpeed(cpu.measuredAtMb, cpu.parallel)) / cpuSpeed(memoryMb, cpu.parallel);
  return memory * (architectureSpeed(cpu, cpu.measuredOn) / architectureSpeed(cpu, architecture));
}

/** The handler's speed on an architecture, relative to x86_64 (docs/sources.md §7 "Architecture and speed"). */
function architectureSpeed(cpu: CpuSpec, architecture: 'x86_64' | 'arm64'): number {
  return architecture === 'arm64' ? cpu.arm64Speed : 1;
}
