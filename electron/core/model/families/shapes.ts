// The config.json of models people run on a laptop, as their hub repositories publish them: the suggested models,
// the benchmark's real shapes (`npm run bench -- --shape NAME`), and the parameter-count and memory tests' references.

export interface Shape {
  repo: string;
  config: Record<string, unknown>;
}

const llama32 = { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192 };

export const SHAPES: Record<string, Shape> = {
  'pythia-160m': { repo: 'EleutherAI/pythia-160m', config: {
    model_type: 'gpt_neox', hidden_size: 768, intermediate_size: 3072, num_hidden_layers: 12, num_attention_heads: 12, vocab_size: 50304,
    max_position_embeddings: 2048, rotary_pct: 0.25, rotary_emb_base: 10000, use_parallel_residual: true, layer_norm_eps: 1e-5,
    hidden_act: 'gelu', tie_word_embeddings: false } },
  'smollm2-135m': { repo: 'HuggingFaceTB/SmolLM2-135M', config: {
    model_type: 'llama', hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3,
    vocab_size: 49152, max_position_embeddings: 8192, rope_theta: 100000, rms_norm_eps: 1e-5, hidden_act: 'silu', tie_word_embeddings: true } },
  'qwen2.5-0.5b': { repo: 'Qwen/Qwen2.5-0.5B', config: {
    model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2,
    vocab_size: 151936, max_position_embeddings: 32768, rope_theta: 1000000, rms_norm_eps: 1e-6, hidden_act: 'silu', tie_word_embeddings: true,
    use_sliding_window: false, sliding_window: 32768, max_window_layers: 24 } },
  'qwen3-0.6b': { repo: 'Qwen/Qwen3-0.6B', config: {
    model_type: 'qwen3', hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8,
    head_dim: 128, vocab_size: 151936, max_position_embeddings: 40960, rope_theta: 1000000, rms_norm_eps: 1e-6, hidden_act: 'silu',
    attention_bias: false, tie_word_embeddings: true, use_sliding_window: false, sliding_window: null, max_window_layers: 28 } },
  'llama-3.2-1b': { repo: 'meta-llama/Llama-3.2-1B', config: {
    model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8,
    head_dim: 64, vocab_size: 128256, max_position_embeddings: 131072, rope_theta: 500000, rope_scaling: llama32, rms_norm_eps: 1e-5,
    hidden_act: 'silu', tie_word_embeddings: true } },
  'gemma-3-270m': { repo: 'google/gemma-3-270m', config: {
    model_type: 'gemma3_text', hidden_size: 640, intermediate_size: 2048, num_hidden_layers: 18, num_attention_heads: 4, num_key_value_heads: 1,
    head_dim: 256, vocab_size: 262144, max_position_embeddings: 32768, rope_theta: 1000000, rope_local_base_freq: 10000, rope_scaling: null,
    query_pre_attn_scalar: 256, sliding_window: 512, sliding_window_pattern: 6, rms_norm_eps: 1e-6, hidden_activation: 'gelu_pytorch_tanh',
    attn_logit_softcapping: null, final_logit_softcapping: null, use_bidirectional_attention: false, tie_word_embeddings: true } },
  'gemma-2-2b': { repo: 'google/gemma-2-2b', config: {
    model_type: 'gemma2', hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4,
    head_dim: 256, vocab_size: 256000, max_position_embeddings: 8192, rope_theta: 10000, query_pre_attn_scalar: 256, sliding_window: 4096,
    attn_logit_softcapping: 50.0, final_logit_softcapping: 30.0, rms_norm_eps: 1e-6, hidden_activation: 'gelu_pytorch_tanh', tie_word_embeddings: true } },
  'llama-3.1-8b': { repo: 'meta-llama/Llama-3.1-8B', config: {
    model_type: 'llama', hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8,
    vocab_size: 128256, max_position_embeddings: 131072, rope_theta: 500000, rms_norm_eps: 1e-5, hidden_act: 'silu', tie_word_embeddings: false,
    rope_scaling: { ...llama32, factor: 8.0 } } },
  gpt2: { repo: 'openai-community/gpt2', config: {
    model_type: 'gpt2', n_layer: 12, n_head: 12, n_embd: 768, n_positions: 1024, vocab_size: 50257, layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new' } },
};
