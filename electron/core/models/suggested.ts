// Models of the supported families small enough for a laptop, each with the fields of its hub config.json that fix
// the shape the engine builds (copied from the hub's files; a pull always reads the real config.json again).

export interface SuggestedModel {
  repo: string;
  description: string;
  /** Llama and Gemma: the hub asks the user to accept a licence first, and a pull needs HF_TOKEN. */
  gated: boolean;
  /** The dtype its safetensors are stored in, for the download estimate. */
  storedBytesPerParam: 2 | 4;
  /** Approximate bytes of its tokenizer files. */
  tokenizerBytes: number;
  config: Record<string, unknown>;
}

const gemma3Layers = (n: number) => Array.from({ length: n }, (_, i) => ((i + 1) % 6 === 0 ? 'full_attention' : 'sliding_attention'));

export const SUGGESTED_MODELS: readonly SuggestedModel[] = [
  {
    repo: 'EleutherAI/pythia-160m', description: 'Pythia 160M (GPT-NeoX), the interpretability suite', gated: false, storedBytesPerParam: 2, tokenizerBytes: 2_100_000,
    config: {
      model_type: 'gpt_neox', hidden_size: 768, intermediate_size: 3072, num_attention_heads: 12, num_hidden_layers: 12, max_position_embeddings: 2048,
      vocab_size: 50304, rotary_pct: 0.25, rotary_emb_base: 10000, use_parallel_residual: true, hidden_act: 'gelu', layer_norm_eps: 1e-5, tie_word_embeddings: false,
    },
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-135M', description: 'SmolLM2 135M (Llama)', gated: false, storedBytesPerParam: 2, tokenizerBytes: 2_200_000,
    config: {
      model_type: 'llama', hidden_size: 576, intermediate_size: 1536, num_attention_heads: 9, num_key_value_heads: 3, num_hidden_layers: 30,
      max_position_embeddings: 8192, vocab_size: 49152, rms_norm_eps: 1e-5, rope_theta: 100000, rope_scaling: null, hidden_act: 'silu', tie_word_embeddings: true,
    },
  },
  {
    repo: 'Qwen/Qwen2.5-0.5B', description: 'Qwen 2.5 0.5B', gated: false, storedBytesPerParam: 2, tokenizerBytes: 11_400_000,
    config: {
      model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_attention_heads: 14, num_key_value_heads: 2, num_hidden_layers: 24,
      max_position_embeddings: 32768, vocab_size: 151936, rms_norm_eps: 1e-6, rope_theta: 1000000, rope_scaling: null, hidden_act: 'silu',
      use_sliding_window: false, sliding_window: 32768, max_window_layers: 24, tie_word_embeddings: true,
    },
  },
  {
    repo: 'Qwen/Qwen3-0.6B', description: 'Qwen 3 0.6B', gated: false, storedBytesPerParam: 2, tokenizerBytes: 11_400_000,
    config: {
      model_type: 'qwen3', hidden_size: 1024, intermediate_size: 3072, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, num_hidden_layers: 28,
      max_position_embeddings: 40960, vocab_size: 151936, rms_norm_eps: 1e-6, rope_theta: 1000000, rope_scaling: null, hidden_act: 'silu',
      attention_bias: false, use_sliding_window: false, sliding_window: null, max_window_layers: 28, tie_word_embeddings: true,
    },
  },
  {
    repo: 'meta-llama/Llama-3.2-1B', description: 'Llama 3.2 1B (gated: accept the licence on the hub)', gated: true, storedBytesPerParam: 2, tokenizerBytes: 9_100_000,
    config: {
      model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 64, num_hidden_layers: 16,
      max_position_embeddings: 131072, vocab_size: 128256, rms_norm_eps: 1e-5, rope_theta: 500000, hidden_act: 'silu', attention_bias: false, mlp_bias: false,
      rope_scaling: { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192 },
      tie_word_embeddings: true,
    },
  },
  {
    repo: 'google/gemma-3-270m', description: 'Gemma 3 270M (gated: accept the licence on the hub)', gated: true, storedBytesPerParam: 2, tokenizerBytes: 38_000_000,
    config: {
      model_type: 'gemma3_text', hidden_size: 640, intermediate_size: 2048, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 256, num_hidden_layers: 18,
      max_position_embeddings: 32768, vocab_size: 262144, rms_norm_eps: 1e-6, rope_theta: 1000000, rope_local_base_freq: 10000, rope_scaling: null,
      query_pre_attn_scalar: 256, sliding_window: 512, layer_types: gemma3Layers(18), hidden_activation: 'gelu_pytorch_tanh',
      attn_logit_softcapping: null, final_logit_softcapping: null, tie_word_embeddings: true,
    },
  },
  {
    repo: 'google/gemma-2-2b', description: 'Gemma 2 2B (gated: accept the licence on the hub)', gated: true, storedBytesPerParam: 4, tokenizerBytes: 21_000_000,
    config: {
      model_type: 'gemma2', hidden_size: 2304, intermediate_size: 9216, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, num_hidden_layers: 26,
      max_position_embeddings: 8192, vocab_size: 256000, rms_norm_eps: 1e-6, rope_theta: 10000, query_pre_attn_scalar: 256, sliding_window: 4096,
      attn_logit_softcapping: 50.0, final_logit_softcapping: 30.0, hidden_activation: 'gelu_pytorch_tanh', tie_word_embeddings: true,
    },
  },
];
