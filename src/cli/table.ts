// Plain-text output for people (aligned columns, numbers right-aligned with thousands separators);
// every command that prints a table also has --json for machines.

export type Cell = string | number | boolean | null | undefined;

function show(v: Cell): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return v;
}

/** Rows under a header, columns aligned (numbers to the right). */
export function formatTable(rows: readonly Record<string, Cell>[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const width = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const right = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const line = (vals: string[]) => vals.map((v, i) => (right[i] ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ').trimEnd();
  return [line([...columns]), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** "label  value" lines, labels aligned. */
export function formatSummary(rows: readonly [string, Cell][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${show(v)}`).join('\n') + '\n';
}
