// One namespace for every activation normscope reads, named as the Hugging Face module paths
// a PyTorch forward hook would attach to (TransformerLens-style: names come from structure).

/** Where in a block a tap sits: the attention module's output, the MLP's output, or the block's output. */
export const SITES = ['attn', 'mlp', 'block'] as const;
export type Site = (typeof SITES)[number];

/** Shape of every tap, per document: one d_model vector per position. */
export const TAP_SHAPE = ['pos', 'd_model'] as const;

/** `tapName(0, 'attn')` → `h.0.attn`; `tapName(3, 'block')` → `h.3` (the residual stream after block 3). */
export function tapName(layer: number, site: Site): string {
  return site === 'block' ? `h.${layer}` : `h.${layer}.${site}`;
}

/** The ONNX graph output holding the per-token L2 norm of a tap: `h.0.attn` → `h.0.attn.norm`. */
export function normName(tap: string): string {
  return `${tap}.norm`;
}

/** Inverse of tapName; null for anything that is not a tap name. */
export function parseTapName(name: string): { layer: number; site: Site } | null {
  const m = /^h\.(\d+)(?:\.(attn|mlp))?$/.exec(name);
  if (!m) return null;
  return { layer: Number(m[1]), site: (m[2] as Site | undefined) ?? 'block' };
}

/** Every tap of one site across a model's layers, in layer order. */
export function tapsOf(nLayer: number, site: Site): string[] {
  return Array.from({ length: nLayer }, (_, i) => tapName(i, site));
}

export function isSite(s: unknown): s is Site {
  return typeof s === 'string' && (SITES as readonly string[]).includes(s);
}
