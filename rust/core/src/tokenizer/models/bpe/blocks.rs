//! BPE of a very long piece (megabytes of letters without whitespace) block by block, with the
//! ids of one run over the whole piece.
//!
//! Why: one run over n symbols keeps its linked list and queue (~24 bytes a symbol) and visits
//! them in rank order, i.e. at random positions: once that outgrows the caches every merge is a
//! cache miss and the time per symbol grows with n. Blocks of [`BLOCK`] symbols stay in cache.
//!
//! Why exact: a run over the whole piece pops, at every step, the smallest key (rank, position)
//! among the pairs of the left block, those of the right block, and the pair across the boundary.
//! As long as no pair across the boundary is merged, the pairs of each block evolve exactly as in
//! a run over that block alone, so the whole run pops the two blocks' keys in merged order: the
//! smaller of the next key of each block's own run. The pair across the boundary (last symbol of
//! the left block, first of the right) changes only when one of those symbols does; its entry
//! (rank, position of the left symbol) is merged as soon as it is ≤ the next key either block
//! would pop (≤: a stale key of the left block at that position equal to it merges it too). So
//! replaying both blocks' pop sequences, with how their edge symbols changed, tells whether the
//! whole run would ever merge across the boundary; if it never would, the ids are the two runs'
//! ids one after the other. With many blocks: if no boundary would be crossed by the runs of the
//! blocks beside it, then none is by the whole run (its first merge across a boundary would
//! happen while both blocks beside it still evolve alone, and the check of that boundary sees
//! it). Where one would, the two blocks are joined into one and its other boundary checked again.
//!
//! The piece's initial symbols come a segment at a time ([`Symbols`]) and only a window of them
//! (the blocks not yet final, and one block ahead) is held: a piece of 64 MB of letters needs
//! its text and its ids, not 4 bytes a byte of symbols besides (`mod.rs` makes them lazily).
use crate::tokenizer::models::bpe::merge::{run_linked, History, Merges};

/// Symbols per block.
pub const BLOCK: usize = 1 << 16;

/// Where a long piece's initial symbols come from, in order, a segment at a time.
pub trait Symbols {
    /// Appends the next segment's symbols (and their starts, when tracked); false at the end.
    fn next_segment(&mut self, sym: &mut Vec<u32>, starts: &mut Vec<u32>) -> bool;
    /// All the symbols and starts from the beginning (the rare fallback to one run).
    fn all(&mut self) -> (Vec<u32>, Vec<u32>);
}

/// Symbols already made, handed out in one segment.
struct Given<'a> {
    ids: &'a [u32],
    starts: &'a [u32],
    done: bool,
}

impl Symbols for Given<'_> {
    fn next_segment(&mut self, sym: &mut Vec<u32>, starts: &mut Vec<u32>) -> bool {
        if std::mem::replace(&mut self.done, true) {
            return false;
        }
        sym.extend_from_slice(self.ids);
        starts.extend_from_slice(self.starts);
        true
    }
    fn all(&mut self) -> (Vec<u32>, Vec<u32>) {
        (self.ids.to_vec(), self.starts.to_vec())
    }
}

/// One run over symbols [start, start + ids-before-merging) with its history.
struct Run {
    start: usize,
    end: usize,
    ids: Vec<u32>,
    alive: Vec<u32>,
    history: History,
}

/// The symbols from `base` on that are not final yet.
struct Window {
    base: usize,
    sym: Vec<u32>,
    starts: Vec<u32>,
    done: bool,
}

impl Window {
    fn end(&self) -> usize {
        self.base + self.sym.len()
    }

    /// Reads segments until symbol `upto` is held or the source ends.
    fn fill(&mut self, src: &mut dyn Symbols, upto: usize) {
        while !self.done && self.end() <= upto {
            self.done = !src.next_segment(&mut self.sym, &mut self.starts);
        }
    }

    fn run(&self, merges: &Merges, start: usize, end: usize) -> Run {
        let mut history = History::default();
        let ids = &self.sym[start - self.base..end - self.base];
        let (out, alive) = run_linked(merges, ids, start as u32, Some(&mut history));
        Run {
            start,
            end,
            ids: out,
            alive,
            history,
        }
    }

    /// Forgets the symbols before `at`.
    fn drop_before(&mut self, at: usize) {
        let k = at - self.base;
        self.sym.drain(..k);
        if !self.starts.is_empty() {
            self.starts.drain(..k);
        }
        self.base = at;
    }
}

/// Applies merges to `ids` (and keeps `starts` in step) as one run over the whole would, cut in
/// blocks of about `block` symbols. Returns false when it fell back to one run over the whole.
pub fn merge_blocks(
    merges: &Merges,
    ids: &mut Vec<u32>,
    starts: &mut Vec<u32>,
    block: usize,
) -> bool {
    let (mut out, mut out_starts) = (Vec::new(), Vec::new());
    let track = !starts.is_empty();
    let by_blocks = merge_symbols(
        merges,
        &mut Given {
            ids,
            starts,
            done: false,
        },
        track,
        &mut out,
        &mut out_starts,
        block,
    );
    *ids = out;
    *starts = out_starts;
    by_blocks
}

/// Appends to `out` (and `out_starts`, when `track`) the ids of one run over all the symbols of
/// `src`, block by block, holding only a window of symbols. Returns false when it fell back to
/// one run over the whole (then `src.all()` is called once).
pub fn merge_symbols(
    merges: &Merges,
    src: &mut dyn Symbols,
    track: bool,
    out: &mut Vec<u32>,
    out_starts: &mut Vec<u32>,
    block: usize,
) -> bool {
    let block = block.max(1);
    let reach = block / 8;
    let (out_len, out_starts_len) = (out.len(), out_starts.len());
    let mut w = Window {
        base: 0,
        sym: Vec::new(),
        starts: Vec::new(),
        done: false,
    };
    let emit = |w: &Window, r: &Run, out: &mut Vec<u32>, out_starts: &mut Vec<u32>| {
        out.extend_from_slice(&r.ids);
        if track {
            out_starts.extend(
                r.alive
                    .iter()
                    .map(|&i| w.starts[r.start - w.base + i as usize]),
            );
        }
    };
    // The next block: from `start` to a good cut about a block on, or to the end.
    let next_end = |w: &mut Window, src: &mut dyn Symbols, start: usize| {
        w.fill(src, start + block + reach + 1);
        if w.end() <= start + block + reach {
            w.end()
        } else {
            let at = start + block;
            let lo = (at - reach).max(start + 1);
            good_cut(merges, &w.sym, w.base, lo, at + reach)
        }
    };
    // `prev` waits until `cur` is final: joining `cur` with the block after it changes how `cur`
    // runs, so its boundary with `prev` is checked again.
    let mut prev: Option<Run> = None;
    let end = next_end(&mut w, src, 0);
    let mut cur = w.run(merges, 0, end);
    while cur.end < w.end() {
        let end = next_end(&mut w, src, cur.end);
        let next = w.run(merges, cur.end, end);
        if !crosses(merges, &cur.history, &next.history) {
            if let Some(p) = prev.replace(cur) {
                emit(&w, &p, out, out_starts);
                w.drop_before(p.end);
            }
            cur = next;
            continue;
        }
        cur = w.run(merges, cur.start, next.end);
        if prev
            .as_ref()
            .is_some_and(|p| crosses(merges, &p.history, &cur.history))
        {
            // Joining reached back past `prev` (never seen on real text): one run over all.
            out.truncate(out_len);
            out_starts.truncate(out_starts_len);
            let (ids, starts) = src.all();
            let (merged, alive) = run_linked(merges, &ids, 0, None);
            if track {
                out_starts.extend(alive.iter().map(|&i| starts[i as usize]));
            }
            out.extend(merged);
            return false;
        }
    }
    if let Some(p) = prev {
        emit(&w, &p, out, out_starts);
    }
    emit(&w, &cur, out, out_starts);
    true
}

/// A cut in lo..=hi (symbol positions; `sym` holds them from `base`) between two symbols that
/// merge late or never: a cut between two letters that merge early (`q|u`) is crossed by the
/// whole run, and its check fails.
fn good_cut(merges: &Merges, sym: &[u32], base: usize, lo: usize, hi: usize) -> usize {
    (lo..=hi)
        .max_by_key(|&p| {
            merges
                .get(sym[p - 1 - base], sym[p - base])
                .map_or(u64::MAX, |(r, _)| r as u64)
        })
        .unwrap_or(lo)
}

/// Whether one run over both blocks would merge the pair across their boundary.
fn crosses(merges: &Merges, left: &History, right: &History) -> bool {
    let (mut a, mut b) = (0usize, 0usize); // pops done by each block
    let (mut li, mut fi) = (0usize, 0usize);
    loop {
        while li + 1 < left.last.len() && left.last[li + 1].0 as usize <= a {
            li += 1;
        }
        while fi + 1 < right.first.len() && right.first[fi + 1].0 as usize <= b {
            fi += 1;
        }
        let (_, l, pos) = left.last[li];
        let r = right.first[fi].1;
        let (ka, kb) = (left.keys.get(a).copied(), right.keys.get(b).copied());
        if let Some((rank, _)) = merges.get(l, r) {
            let key = ((rank as u64) << 32) | pos as u64;
            let next = match (ka, kb) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if next.is_none_or(|k| key <= k) {
                return true;
            }
        }
        match (ka, kb) {
            (None, None) => return false,
            (Some(x), Some(y)) if x < y => a += 1,
            (Some(_), None) => a += 1,
            _ => b += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rnd(seed: &mut u64, m: u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) % m
    }

    /// Random merge tables (ranks in creation order or not) on random symbol runs, cut in tiny
    /// blocks so that boundaries are many and often crossed: same ids and starts as one run.
    #[test]
    fn blocks_give_the_ids_of_one_run() {
        let mut seed = 5u64;
        let (mut joined, mut cases, mut by_blocks) = (0, 0, 0);
        for table in 0..60 {
            let mut m = Merges::default();
            let mut existing = vec![0u32, 1, 2, 3];
            let mut next_id = 4;
            for k in 0..40u32 {
                let a = existing[rnd(&mut seed, existing.len() as u64) as usize];
                let b = existing[rnd(&mut seed, existing.len() as u64) as usize];
                if m.get(a, b).is_none() {
                    let rank = if table % 2 == 0 {
                        k
                    } else {
                        rnd(&mut seed, 1000) as u32
                    };
                    m.insert(a, b, rank, next_id);
                    existing.push(next_id);
                    next_id += 1;
                }
            }
            for (len, block) in [(50usize, 3usize), (300, 7), (2000, 16), (5000, 200)] {
                let ids: Vec<u32> = (0..len).map(|_| rnd(&mut seed, 4) as u32).collect();
                let starts: Vec<u32> = (0..len as u32).map(|i| i * 2).collect();
                let (want, alive) = run_linked(&m, &ids, 0, None);
                let want_starts: Vec<u32> = alive.iter().map(|&i| starts[i as usize]).collect();
                let (mut got, mut got_starts) = (ids.clone(), starts.clone());
                by_blocks += merge_blocks(&m, &mut got, &mut got_starts, block) as usize;
                assert_eq!(got, want, "table {table} len {len} block {block}");
                assert_eq!(got_starts, want_starts);
                // Without starts (no offsets wanted): the same ids, starts left empty.
                let (mut bare, mut none) = (ids.clone(), Vec::new());
                merge_blocks(&m, &mut bare, &mut none, block);
                assert_eq!((bare, none.len()), (want.clone(), 0));
                // How often a boundary check failed: the join path must be exercised too.
                let mut h = (History::default(), History::default());
                run_linked(&m, &ids[..block], 0, Some(&mut h.0));
                run_linked(&m, &ids[block..2 * block], block as u32, Some(&mut h.1));
                joined += crosses(&m, &h.0, &h.1) as usize;
                cases += 1;
            }
        }
        assert!(
            joined > 10 && joined < cases,
            "{joined} of {cases} boundaries crossed"
        );
        assert!(
            by_blocks > cases * 3 / 4,
            "only {by_blocks} of {cases} without the fallback"
        );
    }
}
