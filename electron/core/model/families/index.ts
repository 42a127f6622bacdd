// model_type → the family's config reader and checkpoint names: adding a family adds a file and a line here.
import { NormscopeError } from '../../errors.js';
import type { ArchitectureDescription, Family } from '../arch.js';
import { GEMMA_NAMES, describeGemma } from './gemma.js';
import { GPT_NEOX_NAMES, describeGptNeox } from './gpt-neox.js';
import { describeGpt2, parseGpt2Config } from './gpt2.js';
import { LLAMA_NAMES, describeLlama } from './llama.js';
import { describeMistral } from './mistral.js';
import type { NameMap } from './names.js';
import { describeQwen2 } from './qwen2.js';
import { describeQwen3 } from './qwen3.js';
import { configObject, type ConfigFields } from './read.js';

const DESCRIBE: Record<string, (f: ConfigFields) => ArchitectureDescription> = {
  gpt2: (f) => describeGpt2(parseGpt2Config(f.c, f.file)),
  llama: describeLlama,
  mistral: describeMistral,
  qwen2: describeQwen2,
  qwen3: describeQwen3,
  gpt_neox: describeGptNeox,
  gemma2: (f) => describeGemma(f, 2),
  gemma3_text: (f) => describeGemma(f, 3),
  // the multimodal Gemma 3's text model: its text_config, its language_model weights
  gemma3: (f) => describeGemma(configObject({ ...(f.c.text_config as object), model_type: 'gemma3_text' }, `${f.file} (text_config)`), 3),
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.keys(DESCRIBE);

/** config.json (parsed) → the architecture description; UNSUPPORTED_MODEL for another model_type or a field the engine
 * does not build, BAD_CONFIG for a missing or absurd value. */
export function describeConfig(json: unknown, file: string): ArchitectureDescription {
  const f = configObject(json, file);
  const type = f.c.model_type;
  const describe = typeof type === 'string' ? DESCRIBE[type] : undefined;
  if (!describe) {
    throw new NormscopeError('UNSUPPORTED_MODEL',
      `${file}: model_type ${JSON.stringify(type)} is not a supported family (normscope reads ${SUPPORTED_MODEL_TYPES.join(', ')})`, { path: file, field: 'model_type', value: type });
  }
  if (type === 'gemma3' && (f.c.text_config === null || typeof f.c.text_config !== 'object')) throw f.bad('a gemma3 config needs a text_config object');
  return describe(f);
}

const GEMMA3_NAMES: NameMap = { ...GEMMA_NAMES, ignored: new RegExp(`${GEMMA_NAMES.ignored.source}|^(?:model\\.)?(?:vision_tower|multi_modal_projector)\\.`) };

/** Checkpoint names of the rotary families (GPT-2's live in weights.ts). */
export const NAMES: Record<Exclude<Family, 'gpt2'>, NameMap> = {
  llama: LLAMA_NAMES, mistral: LLAMA_NAMES, qwen2: LLAMA_NAMES, qwen3: LLAMA_NAMES, gpt_neox: GPT_NEOX_NAMES,
  gemma2: GEMMA_NAMES, gemma3_text: GEMMA3_NAMES,
};
