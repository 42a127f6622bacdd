// The float64 reference's outputs for the tiny family checkpoints (reference.py → expected.json), and how far a
// model's taps are from them: shared by the families and LM-head tests.
import fs from 'node:fs';
import path from 'node:path';

export interface Expected {
  ids: number[]; weights_sha256: Record<string, string>; log_norms: Record<string, number[]>; ar2_params: Record<string, number[]>;
  /** logits of the last two tokens through the tied or untied LM head (Gemma 2's soft-capped) */
  logits_tail: number[][];
}
export const expected = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'expected.json'), 'utf8')) as Record<string, Expected>;

/** The largest |log norm − reference| over every tap and token, and where it is. */
export function worstLogDiff(norms: Map<string, Float32Array>, e: Expected): { diff: number; at: string } {
  let worst = { diff: 0, at: '' };
  for (const [tap, want] of Object.entries(e.log_norms)) {
    const got = norms.get(tap)!;
    for (let t = 0; t < want.length; t++) {
      const d = Math.abs(Math.log(got[t]!) - want[t]!);
      if (!(d <= worst.diff)) worst = { diff: d, at: `${tap} token ${t}` };
    }
  }
  return worst;
}
