// The in-place upgrade of a normscope.corpus/1 store (taps.jsonl, base64 float64) to normscope.corpus/2 (taps.bin).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isNormscopeError } from '../../errors.js';
import { syncDirectory, writeFailure, writeFileAtomic } from '../../fs/atomic.js';
import { FORMAT_NOTE } from './manifest.js';
import { scanRecords } from './record-log.js';
import { MANIFEST_FILE, RESULTS_FILE, STORE_SCHEMA, STORE_SCHEMA_V1, TAPS_FILE, TAPS_FILE_V1, type Manifest, type TapsRecord } from './records.js';
import { decodeTaps } from './taps-codec.js';
import { encodeTapsPayload, frameTaps } from './taps-frame.js';

const UPGRADE_TMP = `${TAPS_FILE}.upgrade.tmp`;

/**
 * Rewrites a normscope.corpus/1 store's taps.jsonl as taps.bin, in place and atomically: the frames go to a temporary
 * file (fsync), which is renamed to taps.bin; the manifest, rewritten atomically with the new schema, is the commit
 * point; only then is taps.jsonl removed. A crash before the manifest leaves a v1 store (taps.bin is rewritten next
 * time), after it a v2 store (a leftover taps.jsonl is removed next time). Results need no change.
 */
export async function upgradeV1(dir: string, manifest: Manifest): Promise<Manifest> {
  const tmp = path.join(dir, UPGRADE_TMP);
  const fd = await fsp.open(tmp, 'w').catch((e: unknown) => Promise.reject(writeFailure(tmp, e)));
  let written = 0;
  let skipped = 0;
  try {
    const frames: Buffer[] = [];
    let pending = 0;
    const drain = async () => {
      for (const f of frames.splice(0)) await fd.write(f);
      pending = 0;
    };
    // scanRecords visits synchronously: frames are queued per chunk and written between chunks
    const report = await scanRecords(path.join(dir, TAPS_FILE_V1), (rec) => {
      const r = rec as TapsRecord;
      if (r.kind !== 'taps') return;
      try {
        const frame = frameTaps(encodeTapsPayload({ sha256: r.sha256, model_sha256: r.model_sha256, tokenizer_sha256: r.tokenizer_sha256, created: r.created }, decodeTaps(r)));
        frames.push(frame);
        pending += frame.length;
        written++;
      } catch {
        skipped++; // a record that passed its checksum but does not decode was never usable: the refit path recomputes it
      }
    }, async () => (pending > 0 ? drain() : undefined));
    await drain();
    skipped += report.corrupt;
    await fd.sync();
  } catch (e) {
    await fd.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw isNormscopeError(e) ? e : writeFailure(tmp, e);
  }
  await fd.close();
  await fsp.rename(tmp, path.join(dir, TAPS_FILE)).catch((e: unknown) => Promise.reject(writeFailure(dir, e)));
  await syncDirectory(dir);
  const upgraded: Manifest = {
    ...manifest,
    schema: STORE_SCHEMA,
    files: { taps: TAPS_FILE, results: RESULTS_FILE },
    format: FORMAT_NOTE,
    upgraded: { from: STORE_SCHEMA_V1, at: new Date().toISOString(), taps_records: written, taps_skipped: skipped },
  };
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(upgraded, null, 2) + '\n');
  await fsp.rm(path.join(dir, TAPS_FILE_V1), { force: true });
  await syncDirectory(dir);
  return upgraded;
}

/** What an upgrade interrupted after its commit point left behind. */
export async function removeUpgradeLeftovers(dir: string): Promise<void> {
  await fsp.rm(path.join(dir, UPGRADE_TMP), { force: true });
  if (fs.existsSync(path.join(dir, TAPS_FILE_V1))) {
    await fsp.rm(path.join(dir, TAPS_FILE_V1), { force: true });
    await syncDirectory(dir);
  }
}
