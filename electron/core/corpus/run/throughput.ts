// Rate and ETA of a corpus run. Work is measured in bytes (known for every document before any tokenizing) and the
// rate only from documents that went through the model, so skipped and stored ones neither speed up nor stall the ETA.
export class Throughput {
  private bytesLeft: number;
  private modelBytes = 0;
  private modelTokens = 0;
  private modelSeconds = 0;

  constructor(bytesTotal: number) {
    this.bytesLeft = bytesTotal;
  }

  /** A document finished; `model` when it went through the model, with its tokens and the seconds it took. */
  finished(bytes: number, model?: { tokens: number; seconds: number }): void {
    this.bytesLeft = Math.max(0, this.bytesLeft - bytes);
    if (!model) return;
    this.modelBytes += bytes;
    this.modelTokens += model.tokens;
    this.modelSeconds += model.seconds;
  }

  get tokens(): number {
    return this.modelTokens;
  }

  get tokensPerSecond(): number {
    return this.modelSeconds > 0 ? this.modelTokens / this.modelSeconds : 0;
  }

  /** Seconds left at the rate so far (documents not yet seen are assumed to need the model); null with no rate yet. */
  get etaSeconds(): number | null {
    if (this.bytesLeft === 0) return 0;
    return this.modelBytes > 0 ? (this.bytesLeft * this.modelSeconds) / this.modelBytes : null;
  }
}
