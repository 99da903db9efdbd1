/** Plain-text rendering of benchmark results: number formats and Markdown tables. */

export type Alignment = 'left' | 'right';

/**
 * Renders a Markdown table whose columns are padded to equal width, so it reads well both on a
 * terminal and rendered. Cells must not contain line breaks; a `|` in a cell is escaped.
 */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, alignments: readonly Alignment[] = []): string {
  for (const [index, row] of rows.entries()) {
    if (row.length !== headers.length) {
      throw new Error(`table row ${index} has ${row.length} cells but there are ${headers.length} headers.`);
    }
  }
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const cells = [headers.map(escape), ...rows.map((row) => row.map(escape))];
  const widths = headers.map((_, column) => Math.max(3, ...cells.map((row) => row[column]!.length)));
  const pad = (cell: string, column: number) =>
    alignments[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
  const line = (row: readonly string[]) => `| ${row.map(pad).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    alignments[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(cells[0]!), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/**
 * Formats `value` with thousands separators and `digits` decimals; values of 1,000 and more get
 * no decimals, because the runs vary by more than that. NaN and infinities print as "n/a".
 */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  const decimals = Math.abs(value) >= 1000 ? 0 : digits;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Formats a median with its range over runs, such as `25,100 (24,300–26,000)`. */
export function formatWithRange(median: number, min: number, max: number, digits = 0): string {
  if (min === max) return formatNumber(median, digits);
  return `${formatNumber(median, digits)} (${formatNumber(min, digits)}–${formatNumber(max, digits)})`;
}

/** Formats a byte count in KB (1,024 bytes) or MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (Math.abs(bytes) >= 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
  return `${formatNumber(bytes / 1024, 1)} KB`;
}
