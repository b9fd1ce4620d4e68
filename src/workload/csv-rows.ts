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
 *
 * A row is at most {@link MAX_ROW_BYTES} (1 MiB): its fields' bytes plus one per
 * field (the separators). Without a bound, a file with no line break (a disk
 * image, a 10 GB file of NUL bytes, one line of hundreds of MB) would be
 * buffered whole by the parser as one unfinished record, memory growing for as
 * long as the file lasts. csv-parse's `max_record_size` stops a record whose
 * fields outgrow the bound at the byte; the fields of the unfinished record
 * (`api.state.record`, which that option does not count: a line of commas is
 * a million empty fields) are counted after every chunk, so the parser holds
 * at most the bound plus one chunk.
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
  /** The unfinished record: its fields so far, the bytes they hold (kept while `max_record_size` is set), the field being read. */
  state: { record: unknown[]; record_length: number; field: { length: number } };
}

const CHUNK_BYTES = 1 << 16;

/** The longest row read (1 MiB): a trace row is a few short fields; anything longer is not a trace. */
export const MAX_ROW_BYTES = 1 << 20;

/** The problem of a row or a line over {@link MAX_ROW_BYTES} at `line`, the previous row ending on `previous`. */
function tooLong(what: 'row' | 'line', line: number, previous: number): string {
  const most = `${MAX_ROW_BYTES.toLocaleString('en-US')} bytes (1 MiB)`;
  const from = line > previous + 1 ? ` (a quoted field from line ${previous + 1} on?)` : '';
  return what === 'row'
    ? `a row longer than ${most}, the most lsim reads in one row${from}; is this a CSV trace?`
    : `more than ${most} without a line break, the most lsim reads in one row; is this a CSV trace?`;
}

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
  /** The line the last record parsed ended on. */
  private lastLine = 0;
  /** Bytes read since the last line break (LF or CR). */
  private unbroken = 0;
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
    this.api = (
      new Parser({ bom: true, trim: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_ROW_BYTES }) as unknown as { api: CsvApi }
    ).api;
    this.push = (record) => {
      this.rows.push(record);
      this.lastLine = this.api.info.lines;
      this.lines.push(this.lastLine);
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
      if ((err as Error & { code?: string }).code === 'CSV_MAX_RECORD_SIZE') throw new TraceFileError(tooLong('row', line, this.lastLine), line);
      throw new TraceFileError(`not valid CSV: ${err.message.replace(/^Invalid (Record Length|Opening Quote|Closing Quote): /, '')}`, line);
    }
    // The bound, after every chunk: the bytes since the last line break (whatever they are: NULs, blanks
    // that trimming drops), and the unfinished record's fields with their bytes.
    if (n > 0) {
      const lastBreak = Math.max(buf.lastIndexOf(10, n - 1), buf.lastIndexOf(13, n - 1));
      this.unbroken = lastBreak < 0 ? this.unbroken + n : n - 1 - lastBreak;
    }
    const pending = this.api.state;
    const over = this.unbroken > MAX_ROW_BYTES ? 'line' : pending.record.length + pending.record_length + pending.field.length > MAX_ROW_BYTES ? 'row' : null;
    if (over !== null) {
      const line = this.api.info.lines;
      this.close();
      throw new TraceFileError(tooLong(over, line, this.lastLine), line);
    }
    if (n === 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.ended = true;
    }
  }
}

function noop(): void {}
