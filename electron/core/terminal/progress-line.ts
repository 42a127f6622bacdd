// The one progress reporter of every command (analyze, a corpus run, merge, export, pull): one updating line
// `normscope: <text>` on a TTY (at most ten redraws a second), plain lines (at most one a second, and always the
// last state or a new step) when stderr goes to a file or a job log. Each command formats its own text.

export interface ProgressState {
  done: number;
  total: number;
  tokens: number;
  /** Bytes of the documents finished, and of all documents: the ETA's measure of work (known before any tokenizing). */
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

/** `12/78 documents · 1,834 tokens/s · ETA 0:21` */
export function formatProgress(s: ProgressState): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.tokens / seconds) : 0;
  const eta = s.done >= s.total ? 'done' : s.bytesDone > 0 ? `ETA ${clock((seconds * (s.bytesTotal - s.bytesDone)) / s.bytesDone)}` : 'ETA –';
  return `${s.done}/${s.total} documents · ${rate.toLocaleString('en-US')} tokens/s · ${eta}`;
}

/** m:ss, or h:mm:ss past an hour. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class ProgressLine {
  private last = -Infinity;
  private lastText = '';
  private open = false;
  constructor(
    private readonly stream: ProgressStream,
    private readonly prefix = 'normscope: ',
    /** Least time between two writes (the last state is always written): a redraw per window would flood a terminal. */
    private readonly everyMs = stream.isTTY ? 100 : 1000,
  ) {}

  /** Shows `text`. A `final` text (the last state, a new step) is always written; others at most once per `everyMs`
   * of `at` (milliseconds on any clock that only goes forward; the wall clock by default). */
  show(text: string, final = false, at = Date.now()): void {
    if (final ? text === this.lastText : at - this.last < this.everyMs) return;
    this.last = at;
    this.lastText = text;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${this.prefix}${text}`);
      this.open = true;
    } else {
      this.stream.write(this.prefix + text + '\n');
    }
  }

  /** A multi-document run's state (formatProgress), on the run's own clock. */
  update(s: ProgressState): void {
    this.show(formatProgress(s), s.done >= s.total, s.elapsedMs);
  }

  /** A line of its own while the progress line may be showing (a warning, a note): on a TTY the progress line is cleared
   * first and drawn again below it, so the two never share a line. */
  warn(text: string): void {
    if (!this.open) {
      this.stream.write(this.prefix + text + '\n');
      return;
    }
    this.stream.write(`\r\x1b[2K${this.prefix}${text}\n${this.prefix}${this.lastText}`);
  }

  /** Ends the updating line, so whatever is written next starts on its own line. */
  end(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
