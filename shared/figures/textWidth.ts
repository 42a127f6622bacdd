// Without layout (jsdom has none) text can't be measured: estimate from the widest common font, DejaVu Sans.
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.62;
}
