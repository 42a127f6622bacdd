// Progress of a multi-document run on a terminal: documents done, tokens/s, ETA — one updating line on
// a TTY (at most ten redraws a second), plain lines (at most one a second, and the last) when stderr goes
// to a file or a job log.

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
  private open = false;
  constructor(
    private readonly stream: ProgressStream,
    private readonly prefix = 'normscope: ',
    /** Least time between two writes (the last state is always written): a redraw per window would flood a terminal. */
    private readonly everyMs = stream.isTTY ? 100 : 1000,
  ) {}

  update(s: ProgressState): void {
    if (s.done < s.total && s.elapsedMs - this.last < this.everyMs) return;
    this.last = s.elapsedMs;
    const line = this.prefix + formatProgress(s);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.open = true;
    } else {
      this.stream.write(line + '\n');
    }
  }

  /** Ends the updating line, so whatever is written next starts on its own line. */
  end(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
