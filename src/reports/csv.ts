/** RFC 4180 CSV: CRLF rows, fields quoted when they hold a comma, a quote or a line break. */

/** Spreadsheet apps read UTF-8 only with it (Excel otherwise assumes the system code page). */
export const UTF8_BOM = '\uFEFF';

// A text cell starting like a formula is run by spreadsheet apps (CSV injection, OWASP):
// a leading apostrophe makes it text. Masked phones start with "+", names may start with "=".
const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number | boolean | null | undefined;

export function csvField(value: Cell, { text = false } = {}): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (text && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record; `textColumns` are the free-text cells guarded against formulas. */
export function csvRow(cells: readonly Cell[], textColumns: ReadonlySet<number> = new Set()): string {
  return `${cells.map((c, i) => csvField(c, { text: textColumns.has(i) })).join(',')}\r\n`;
}
