// Append-only files of checksummed records, each acknowledged only after write + fsync: JSON Lines (results.jsonl:
// each line `{"crc32":"<8 hex>","record":<JSON>}`) and binary frames (taps.bin, taps-frame.ts). Append-only because a
// torn append can only damage the last record (earlier ones are never rewritten); a reader skips any record whose
// checksum fails instead of losing the file; plain files stay portable (cluster file systems, no native database).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDirectory, writeFailure } from '../../fs/atomic.js';
import { FRAME_HEADER, FRAME_MAGIC, MAX_PAYLOAD, unframeTaps } from './taps-frame.js';

/** Where a record sits in its file, so big records can stay on disk until asked for. */
export interface RecordSpan {
  offset: number;
  length: number;
}

export interface ScanReport {
  /** Records read and passed to the visitor. */
  records: number;
  /** Complete lines whose checksum or JSON failed (skipped, never fatal). */
  corrupt: number;
  /** Bytes after the last newline: an append cut short by a crash. */
  tornBytes: number;
  /** Offset just past the last complete line: where the next append must start. */
  end: number;
}

const PREFIX = '{"crc32":"';
const MIDDLE = '","record":';

/** One record as one line. */
export function frameRecord(record: unknown): string {
  const json = JSON.stringify(record);
  return `${PREFIX}${crcHex(json)}${MIDDLE}${json}}\n`;
}

/** The record of one line (without its newline), or undefined when the line is damaged. */
export function parseFramedLine(line: string): unknown {
  const head = PREFIX.length + 8 + MIDDLE.length;
  if (!line.startsWith(PREFIX) || line.slice(PREFIX.length + 8, head) !== MIDDLE || !line.endsWith('}')) return undefined;
  const json = line.slice(head, -1);
  if (crcHex(json) !== line.slice(PREFIX.length, PREFIX.length + 8)) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function crcHex(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}

/** A log to scan, opened for reading; null when it does not exist yet (it has no records). */
async function openLog(file: string): Promise<fsp.FileHandle | null> {
  try {
    return await fsp.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Reads every intact record of `file` in order (a missing file has none), awaiting `between` after each chunk's records
 * when given (to write out what the visits queued). */
export async function scanRecords(file: string, visit: (record: unknown, span: RecordSpan) => void, between?: () => Promise<void>): Promise<ScanReport> {
  const report: ScanReport = { records: 0, corrupt: 0, tornBytes: 0, end: 0 };
  const handle = await openLog(file);
  if (!handle) return report;
  try {
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    const chunk = Buffer.alloc(1 << 20);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const buf = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let from = 0;
      for (let nl = buf.indexOf(10, from); nl >= 0; nl = buf.indexOf(10, from)) {
        const span = { offset: carryOffset + from, length: nl + 1 - from };
        const record = parseFramedLine(buf.toString('utf8', from, nl));
        if (record === undefined) report.corrupt++;
        else {
          report.records++;
          visit(record, span);
        }
        from = nl + 1;
      }
      carryOffset += from;
      carry = Buffer.from(buf.subarray(from));
      await between?.();
    }
    report.end = carryOffset;
    report.tornBytes = carry.length;
    return report;
  } finally {
    await handle.close();
  }
}

/** The line at `span` (as scanRecords or append reported it), without its newline; undefined if it is not there whole. */
export async function readLineAt(file: string, span: RecordSpan, files?: OpenFiles): Promise<string | undefined> {
  const buf = await readBytesAt(file, span, files);
  if (!buf || buf[span.length - 1] !== 10) return undefined;
  return buf.toString('utf8', 0, span.length - 1);
}

/** The record at `span`; undefined if it no longer checks out. */
export async function readRecordAt(file: string, span: RecordSpan, files?: OpenFiles): Promise<unknown> {
  const line = await readLineAt(file, span, files);
  return line === undefined ? undefined : parseFramedLine(line);
}

/** The writing end of one record file; one process at a time (the store's lock sees to that). */
export class RecordLog {
  private constructor(
    readonly file: string,
    private handle: fsp.FileHandle,
    private size: number,
  ) {}

  /** Opens `file` for appending after cutting off a torn last line, so the next record starts on a line of its own. */
  static async open(file: string, end: number): Promise<RecordLog> {
    const existed = fs.existsSync(file);
    const handle = await fsp.open(file, existed ? 'r+' : 'w+');
    try {
      const { size } = await handle.stat();
      if (size !== end) {
        await handle.truncate(end);
        await handle.sync();
      }
      if (!existed) await syncDirectory(path.dirname(file));
    } catch (e) {
      await handle.close();
      throw e;
    }
    return new RecordLog(file, handle, end);
  }

  /** Writes one record and returns once it is on disk (fsync), with where it lies. */
  append(record: unknown): Promise<RecordSpan> {
    return this.appendLine(frameRecord(record));
  }

  /** Writes one line that frameRecord made (possibly on another thread), durably. */
  appendLine(line: string): Promise<RecordSpan> {
    return this.appendBytes(Buffer.from(line, 'utf8'));
  }

  /** Writes one whole record (a line, or a binary frame) and returns once it is on disk (fsync), with where it lies. */
  async appendBytes(bytes: Uint8Array): Promise<RecordSpan> {
    const offset = this.size;
    try {
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, offset + done);
        done += bytesWritten;
      }
      await this.handle.sync();
    } catch (e) {
      throw writeFailure(this.file, e);
    }
    this.size = offset + bytes.length;
    return { offset, length: bytes.length };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

// Binary frames (taps.bin): magic · u32 length · u32 CRC-32 of (length bytes ‖ payload) · payload. A frame that fails
// is skipped by searching for the next magic whose frame checks out; bytes after the last good frame with no good frame
// after them are a torn tail.

/** Reads every intact frame of `file` in order, passing each payload and where its frame lies (a missing file has none). */
export async function scanFrames(file: string, visit: (payload: Buffer, span: RecordSpan) => void): Promise<ScanReport> {
  const report: ScanReport = { records: 0, corrupt: 0, tornBytes: 0, end: 0 };
  const handle = await openLog(file);
  if (!handle) return report;
  try {
    const { size } = await handle.stat();
    const reader = new ChunkReader(handle, size);
    let pos = 0;
    while (pos < size) {
      const payload = await reader.frameAt(pos);
      if (payload) {
        const length = FRAME_HEADER + payload.length;
        visit(payload, { offset: pos, length });
        report.records++;
        pos += length;
        continue;
      }
      const next = await reader.nextFrame(pos + 1);
      if (next < 0) {
        report.tornBytes = size - pos;
        break;
      }
      report.corrupt++;
      pos = next;
    }
    report.end = pos;
    return report;
  } finally {
    await handle.close();
  }
}

/** Positional reads through a window of the file, for scanning frames without one read per field. */
class ChunkReader {
  private buf = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly handle: fsp.FileHandle,
    private readonly size: number,
  ) {}

  private async bytes(offset: number, length: number): Promise<Buffer | undefined> {
    if (offset + length > this.size) return undefined;
    if (offset < this.start || offset + length > this.start + this.buf.length) {
      const want = Math.min(Math.max(length, 4 << 20), this.size - offset);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await this.handle.read(buf, 0, want, offset);
      if (bytesRead < length) return undefined;
      this.buf = buf.subarray(0, bytesRead);
      this.start = offset;
    }
    return this.buf.subarray(offset - this.start, offset - this.start + length);
  }

  /** The payload of an intact frame starting at `offset`, else undefined. */
  async frameAt(offset: number): Promise<Buffer | undefined> {
    const head = await this.bytes(offset, FRAME_HEADER);
    if (!head || !head.subarray(0, 4).equals(FRAME_MAGIC)) return undefined;
    const length = head.readUInt32LE(4);
    if (length > MAX_PAYLOAD || offset + FRAME_HEADER + length > this.size) return undefined;
    const crc = head.readUInt32LE(8);
    const lengthBytes = Buffer.from(head.subarray(4, 8));
    const payload = await this.bytes(offset + FRAME_HEADER, length);
    if (!payload || crc32(payload, crc32(lengthBytes)) !== crc) return undefined;
    return payload;
  }

  /** Offset of the first intact frame at or after `from`, or −1. */
  async nextFrame(from: number): Promise<number> {
    for (let pos = from; pos + FRAME_HEADER <= this.size; ) {
      const window = await this.bytes(pos, Math.min(1 << 20, this.size - pos));
      if (!window) return -1;
      const hit = window.indexOf(FRAME_MAGIC);
      if (hit < 0) {
        pos += Math.max(1, window.length - 3);
        continue;
      }
      if (await this.frameAt(pos + hit)) return pos + hit;
      pos += hit + 1;
    }
    return -1;
  }
}

/** The payload of the frame at `span`; undefined if it is not there whole or fails its checksum. */
export async function readFrameAt(file: string, span: RecordSpan, files?: OpenFiles): Promise<Buffer | undefined> {
  const frame = await readBytesAt(file, span, files);
  return frame && unframeTaps(frame);
}

/**
 * Files held open for a pass of many reads (an open and a close per record were a tenth of a 10⁵-document summary),
 * then closed: never held between passes, where a long-lived descriptor would keep Windows from replacing the file.
 */
export class OpenFiles {
  private readonly fds = new Map<string, number>();

  fd(file: string): number {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fd = fs.openSync(file, 'r');
      this.fds.set(file, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

/**
 * The bytes at `span`, or undefined when the file is shorter. Read synchronously: one record is a page-cache copy of a
 * few kilobytes, and three thread-pool round trips per record (open, read, close) made a streaming pass over 10⁵
 * records mostly waiting. With `files`, the file stays open for the next read.
 */
export async function readBytesAt(file: string, span: RecordSpan, files?: OpenFiles): Promise<Buffer | undefined> {
  const fd = files ? files.fd(file) : fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(span.length);
    let done = 0;
    while (done < span.length) {
      const n = fs.readSync(fd, buf, done, span.length - done, span.offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === span.length ? buf : undefined;
  } finally {
    if (!files) fs.closeSync(fd);
  }
}
