// results → the contract: the `normscope.analysis/1` document with its model and provenance (DESIGN "headless contract").
import { SCHEMA, type AnalysisDocument, type DocumentResult, type ModelInfo, type Provenance, type Settings } from '../../../shared/result.js';
import { paramCount } from '../model/arch.js';
import type { Gpt2Model } from '../model/types.js';
import { VERSION } from '../version.js';

/** What a result's model description and provenance read of a model: a loaded one, or the facts its inference
 * process reported (the model itself lives there). */
export type ModelFacts = Pick<Gpt2Model, 'config' | 'executionProvider' | 'context' | 'dtype' | 'hashes' | 'providerReason' | 'providerNotes' | 'addedSpecialTokens'>;

export function modelInfo(model: Pick<ModelFacts, 'config' | 'executionProvider' | 'context' | 'dtype'>, name: string, source: string): ModelInfo {
  const { n_layer, n_head, n_embd, n_positions, family, n_kv_head, head_dim } = model.config;
  return {
    name, source, n_layer, n_head, n_embd, n_positions, execution_provider: model.executionProvider,
    family, n_kv_head, head_dim, context: model.context, dtype: model.dtype, params: paramCount(model.config),
  };
}

/** Which weights, tokenizer, provider and normscope version made a result: enough to reproduce it. */
export async function provenance(model: Omit<ModelFacts, 'config' | 'context' | 'dtype'>, revision: string | null): Promise<Provenance> {
  const hashes = await model.hashes();
  return {
    normscope: VERSION,
    model_sha256: hashes.model,
    model_revision: revision,
    tokenizer_sha256: hashes.tokenizer,
    execution_provider: model.executionProvider,
    provider_reason: model.providerReason,
    provider_notes: [...model.providerNotes],
    special_tokens_added: [...model.addedSpecialTokens],
    created: new Date().toISOString(),
  };
}

export function analysisDocument(model: ModelInfo, settings: Settings, provenance: Provenance, documents: DocumentResult[]): AnalysisDocument {
  return { schema: SCHEMA, model, settings, provenance, documents };
}
