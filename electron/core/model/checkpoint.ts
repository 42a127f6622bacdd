// A model folder's weights: one model.safetensors, or the shards a model.safetensors.index.json names, each header read
// at its real path (a Hugging Face cache links files into blobs/, and onnxruntime refuses external data reached
// through a link that leaves the folder). Only headers are read: every check here comes before any large allocation.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { readSafetensorsHeader, type SafetensorsFile } from './safetensors.js';

export const WEIGHTS_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

export interface Checkpoint {
  /** the file that identifies the weights: model.safetensors, or the index of a sharded checkpoint */
  file: string;
  /** each shard, its tensors limited to those the index assigns to it */
  shards: SafetensorsFile[];
}

async function real(file: string): Promise<string | null> {
  try {
    return await realpath(file);
  } catch {
    return null;
  }
}

function badModel(file: string, message: string, details: Record<string, unknown> = {}): NormscopeError {
  return new NormscopeError('BAD_MODEL', `${file}: ${message}`, { path: file, ...details });
}

/** The weight_map of an index file, each shard name checked to be a plain file name in the model folder. */
export async function readIndex(file: string): Promise<Map<string, string[]>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw badModel(file, `not a readable JSON index (${(e as Error).message})`);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) throw badModel(file, 'has no weight_map object');
  const byShard = new Map<string, string[]>();
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard === '' || shard !== path.basename(shard) || shard === '.' || shard === '..' || shard.includes('\\')) {
      throw badModel(file, `tensor "${tensor}" names the shard ${JSON.stringify(shard)}, which is not a file in the model folder`, { tensor, shard });
    }
    byShard.set(shard, [...(byShard.get(shard) ?? []), tensor]);
  }
  if (byShard.size === 0) throw badModel(file, 'its weight_map names no tensors');
  return byShard;
}

/** Reads a folder's checkpoint headers; MODEL_NOT_FOUND without weights, BAD_MODEL for a bad index or a missing shard. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const single = await real(path.join(dir, WEIGHTS_FILE));
  if (single) return { file: single, shards: [await readSafetensorsHeader(single)] };
  const indexFile = path.join(dir, INDEX_FILE);
  if (!(await real(indexFile))) {
    throw new NormscopeError('MODEL_NOT_FOUND', `${dir} has no ${WEIGHTS_FILE} or ${INDEX_FILE} (normscope reads safetensors weights only)`, { path: dir });
  }
  const shards: SafetensorsFile[] = [];
  for (const [name, tensors] of await readIndex(indexFile)) {
    const at = await real(path.join(dir, name));
    if (!at) throw badModel(indexFile, `names the shard ${name}, which the folder does not have`, { shard: name });
    const header = await readSafetensorsHeader(at);
    const kept = new Map<string, SafetensorsFile['tensors'] extends Map<string, infer E> ? E : never>();
    for (const t of tensors) {
      const entry = header.tensors.get(t);
      if (!entry) throw new NormscopeError('BAD_SAFETENSORS', `${at}: the index puts tensor "${t}" in ${name}, which does not hold it`, { path: at, tensor: t });
      kept.set(t, entry);
    }
    shards.push({ ...header, tensors: kept });
  }
  return { file: indexFile, shards };
}
