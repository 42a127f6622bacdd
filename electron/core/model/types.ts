// The model engine's public face: what analysis, corpus, models and the app may rely on.
import type { Site } from '../../../shared/taps.js';
import type { ArchitectureDescription } from './arch.js';
export type { ArchitectureDescription, Family } from './arch.js';

export type { ExecutionProvider, ProviderChoice } from '../../../shared/providers.js';
import type { ExecutionProvider, ProviderChoice } from '../../../shared/providers.js';
/** The forms of the graph (graph.ts): contrib operators with GroupQueryAttention (CPU), with Attention (CUDA, DirectML), or
 * opset-20 operators only. */
export type GraphVariant = 'gqa' | 'fused' | 'standard';

/** config.json of a GPT-2 checkpoint, validated. */
export interface Gpt2Config {
  model_type: 'gpt2';
  n_layer: number;
  n_head: number;
  n_embd: number;
  n_positions: number;
  vocab_size: number;
  layer_norm_epsilon: number;
  activation_function: 'gelu_new';
}

export interface LoadOptions {
  /** `auto` (default; `NORMSCOPE_PROVIDER` when set) or one provider, which must still pass the parity probe. */
  provider?: ProviderChoice;
  /** What `auto` tries, in order (default: the platform's GPU providers, then cpu); the first that starts, passes the
   * parity probe and is faster than the CPU is used. */
  providers?: ExecutionProvider[];
  /** A graph variant other than the one verified for a provider (to check a new variant; the probe still judges it). */
  variants?: Partial<Record<ExecutionProvider, GraphVariant>>;
  /** Sites whose taps the graph must expose (default: all three). */
  sites?: Site[];
  /** Also build the logits output; an untied LM head is read (and held) only then. Default false. */
  logits?: boolean;
  /** onnxruntime intra-op threads. Default: every core this process may use. */
  threads?: number;
  /** Longest window of tokens one forward pass takes. Default: the model's context, at most 4,096 (budget.ts). */
  context?: number;
  /** The folder that keeps the provider verdicts and the weights' hashes (provider-verdicts.json): normscope's home,
   * which the CLI and the app pass. Without it they last for this process only (a new process probes again). */
  verdictsDir?: string;
}

export interface Tokenized {
  ids: number[];
  /** Each id decoded on its own, as the notebook prints tokens. */
  texts: string[];
}

export interface ForwardRequest {
  /** Tap names (shared/taps.ts) whose per-token L2 norms are wanted. */
  norms?: string[];
  /** Tap names whose full [T, n_embd] activations are wanted. */
  vectors?: string[];
  logits?: boolean;
}

export interface ForwardResult {
  /** tap name → Float32Array of length T (‖tap[t]‖₂, float32 as computed in the graph). */
  norms: Map<string, Float32Array>;
  /** tap name → Float32Array of length T·n_embd, row-major [T, n_embd]. */
  vectors: Map<string, Float32Array>;
  logits?: Float32Array;
}

/** A loaded model of any family (the name is GPT-2's, the first): description, tokenizer and an onnxruntime session
 * with every tap as a graph output. */
export interface Gpt2Model {
  readonly dir: string;
  readonly config: ArchitectureDescription;
  /** The weights' stored type (most of their bytes); computed in float32 whatever it is. */
  readonly dtype: 'F32' | 'F16' | 'BF16';
  /** The longest window one forward pass takes (LoadOptions.context, else the model's context capped at 4,096). */
  readonly context: number;
  /** The provider actually in use, and why any preferred one was not. */
  readonly executionProvider: ExecutionProvider;
  readonly providerNotes: string[];
  /** Why this provider is the one in use (one sentence). */
  readonly providerReason: string;
  /** Providers whose parity/timing probe ran during this load (none when every verdict came from the cache), and its cost. */
  readonly providerProbe: { probed: ExecutionProvider[]; ms: number };
  /** sha256 of model.safetensors and tokenizer.json, for provenance: computed on first call, then cached
   * (hashing a 500 MB file must not slow the load). */
  hashes(): Promise<{ model: string; tokenizer: string }>;
  /** The special tokens the tokenizer's post-processor adds to every text, as Python's `tokenizer(text)` adds them
   * (`<|begin_of_text|>` for Llama 3.x, `<bos>` for Gemma; none for GPT-2, Pythia, Qwen), for provenance. */
  readonly addedSpecialTokens: string[];
  tokenize(text: string): Tokenized;
  /** One forward pass over at most `context` ids. */
  forward(ids: ArrayLike<number>, request: ForwardRequest): Promise<ForwardResult>;
  /** One forward pass over several sequences of at most n_positions ids each, as one [B, T] batch (shorter rows padded
   * on the right); each row's results are what forward() gives it, to float rounding. */
  forwardRows(rows: readonly ArrayLike<number>[], request: ForwardRequest): Promise<ForwardResult[]>;
  dispose(): Promise<void>;
}
