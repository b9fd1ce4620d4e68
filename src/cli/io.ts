/** What the CLI reads and writes through: the terminal's streams, the working directory, the clock (tests pass their own). */
export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
  /** Whether a terminal shows colours; Node's honours NO_COLOR, FORCE_COLOR and TERM=dumb. */
  hasColors?(env?: object): boolean;
}

/** Standard input: chunks of text or bytes (process.stdin, or a list in tests). */
export type Input = (AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) & { isTTY?: boolean };

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Read for `-` as a scenario and for `lsim init`'s prompt. */
  stdin?: Input;
  cwd: string;
  /** The environment (NO_COLOR, FORCE_COLOR); default process.env. */
  env?: Record<string, string | undefined>;
  /** Wall clock in ms for progress lines; default Date.now. */
  clock?: () => number;
}
