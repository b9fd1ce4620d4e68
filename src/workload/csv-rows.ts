/**
 * A synchronous, chunked CSV row reader for trace files of any size.
 *
 * The simulator pulls arrivals synchronously, so a trace cannot be read with a
 * Node stream's asynchronous events. Instead the file is read in fixed chunks
 * (`fs.readSync`, 64 KiB: small enough that its records die young) and each chunk is fed to csv-parse's parser
 * synchronously (`Parser#api.parse(chunk, end, push, close)`, the very call its
 * stream `_transform` makes). The records of one chunk are kept in a small
 * queue and handed out one by one, so memory is one chunk plus its records,
 * whatever the size of the file: a 10 GB trace replays without being loaded.
 *
 * Every record comes with its line number (the line it ends on, 1-based) for
 * messages. Problems are {@link TraceFileError}s, which callers turn into
 * located `UserError`s.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Parser } from 'csv-parse';

/** A problem in a trace file, at a line when known. */
export class TraceFileError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'TraceFileError';
  }
}

/** The synchronous core of csv-parse's Parser (`lib/api/index.js`). */
interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number };
}

const CHUNK_BYTES = 1 << 16;

/** Why a file cannot be opened, in words. */
function openFailure(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'trace file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a trace file';
    default:
      return `cannot read the trace file (${(e as Error).message})`;
  }
}

/**
 * Reads a CSV file row by row: `next()` advances to the next non-empty record
 * (`row`, `line`) and returns false at the end of the file, after which the
 * file is closed. Fields are trimmed; rows may have any number of fields.
 */
export class CsvRows {
  /** The current record's fields. */
  row: string[] = [];
  /** The line the current record ends on (1-based). */
  line = 0;
  private fd: number;
  private readonly api: CsvApi;
  private readonly chunkBytes: number;
  private position = 0;
  private ended = false;
  private readonly rows: string[][] = [];
  private readonly lines: number[] = [];
  private head = 0;
  private readonly push: (record: string[]) => void;

  /** Opens `path`; throws a TraceFileError when it cannot be read or is not a regular file. */
  constructor(path: string, chunkBytes = CHUNK_BYTES) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      throw new TraceFileError(openFailure(e), undefined);
    }
    try {
      const stat = fstatSync(this.fd);
      if (!stat.isFile()) throw new TraceFileError(stat.isDirectory() ? 'is a directory, not a trace file' : 'is not a regular file', undefined);
    } catch (e) {
      closeSync(this.fd);
      throw e instanceof TraceFileError ? e : new TraceFileError(openFailure(e), undefined);
    }
    this.chunkBytes = chunkBytes;
    this.api = (new Parser({ bom: true, trim: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { api: CsvApi }).api;
    this.push = (record) => {
      this.rows.push(record);
      this.lines.push(this.api.info.lines);
    };
  }

  /** Advances to the next record; false at the end of the file. */
  next(): boolean {
    while (this.head === this.rows.length) {
      if (this.ended) return false;
      this.rows.length = 0;
      this.lines.length = 0;
      this.head = 0;
      this.fill();
    }
    this.row = this.rows[this.head];
    this.line = this.lines[this.head];
    this.head++;
    return true;
  }

  /** Closes the file early (reading stops, e.g. past the end of a time window). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
    this.ended = true;
    this.rows.length = 0;
    this.head = 0;
  }

  /** Reads one chunk and parses it (or ends the parse at the end of the file). */
  private fill(): void {
    // A fresh chunk each time: csv-parse keeps a view of an unfinished record's bytes.
    const buf = Buffer.allocUnsafe(this.chunkBytes);
    let n: number;
    try {
      n = readSync(this.fd, buf, 0, buf.length, this.position);
    } catch (e) {
      this.close();
      throw new TraceFileError(`cannot read the trace file (${(e as Error).message})`, undefined);
    }
    this.position += n;
    const err = n > 0 ? this.api.parse(buf.subarray(0, n), false, this.push, noop) : this.api.parse(undefined, true, this.push, noop);
    if (err !== undefined) {
      const line = this.api.info.lines;
      this.close();
      throw new TraceFileError(`not valid CSV: ${err.message.replace(/^Invalid (Record Length|Opening Quote|Closing Quote): /, '')}`, line);
    }
    if (n === 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.ended = true;
    }
  }
}

function noop(): void {}
