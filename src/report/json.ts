import type { Report } from './types.js';
/** Compact JSON with floats to 6 significant digits: the report is read by people and plots, and
 * 17-digit floats would double its size. Integers (counts) are kept exact. */
export function reportJson(report: Report): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
}
