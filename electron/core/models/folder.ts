// What a model folder holds, judged by file presence only (the engine's checkModelFolder judges content).
import fs from 'node:fs/promises';
import path from 'node:path';
import { INDEX_FILE, readIndex, WEIGHTS_FILE } from '../model/index.js';

/** Every file normscope may read from a model folder besides the shards a sharded checkpoint's index names. */
export const FOLDER_FILES = ['config.json', WEIGHTS_FILE, INDEX_FILE, 'tokenizer.json', 'tokenizer_config.json', 'vocab.json', 'merges.txt'] as const;

/** Size of a regular file after following any symlink chain; null when absent or dangling. */
export async function fileSize(p: string): Promise<number | null> {
  try {
    const st = await fs.stat(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** The shard files a folder's model.safetensors.index.json names (plain file names, checked by the engine's reader);
 * null when the folder has no readable index. */
export async function shardFiles(dir: string): Promise<string[] | null> {
  try {
    return [...(await readIndex(path.join(dir, INDEX_FILE))).keys()];
  } catch {
    return null;
  }
}

/** What the folder lacks to be loadable: config, weights (model.safetensors, or an index and every shard it names),
 * and a tokenizer in either form. Empty when complete. */
export async function missingModelFiles(dir: string): Promise<string[]> {
  const has = async (f: string) => (await fileSize(path.join(dir, f))) !== null;
  const [config, single, index, tokJson, vocab, merges] = await Promise.all(
    ['config.json', WEIGHTS_FILE, INDEX_FILE, 'tokenizer.json', 'vocab.json', 'merges.txt'].map(has),
  );
  const missing: string[] = [];
  if (!config) missing.push('config.json');
  if (!single && !index) missing.push(WEIGHTS_FILE);
  if (!single && index) {
    const shards = await shardFiles(dir);
    if (shards === null) missing.push(`${INDEX_FILE} (unreadable)`);
    else for (const [i, present] of (await Promise.all(shards.map(has))).entries()) if (!present) missing.push(shards[i]!);
  }
  if (!tokJson && !(vocab && merges)) missing.push('tokenizer.json (or vocab.json + merges.txt)');
  return missing;
}

/** Bytes the folder's model files take, shards included (symlinks followed: the blobs' sizes). */
export async function folderBytes(dir: string): Promise<number> {
  const files = [...FOLDER_FILES, ...((await shardFiles(dir)) ?? [])];
  const sizes = await Promise.all(files.map((f) => fileSize(path.join(dir, f))));
  return sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
