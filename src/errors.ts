/**
 * User-facing errors. Anything the user can fix (a bad scenario, a missing
 * file, a bad flag) is a UserError: the CLI prints its problems and exits with
 * code 2, without a stack trace. Any other exception is a bug and keeps its stack.
 */

/** One problem in an input file, located as precisely as known. */
export interface Problem {
  /** File the problem is in (as given by the user), if any. */
  file?: string;
  /** 1-based line and column, if known. */
  line?: number;
  column?: number;
  /** Key path inside the document, e.g. `functions.api.memory` or `workloads[0].arrivals[1].poisson`. */
  path?: string;
  /** What is wrong and, where possible, what would be right. */
  message: string;
}

export class UserError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[] | string) {
    const list = typeof problems === 'string' ? [{ message: problems }] : problems;
    super(list.map(formatProblem).join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }
}

/** `file:line:column: path: message`, leaving out what is unknown. */
export function formatProblem(p: Problem): string {
  let where = '';
  if (p.file) {
    where = p.file;
    if (p.line !== undefined) where += `:${p.line}`;
    if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  }
  const path = p.path ? `${p.path}: ` : '';
  return where ? `${where}: ${path}${p.message}` : `${path}${p.message}`;
}

/** Not a failure of lsim: the command did its work and ends with this exit code and one line (e.g. a sweep whose objectives nothing meets: 3). */
export class ExitStatus extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitStatus';
  }
}
