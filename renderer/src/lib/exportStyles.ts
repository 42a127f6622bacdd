// The export styles the save dialog and the preferences offer, in that order, with their names on screen.
import { THEME_NAMES, type ThemeName } from '../../../shared/figures/types';

export const EXPORT_STYLES: readonly { theme: ThemeName; label: string; hint: string }[] = THEME_NAMES.map((theme) => ({
  theme,
  ...{
    light: { label: 'Light', hint: 'Clean light figures (the default)' },
    dark: { label: 'Dark', hint: "The notebook's dark palette with normscope's marks" },
    notebook: { label: 'Notebook', hint: "The notebook's own look: hexagons, L0… ticks, t-1/t-2" },
  }[theme],
}));

export function exportStyleLabel(theme: ThemeName): string {
  return EXPORT_STYLES.find((s) => s.theme === theme)?.label ?? theme;
}
