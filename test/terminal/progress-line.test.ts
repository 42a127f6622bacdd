import { describe, expect, it } from 'vitest';
import { ProgressLine, clock, formatProgress } from '../../electron/core/terminal/progress-line.js';

const state = { done: 12, total: 78, tokens: 18_340, bytesDone: 100, bytesTotal: 400, elapsedMs: 10_000 };

describe('formatProgress(state)', () => {
  it('documents, tokens/s, and an ETA from the bytes still to read', () => {
    expect(formatProgress(state)).toBe('12/78 documents · 1,834 tokens/s · ETA 0:30');
  });
  it('no ETA before the first document, "done" at the end', () => {
    expect(formatProgress({ ...state, done: 0, bytesDone: 0, tokens: 0 })).toBe('0/78 documents · 0 tokens/s · ETA –');
    expect(formatProgress({ ...state, done: 78, bytesDone: 400 })).toMatch(/78\/78 documents · .* · done$/);
  });
});

describe('clock(seconds)', () => {
  it('m:ss, h:mm:ss past an hour', () => {
    expect(clock(5)).toBe('0:05');
    expect(clock(754.4)).toBe('12:34');
    expect(clock(3 * 3600 + 61)).toBe('3:01:01');
  });
});

describe('ProgressLine', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
  };
  it('on a TTY rewrites one line at most ten times a second, always the last state, and ends it once', () => {
    const { out, stream } = sink(true);
    const line = new ProgressLine(stream);
    for (const ms of [0, 50, 99, 100, 150]) line.update({ ...state, elapsedMs: ms });
    line.update({ ...state, done: 78, elapsedMs: 160 });
    line.end();
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^\r\x1b\[2Knormscope: 12\/78 documents/);
    expect(out[2]).toMatch(/^\r\x1b\[2Knormscope: 78\/78 documents/);
    expect(out[3]).toBe('\n');
  });
  it('elsewhere writes plain lines at most once a second, and always the last', () => {
    const { out, stream } = sink(false);
    const line = new ProgressLine(stream);
    for (const ms of [0, 400, 900, 1100, 1500]) line.update({ ...state, elapsedMs: ms });
    line.update({ ...state, done: 78, elapsedMs: 1600 });
    line.end();
    expect(out.map((s) => s.includes('78/78'))).toEqual([false, false, true]);
    expect(out.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
  });
});

describe('ProgressLine.show(text, final, at)', () => {
  it('throttles any text on the clock given, writes a final text at once but never the same final text twice', () => {
    const out: string[] = [];
    const line = new ProgressLine({ isTTY: false, write: (s: string) => out.push(s) }, 'normscope: ', 1000);
    line.show('1/3 records copied', false, 0);
    line.show('2/3 records copied', false, 500);
    line.show('3/3 records copied', true, 600);
    line.show('3/3 records copied', true, 700);
    line.show('step two', false, 1700);
    expect(out).toEqual(['normscope: 1/3 records copied\n', 'normscope: 3/3 records copied\n', 'normscope: step two\n']);
  });
});

/** What a terminal shows after `writes`: \r goes back to the line's start, ESC[2K blanks the line, \n starts the next,
 * text overwrites from the cursor. */
function screen(writes: string[]): string[] {
  const lines = [''];
  let col = 0;
  for (const part of writes.join('').split(/(\r|\n|\x1b\[2K)/)) {
    const i = lines.length - 1;
    if (part === '\r') col = 0;
    else if (part === '\n') {
      lines.push('');
      col = 0;
    } else if (part === '\x1b[2K') lines[i] = ' '.repeat(lines[i]!.length);
    else {
      lines[i] = lines[i]!.slice(0, col).padEnd(col) + part + lines[i]!.slice(col + part.length);
      col += part.length;
    }
  }
  return lines.map((l) => l.trimEnd());
}

describe('ProgressLine.warn(text)', () => {
  const warning = 'the inference process stopped on a.txt (the inference worker stopped (exit SIGKILL)); restarted, running it again';
  it('on a TTY clears the progress line, writes the warning on a line of its own, and draws the progress again below it', () => {
    const out: string[] = [];
    const line = new ProgressLine({ isTTY: true, write: (s: string) => out.push(s) });
    line.update({ ...state, elapsedMs: 0 });
    line.warn(warning);
    line.update({ ...state, done: 13, elapsedMs: 500 });
    line.end();
    expect(screen(out)).toEqual([`normscope: ${warning}`, `normscope: ${formatProgress({ ...state, done: 13, elapsedMs: 500 })}`, '']);
    // what the warning written straight to the stream gave: both on one line
    expect(screen(['\r\x1b[2Knormscope: 12/78 documents', `normscope: ${warning}\n`])[0]).toBe(`normscope: 12/78 documentsnormscope: ${warning}`);
  });
  it('with no progress line showing, and off a TTY, writes a plain line', () => {
    for (const isTTY of [true, false]) {
      const out: string[] = [];
      const line = new ProgressLine({ isTTY, write: (s: string) => out.push(s) });
      line.warn(warning);
      expect(out).toEqual([`normscope: ${warning}\n`]);
    }
    const out: string[] = [];
    const line = new ProgressLine({ isTTY: false, write: (s: string) => out.push(s) });
    line.update({ ...state, elapsedMs: 0 });
    line.warn(warning);
    expect(out).toEqual([`normscope: ${formatProgress({ ...state, elapsedMs: 0 })}\n`, `normscope: ${warning}\n`]);
  });
});
