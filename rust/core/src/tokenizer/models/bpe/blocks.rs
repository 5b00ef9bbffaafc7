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
use crate::tokenizer::models::bpe::merge::{run_linked, History, Merges};

/// Symbols per block.
pub const BLOCK: usize = 1 << 16;

/// One run over ids[start..end] with its history.
struct Run {
    start: usize,
    ids: Vec<u32>,
    alive: Vec<u32>,
    history: History,
}

fn run(merges: &Merges, ids: &[u32], start: usize, end: usize) -> Run {
    let mut history = History::default();
    let (out, alive) = run_linked(merges, &ids[start..end], start as u32, Some(&mut history));
    Run {
        start,
        ids: out,
        alive,
        history,
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
    let n = ids.len();
    let mut cuts: Vec<usize> = (0..n)
        .step_by(block.max(1))
        .map(|c| good_cut(merges, ids, c, block / 8))
        .chain([n])
        .collect();
    cuts.dedup();
    let track = !starts.is_empty();
    let (mut out_ids, mut out_starts) = (Vec::new(), Vec::new());
    let mut emit = |r: &Run| {
        out_ids.extend_from_slice(&r.ids);
        if track {
            out_starts.extend(r.alive.iter().map(|&i| starts[r.start + i as usize]));
        }
    };
    // `prev` waits until `cur` is final: joining `cur` with the block after it changes how `cur`
    // runs, so its boundary with `prev` is checked again.
    let mut prev: Option<Run> = None;
    let mut cur = run(merges, ids, cuts[0], cuts[1]);
    for w in cuts[1..].windows(2) {
        let next = run(merges, ids, w[0], w[1]);
        if !crosses(merges, &cur.history, &next.history) {
            if let Some(p) = prev.replace(cur) {
                emit(&p);
            }
            cur = next;
            continue;
        }
        cur = run(merges, ids, cur.start, w[1]);
        if prev
            .as_ref()
            .is_some_and(|p| crosses(merges, &p.history, &cur.history))
        {
            // Joining reached back past `prev` (never seen on real text): one run over all.
            let (merged, alive) = run_linked(merges, ids, 0, None);
            if track {
                *starts = alive.iter().map(|&i| starts[i as usize]).collect();
            }
            *ids = merged;
            return false;
        }
    }
    if let Some(p) = prev {
        emit(&p);
    }
    emit(&cur);
    *ids = out_ids;
    *starts = out_starts;
    true
}

/// A cut near `at` (within `reach`) between two symbols that merge late or never: a cut between
/// two letters that merge early (`q|u`) is crossed by the whole run, and its check fails.
fn good_cut(merges: &Merges, ids: &[u32], at: usize, reach: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let lo = at.saturating_sub(reach).max(1);
    let hi = (at + reach).min(ids.len() - 1);
    (lo..=hi)
        .max_by_key(|&p| {
            merges
                .get(ids[p - 1], ids[p])
                .map_or(u64::MAX, |(r, _)| r as u64)
        })
        .unwrap_or(at)
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
