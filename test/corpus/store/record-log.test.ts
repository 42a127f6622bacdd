// record-log: checksummed JSON Lines — round trip, a torn last line cut off, a damaged line skipped, atomic replace.
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/core/fs/atomic.js';
import { RecordLog, frameRecord, parseFramedLine, readRecordAt, scanRecords, type RecordSpan } from '../../../electron/core/corpus/store/record-log.js';
import { tempDir } from '../../analysis/fixtures.js';

const dir = tempDir('record-log');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(file: string): Promise<{ records: unknown[]; spans: RecordSpan[]; report: Awaited<ReturnType<typeof scanRecords>> }> {
  const records: unknown[] = [];
  const spans: RecordSpan[] = [];
  const report = await scanRecords(file, (r, s) => {
    records.push(r);
    spans.push(s);
  });
  return { records, spans, report };
}

describe('frameRecord / parseFramedLine', () => {
  it('frames a record as one JSON line whose crc32 is the CRC-32 of the record text', () => {
    const rec = { a: 1, s: 'naïve "quoted"\nline', x: [1.5, -2e-300] };
    const line = frameRecord(rec);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(line) as { crc32: string; record: unknown };
    expect(parsed.record).toEqual(rec);
    expect(parsed.crc32).toBe(crc32(JSON.stringify(rec)).toString(16).padStart(8, '0'));
    expect(parseFramedLine(line.slice(0, -1))).toEqual(rec);
  });

  it('rejects a line with one character changed, a cut line, and a line that is not framed', () => {
    const line = frameRecord({ value: 12345 }).slice(0, -1);
    expect(parseFramedLine(line.replace('12345', '12346'))).toBeUndefined();
    expect(parseFramedLine(line.slice(0, -3))).toBeUndefined();
    expect(parseFramedLine('{"value":12345}')).toBeUndefined();
  });
});

describe('RecordLog + scanRecords', () => {
  it('appends records that read back in order, each at the span append reported', async () => {
    const file = path.join(dir, 'plain.jsonl');
    const log = await RecordLog.open(file, 0);
    const spans = [];
    for (let i = 0; i < 5; i++) spans.push(await log.append({ i, text: 'x'.repeat(i * 1000) }));
    await log.close();
    const { records, spans: scanned, report } = await collect(file);
    expect(records).toEqual([0, 1, 2, 3, 4].map((i) => ({ i, text: 'x'.repeat(i * 1000) })));
    expect(scanned).toEqual(spans);
    expect(report).toEqual({ records: 5, corrupt: 0, tornBytes: 0, end: fs.statSync(file).size });
    expect(await readRecordAt(file, spans[3]!)).toEqual({ i: 3, text: 'x'.repeat(3000) });
  });

  it('a torn last line (a crash mid-append) is reported, ignored, and cut off when the log is reopened', async () => {
    const file = path.join(dir, 'torn.jsonl');
    const log = await RecordLog.open(file, 0);
    await log.append({ n: 1 });
    await log.append({ n: 2 });
    await log.close();
    const whole = fs.statSync(file).size;
    fs.appendFileSync(file, frameRecord({ n: 3 }).slice(0, 17));
    const first = await collect(file);
    expect(first.records).toEqual([{ n: 1 }, { n: 2 }]);
    expect(first.report.tornBytes).toBe(17);
    expect(first.report.end).toBe(whole);

    const again = await RecordLog.open(file, first.report.end);
    await again.append({ n: 4 });
    await again.close();
    const second = await collect(file);
    expect(second.records).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
    expect(second.report).toMatchObject({ corrupt: 0, tornBytes: 0 });
  });

  it('a damaged line in the middle is skipped and counted; the lines around it survive', async () => {
    const file = path.join(dir, 'damaged.jsonl');
    const log = await RecordLog.open(file, 0);
    for (const n of [10, 20, 30]) await log.append({ n });
    await log.close();
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('"n":20', '"n":21'));
    const { records, report } = await collect(file);
    expect(records).toEqual([{ n: 10 }, { n: 30 }]);
    expect(report.corrupt).toBe(1);
  });

  it('a record larger than the read chunk (1 MiB) reads back whole', async () => {
    const file = path.join(dir, 'large.jsonl');
    const big = 'y'.repeat(3_000_000);
    const log = await RecordLog.open(file, 0);
    await log.append({ big });
    await log.append({ small: true });
    await log.close();
    const { records } = await collect(file);
    expect(records).toEqual([{ big }, { small: true }]);
  });

  it('a missing file has no records', async () => {
    expect((await collect(path.join(dir, 'absent.jsonl'))).report).toEqual({ records: 0, corrupt: 0, tornBytes: 0, end: 0 });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'manifest.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
