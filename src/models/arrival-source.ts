/** An arrival process as an engine event source: the producers of any workload kind. */
import type { EventSource } from '../engine/simulator.js';
import type { ArrivalStream } from '../workload/arrivals.js';
import { Phase } from '../platform/platform.js';

export class ArrivalSource implements EventSource {
  nextTime: number;
  readonly phase = Phase.ARRIVAL;
  constructor(
    private readonly stream: ArrivalStream,
    private readonly onArrival: (tMs: number) => void,
  ) {
    this.nextTime = stream.next();
  }
  fire(): void {
    this.onArrival(this.nextTime);
    this.nextTime = this.stream.next();
  }
}
