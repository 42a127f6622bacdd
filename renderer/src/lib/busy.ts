// One way for a store to run an action the user started: say what it is doing, show any failure as a notice, then clear.
import { app } from './state.svelte';

/**
 * Runs `action` with `holder.busy` set to `busy` (the controls it disables read it), any failure shown through
 * `app.fail`, and `busy` cleared after, then `after` (a refresh the store wants whatever happened).
 */
export async function runBusy(holder: { busy: string | null }, busy: string, action: () => Promise<void>, after?: () => Promise<void>): Promise<void> {
  holder.busy = busy;
  try {
    await action();
  } catch (e) {
    app.fail(e);
  } finally {
    holder.busy = null;
    await after?.();
  }
}
