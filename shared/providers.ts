// Execution provider names, shared by the core, the IPC contract and the renderer's provider setting.
export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
/** What a user asks for: one provider, or `auto` (the fastest GPU provider that reproduces the CPU's numbers, else the CPU). */
export const PROVIDER_CHOICES = ['auto', ...EXECUTION_PROVIDERS] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];
