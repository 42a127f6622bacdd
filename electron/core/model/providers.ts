// Execution providers: which exist, which this machine has, the order `auto` tries them in, the graph variant each
// one has been verified with, and how a user's choice (flag, NORMSCOPE_PROVIDER, app setting) is read.
import { EXECUTION_PROVIDERS, PROVIDER_CHOICES as CHOICES } from '../../../shared/providers.js';
import { NormscopeError } from '../errors.js';
import { backends } from './session.js';
import type { ExecutionProvider, GraphVariant, ProviderChoice } from './types.js';

export const PROVIDERS: readonly ExecutionProvider[] = EXECUTION_PROVIDERS;
export const PROVIDER_CHOICES: readonly ProviderChoice[] = CHOICES;

/** What `auto` tries on a platform, in order: CUDA (when its libraries are present), the platform's native GPU
 * provider, WebGPU (Dawn: Vulkan, D3D12, Metal), then the CPU. */
export function preferredProviders(platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  if (platform === 'win32') return ['cuda', 'dml', 'webgpu', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu', 'cpu'];
  return ['cuda', 'webgpu', 'cpu'];
}

/** The graph variant verified for each provider. WebGPU's contrib Attention was measured 0.1 off in log norm on
 * lavapipe (the standard graph: 5e-7); CoreML has no contrib operators; GroupQueryAttention's float32 kernel is the CPU's alone. */
const VERIFIED: Record<ExecutionProvider, GraphVariant> = { cpu: 'gqa', cuda: 'fused', dml: 'fused', coreml: 'standard', webgpu: 'standard' };

export function graphVariant(provider: ExecutionProvider, overrides: Partial<Record<ExecutionProvider, GraphVariant>> = {}): GraphVariant {
  return overrides[provider] ?? VERIFIED[provider];
}

export const isProviderChoice = (v: unknown): v is ProviderChoice => typeof v === 'string' && (PROVIDER_CHOICES as readonly string[]).includes(v);

/** The choice a load makes when its caller gives none: `NORMSCOPE_PROVIDER`, else auto. Throws BAD_USAGE for a bad value. */
export function providerChoice(given?: ProviderChoice): ProviderChoice {
  if (given !== undefined) return given;
  const env = process.env.NORMSCOPE_PROVIDER?.trim().toLowerCase();
  if (!env) return 'auto';
  if (!isProviderChoice(env)) throw new NormscopeError('BAD_USAGE', `NORMSCOPE_PROVIDER must be one of ${PROVIDER_CHOICES.join(', ')}, got '${process.env.NORMSCOPE_PROVIDER}'`);
  return env;
}

/** Whether onnxruntime-node can use a provider on this machine: null when it can, else why not (a note). */
export function unavailable(provider: ExecutionProvider): string | null {
  const b = backends().find((x) => x.name === provider);
  if (!b) return `${provider}: not in this onnxruntime-node build for ${process.platform}-${process.arch}`;
  if (!b.installed) {
    return provider === 'cuda'
      ? 'cuda: onnxruntime’s CUDA provider is not installed (`npm run gpu:install-cuda` downloads it; it needs CUDA 12 and cuDNN 9)'
      : `${provider}: its libraries are not installed`;
  }
  return null;
}
