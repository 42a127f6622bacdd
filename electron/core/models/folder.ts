// What a model folder holds, judged by file presence only (the engine's checkModelFolder judges content).
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file normscope may read from a model folder. */
export const FOLDER_FILES = ['config.json', 'model.safetensors', 'model.safetensors.index.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json', 'merges.txt'] as const;

/** Size of a regular file after following any symlink chain; null when absent or dangling. */
export async function fileSize(p: string): Promise<number | null> {
  try {
    const st = await fs.stat(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** What the folder lacks to be loadable: config, weights, and a tokenizer in either form. Empty when complete. */
export async function missingModelFiles(dir: string): Promise<string[]> {
  const has = async (f: string) => (await fileSize(path.join(dir, f))) !== null;
  const [config, weights, index, tokJson, vocab, merges] = await Promise.all(
    ['config.json', 'model.safetensors', 'model.safetensors.index.json', 'tokenizer.json', 'vocab.json', 'merges.txt'].map(has),
  );
  const missing: string[] = [];
  if (!config) missing.push('config.json');
  // a sharded checkpoint's shards are checked by the engine, which reads the index
  if (!weights && !index) missing.push('model.safetensors');
  if (!tokJson && !(vocab && merges)) missing.push('tokenizer.json (or vocab.json + merges.txt)');
  return missing;
}

/** Bytes the folder's model files take (symlinks followed: the blobs' sizes). */
export async function folderBytes(dir: string): Promise<number> {
  const sizes = await Promise.all(FOLDER_FILES.map((f) => fileSize(path.join(dir, f))));
  return sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
