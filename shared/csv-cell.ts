// One spreadsheet cell, safe to open: text that begins with = + - @ tab or CR is prefixed with ' (OWASP's advice
// against CSV injection), so a token or a file name never runs as a formula; numbers stay numbers.
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell's text for a spreadsheet (CSV or TSV): a number as it is, text that could start a formula behind a `'`. */
export function spreadsheetText(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A CSV field: neutralised as above, then quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvCell(value: string | number): string {
  const s = spreadsheetText(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
