// Merging count files: a k-way merge of sorted runs (count files keep each table sorted by the
// word's bytes, countfile.ts), summing the counts of equal words, streamed to a new count file.
//
// Memory: one read buffer per input (1 MB, more only for a longer word) and one write buffer,
// whatever the number of words; time: linear in the input bytes (plus log k per record).
// Associative and commutative: the output is sorted and counts add, so ((a b) c), (a (b c)) and
// (c a b) are the same bytes. `minCount` prunes the merged totals; pruning is not associative
// (a word rare in every shard can be frequent overall), so apply it once, at the root of a tree.
import { VocabsmithError } from '../errors.js';
import { CountFileReader, CountFileWriter, memorySource, type CountHeader, type CountSet, type RecordSource } from './countfile.js';

export interface MergeCountsOptions {
  /** Drop words whose merged count is below this (default 1: keep all). */
  minCount?: number;
  /** Tables counted in this process, merged in as one more input (read in order, not modified). */
  extra?: CountSet;
  /** Name of `extra` in error messages. */
  extraName?: string;
}

export interface MergeCountsResult extends CountHeader {
  /** Distinct words written per table, and how many `minCount` dropped. */
  words: number[];
  pruned: number[];
}

/** Whether a's current word sorts before b's (by bytes). */
function less(a: RecordSource, b: RecordSource): boolean {
  return a.buf.compare(b.buf, b.start, b.end, a.start, a.end) < 0; // a's word (source) before b's (target)
}

/** A binary min-heap of sources keyed on their current word. */
class Heap {
  items: RecordSource[] = [];
  push(s: RecordSource): void {
    const h = this.items;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i] as RecordSource, h[p] as RecordSource)) break;
      [h[i], h[p]] = [h[p] as RecordSource, h[i] as RecordSource];
      i = p;
    }
  }
  /** Restores the heap after the top's word changed (or removes it when exhausted). */
  fixTop(alive: boolean): void {
    const h = this.items;
    if (!alive) {
      const last = h.pop() as RecordSource;
      if (h.length === 0) return;
      h[0] = last;
    }
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l] as RecordSource, h[m] as RecordSource)) m = l;
      if (r < h.length && less(h[r] as RecordSource, h[m] as RecordSource)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as RecordSource, h[i] as RecordSource];
      i = m;
    }
  }
}

/** Merges count files (and optionally a counted set) into `out`; nothing is written on error. */
export function mergeCountFiles(inputs: readonly string[], out: string, options: MergeCountsOptions = {}): MergeCountsResult {
  const minCount = options.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1) throw new VocabsmithError(`min count must be an integer >= 1, got ${minCount}`);
  const readers: CountFileReader[] = [];
  let writer: CountFileWriter | undefined;
  try {
    for (const f of inputs) readers.push(new CountFileReader(f));
    const heads: { name: string; header: CountHeader }[] = readers.map((r) => ({ name: r.file, header: r.header }));
    const extra = options.extra;
    if (extra) {
      const patterns = extra.tables.map((t) => t.pattern);
      heads.unshift({ name: options.extraName ?? 'the counted corpus', header: { sequences: extra.sequences, patterns, minCount: extra.minCount ?? 1 } });
    }
    if (heads.length === 0) throw new VocabsmithError('no count file to merge');
    const patterns = (heads[0] as { header: CountHeader }).header.patterns;
    for (const h of heads.slice(1)) {
      if (h.header.patterns.join('\u0000') !== patterns.join('\u0000')) {
        throw new VocabsmithError(
          `counted with other settings (patterns [${h.header.patterns.join(', ')}]) than ${heads[0]!.name} ([${patterns.join(', ')}]); count every shard with the same --pattern/--superbpe/--paper`,
          h.name,
        );
      }
    }
    const header: CountHeader = {
      sequences: heads.reduce((n, h) => n + h.header.sequences, 0),
      patterns,
      minCount: Math.max(minCount, ...heads.map((h) => h.header.minCount)),
    };
    writer = new CountFileWriter(out, header);
    const words: number[] = [];
    const pruned: number[] = [];
    patterns.forEach((_, t) => {
      const sources = readers.map((r) => r.table());
      if (extra) sources.unshift(memorySource(extra.tables[t]!.counts, options.extraName ?? 'the counted corpus'));
      const heap = new Heap();
      for (const s of sources) if (s.next()) heap.push(s);
      let dropped = 0;
      let word = Buffer.alloc(256);
      while (heap.items.length > 0) {
        const top = heap.items[0] as RecordSource;
        // Copy the word before `top` advances (its buffer moves); gather equal words from the others.
        const len = top.end - top.start;
        if (len > word.length) word = Buffer.alloc(len * 2);
        top.buf.copy(word, 0, top.start, top.end);
        let count = top.count;
        heap.fixTop(top.next());
        while (heap.items.length > 0) {
          const s = heap.items[0] as RecordSource;
          if (word.compare(s.buf, s.start, s.end, 0, len) !== 0) break;
          count += s.count;
          heap.fixTop(s.next());
        }
        if (count >= minCount) (writer as CountFileWriter).record(word, 0, len, count);
        else dropped++;
      }
      words.push((writer as CountFileWriter).endTable().words);
      pruned.push(dropped);
    });
    for (const r of readers) r.finish();
    writer.commit();
    return { ...header, words, pruned };
  } catch (e) {
    writer?.abort();
    readers.forEach((r) => r.close());
    throw e;
  }
}
