// Saving one figure through a save channel (corpus or compare): the export style and PNG resolution from the app's
// preferences, a notice with the file's name, or the error.
import type { ExportFormat, FigureExportOptions, PngResolution, SavedFile } from '../../../shared/ipc.js';
import { app } from './state.svelte.js';

export async function saveFigureFile(save: (o: FigureExportOptions) => Promise<SavedFile | null>, format: ExportFormat, resolution?: PngResolution): Promise<void> {
  try {
    const saved = await save({ format, theme: app.exportTheme, ...(format === 'png' ? { resolution: resolution ?? app.prefs.pngResolution } : {}) });
    if (saved) app.notify('success', `Saved ${saved.name}`);
  } catch (e) {
    app.fail(e);
  }
}
