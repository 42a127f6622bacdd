// A shard's folder says about itself, in shard.json next to the store, which shard it holds and whether it finished;
// only the store reads and writes it (the batch through CorpusStore, merge through readShardRecord).
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../../shared/result.js';
import { NormscopeError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic.js';
import type { ModelIdentity } from './records.js';

export const SHARD_FILE = 'shard.json';
export const SHARD_SCHEMA = 'normscope.shard/1' as const;

/** What a shard's folder says about itself (shard.json, next to the store): which shard, and whether it finished. */
export interface ShardRecord {
  schema: typeof SHARD_SCHEMA;
  index: number;
  count: number;
  /** 'running' from the first document on; 'complete' once every document of the shard has a final result. */
  state: 'running' | 'complete' | 'incomplete';
  /** The scheduler task that runs this shard (schedulerTask), so its requeued incarnation on another node knows its own lock. */
  task: string | null;
  inputs: string[];
  settings: Settings;
  model: ModelIdentity | null;
  /** Documents of the whole input, and of this shard. */
  documents: { input: number; shard: number; contents: number; ok: number; failed: number };
  updated: string;
}

export async function writeShardRecord(dir: string, record: Omit<ShardRecord, 'schema' | 'updated'>): Promise<void> {
  const full: ShardRecord = { schema: SHARD_SCHEMA, ...record, updated: new Date().toISOString() };
  await writeFileAtomic(path.join(dir, SHARD_FILE), JSON.stringify(full, null, 2) + '\n');
}

/** A folder's shard.json, or null when it has none. Throws BAD_INPUT when it is not one. */
export async function readShardRecord(dir: string): Promise<ShardRecord | null> {
  const file = path.join(dir, SHARD_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NormscopeError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`);
  }
  let rec: ShardRecord;
  try {
    rec = JSON.parse(text) as ShardRecord;
  } catch {
    throw new NormscopeError('BAD_INPUT', `${file} is not valid JSON`);
  }
  if (rec.schema !== SHARD_SCHEMA) throw new NormscopeError('BAD_INPUT', `${file} is not a normscope shard record (schema ${String(rec.schema)})`);
  return rec;
}
