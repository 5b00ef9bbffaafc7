//! The BPE merge loop: given a piece's initial symbols, apply merges exactly as HF `tokenizers`.
//!
//! Guarantee: the result equals HF's `Word::merge_all` without dropout — repeatedly apply the
//! adjacent pair with the lowest rank, the leftmost one on equal rank — and tiktoken's
//! `_byte_pair_merge` when ranks are derived from token ranks (see `Merges::from_ranks`).
//!
//! Two paths with the same semantics, because pieces come in two very different sizes:
//! - short pieces (almost all words): an array of pair ranks rescanned per merge, O(n²) with a tiny
//!   constant and no allocation beyond two small vectors;
//! - long pieces (SuperBPE superwords, Gemma3 segments without pretokenization, digit runs,
//!   megabytes of text without whitespace): a priority queue of (rank, position) with lazy
//!   invalidation over a linked list of symbols. Stale entries are detected by recomputing the
//!   pair. The queue ([`MergeQueue`]) pops in min-heap order at near-linear cost. Pieces of
//!   more than two blocks of symbols run block by block (`blocks.rs`), exact.
use crate::tokenizer::models::bpe::merge_queue::MergeQueue;
use rustc_hash::FxHashMap;

/// Pieces with more initial symbols than this take the heap path.
const SHORT_LIMIT: usize = 48;

/// Merge table: (left id, right id) -> (rank, merged id).
#[derive(Default, Clone)]
pub struct Merges {
    map: FxHashMap<u64, (u32, u32)>,
}

use crate::tokenizer::ids::pair_key as key;

impl Merges {
    /// Inserts a merge. A later insertion of the same pair overwrites the earlier one, as HF's
    /// `HashMap::collect` over the merges list does.
    pub fn insert(&mut self, a: u32, b: u32, rank: u32, merged: u32) {
        self.map.insert(key(a, b), (rank, merged));
    }

    #[inline]
    pub fn get(&self, a: u32, b: u32) -> Option<(u32, u32)> {
        self.map.get(&key(a, b)).copied()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Iterates (left, right, rank, merged).
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32, u32, u32)> + '_ {
        self.map
            .iter()
            .map(|(k, &(r, m))| ((k >> 32) as u32, *k as u32, r, m))
    }
}

/// Applies merges in place to `ids`; `starts[i]` is the byte offset of symbol i within the piece
/// and is kept in step (a merged symbol starts where its left part started). An empty `starts`
/// (no offsets wanted) stays empty.
pub fn merge(merges: &Merges, ids: &mut Vec<u32>, starts: &mut Vec<u32>) {
    if ids.len() < 2 {
        return;
    }
    if ids.len() <= SHORT_LIMIT {
        merge_short(merges, ids, starts)
    } else {
        merge_long(merges, ids, starts)
    }
}

fn merge_short(merges: &Merges, ids: &mut Vec<u32>, starts: &mut Vec<u32>) {
    // ranks[i] is the rank of the pair (ids[i], ids[i+1]), u32::MAX if none.
    let rank_of = |ids: &[u32], i: usize| merges.get(ids[i], ids[i + 1]).map_or(u32::MAX, |m| m.0);
    let mut ranks: Vec<u32> = (0..ids.len() - 1).map(|i| rank_of(ids, i)).collect();
    loop {
        let mut best = u32::MAX;
        let mut at = usize::MAX;
        for (i, &r) in ranks.iter().enumerate() {
            if r < best {
                best = r;
                at = i;
            }
        }
        if at == usize::MAX {
            return;
        }
        let (_, merged) = merges
            .get(ids[at], ids[at + 1])
            .expect("rank array out of step with ids");
        ids[at] = merged;
        ids.remove(at + 1);
        if !starts.is_empty() {
            starts.remove(at + 1);
        }
        ranks.remove(at);
        if at < ranks.len() {
            ranks[at] = rank_of(ids, at);
        }
        if at > 0 {
            ranks[at - 1] = rank_of(ids, at - 1);
        }
    }
}

fn merge_long(merges: &Merges, ids: &mut Vec<u32>, starts: &mut Vec<u32>) {
    if ids.len() > 2 * crate::tokenizer::models::bpe::blocks::BLOCK {
        crate::tokenizer::models::bpe::blocks::merge_blocks(
            merges,
            ids,
            starts,
            crate::tokenizer::models::bpe::blocks::BLOCK,
        );
        return;
    }
    let (merged, alive) = run_linked(merges, ids, 0, None);
    if !starts.is_empty() {
        for (w, &i) in alive.iter().enumerate() {
            starts[w] = starts[i as usize];
        }
        starts.truncate(merged.len());
    }
    *ids = merged;
}

/// What a run records for [`crate::tokenizer::models::bpe::blocks`] to check a block boundary: every key popped,
/// and how the first and the last symbol changed (after how many pops).
#[derive(Default)]
pub(crate) struct History {
    pub keys: Vec<u64>,
    /// (pops done, id of the first symbol from then on).
    pub first: Vec<(u32, u32)>,
    /// (pops done, id and position in the piece of the last symbol from then on).
    pub last: Vec<(u32, u32, u32)>,
}

/// The linked-list BPE over `ids`, symbols `base..base + ids.len()` of a piece (positions in keys
/// are the piece's, so runs of neighbouring blocks order their keys as one run would). Returns
/// the merged ids and, for each, the index in `ids` of its first symbol.
pub(crate) fn run_linked(
    merges: &Merges,
    ids: &[u32],
    base: u32,
    mut history: Option<&mut History>,
) -> (Vec<u32>, Vec<u32>) {
    use crate::tokenizer::ids::NONE;
    let n = ids.len();
    let mut sym = ids.to_vec();
    let mut prev: Vec<u32> = (0..n as u32).map(|i| i.wrapping_sub(1)).collect();
    let mut next: Vec<u32> = (1..=n as u32).collect();
    if n > 0 {
        next[n - 1] = NONE;
        prev[0] = NONE;
    }
    let mut queue = MergeQueue::new();
    let push = |queue: &mut MergeQueue, sym: &[u32], i: usize, j: u32| {
        if j != NONE {
            if let Some((rank, _)) = merges.get(sym[i], sym[j as usize]) {
                queue.push(((rank as u64) << 32) | (base as u64 + i as u64));
            }
        }
    };
    for i in 0..n.saturating_sub(1) {
        push(&mut queue, &sym, i, i as u32 + 1);
    }
    if let (Some(h), true) = (history.as_deref_mut(), n > 0) {
        h.first.push((0, sym[0]));
        h.last.push((0, sym[n - 1], base + n as u32 - 1));
    }
    let mut pops = 0u32;
    while let Some(entry) = queue.pop() {
        pops += 1;
        if let Some(h) = history.as_deref_mut() {
            h.keys.push(entry);
        }
        let rank = (entry >> 32) as u32;
        let i = ((entry & 0xFFFF_FFFF) as u32 - base) as usize;
        // A symbol merged into its left neighbour is dead: its prev points to itself.
        if prev[i] == i as u32 || next[i] == NONE {
            continue;
        }
        let j = next[i] as usize;
        // Stale when either side changed since the entry was pushed: recompute the pair.
        let Some((r, merged)) = merges.get(sym[i], sym[j]) else {
            continue;
        };
        if r != rank {
            continue;
        }
        sym[i] = merged;
        prev[j] = j as u32;
        next[i] = next[j];
        if next[j] != NONE {
            prev[next[j] as usize] = i as u32;
        }
        if let Some(h) = history.as_deref_mut() {
            if i == 0 {
                h.first.push((pops, merged));
            }
            if next[i] == NONE {
                h.last.push((pops, merged, base + i as u32));
            }
        }
        if prev[i] != NONE {
            push(&mut queue, &sym, prev[i] as usize, i as u32);
        }
        push(&mut queue, &sym, i, next[i]);
    }
    let (mut out, mut alive) = (Vec::new(), Vec::new());
    let mut i = if n > 0 { 0u32 } else { NONE };
    while i != NONE {
        out.push(sym[i as usize]);
        alive.push(i);
        i = next[i as usize];
    }
    (out, alive)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A brute-force reference: rescan everything after each merge.
    fn reference(merges: &Merges, ids: &[u32]) -> Vec<u32> {
        let mut ids = ids.to_vec();
        loop {
            let best = (0..ids.len().saturating_sub(1))
                .filter_map(|i| merges.get(ids[i], ids[i + 1]).map(|(r, m)| (r, i, m)))
                .min();
            let Some((_, i, m)) = best else { return ids };
            ids[i] = m;
            ids.remove(i + 1);
        }
    }

    fn toy() -> Merges {
        // a=0 b=1 c=2; ab=3 (rank 0), aa=4 (rank 1), abc=5 (rank 2), aaa... via (4,0)=6 rank 3
        let mut m = Merges::default();
        m.insert(0, 1, 0, 3);
        m.insert(0, 0, 1, 4);
        m.insert(3, 2, 2, 5);
        m.insert(4, 0, 3, 6);
        m
    }

    #[test]
    fn leftmost_wins_on_equal_rank_and_no_overlap() {
        let m = toy();
        let mut ids = vec![0, 0, 0];
        let mut st = vec![0, 1, 2];
        merge(&m, &mut ids, &mut st);
        // (a,a) at 0 first -> aa a -> (aa,a) -> aaa
        assert_eq!(ids, vec![6]);
        let mut ids = vec![0, 0, 0, 0];
        let mut st = vec![0, 1, 2, 3];
        merge(&m, &mut ids, &mut st);
        assert_eq!(ids, vec![4, 4]);
        assert_eq!(st, vec![0, 2]);
    }

    #[test]
    fn short_and_long_paths_agree_with_reference() {
        let m = toy();
        let mut seed = 12345u64;
        for len in [1usize, 2, 5, 47, 48, 49, 100, 1000] {
            for _ in 0..50 {
                let ids: Vec<u32> = (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ((seed >> 33) % 3) as u32
                    })
                    .collect();
                let expect = reference(&m, &ids);
                let mut a = ids.clone();
                let mut sa: Vec<u32> = (0..len as u32).collect();
                merge_short(&m, &mut a, &mut sa.clone());
                assert_eq!(a, expect);
                if len >= 2 {
                    let mut b = ids.clone();
                    merge_long(&m, &mut b, &mut sa);
                    assert_eq!(b, expect);
                }
            }
        }
    }

    /// Random merge tables whose ranks ignore creation order (a merge of a token listed before the
    /// merges that make its parts): the queue then sees keys below the last popped one.
    #[test]
    fn long_path_agrees_with_reference_on_unordered_ranks() {
        let mut seed = 99u64;
        let mut rnd = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..40 {
            let mut m = Merges::default();
            let mut next_id = 4u32;
            let mut existing = vec![0u32, 1, 2, 3];
            for _ in 0..30 {
                let a = existing[rnd(existing.len() as u64) as usize];
                let b = existing[rnd(existing.len() as u64) as usize];
                if m.get(a, b).is_none() {
                    m.insert(a, b, rnd(1000) as u32, next_id);
                    existing.push(next_id);
                    next_id += 1;
                }
            }
            for len in [49usize, 300, 2000] {
                let ids: Vec<u32> = (0..len).map(|_| rnd(4) as u32).collect();
                let mut out = ids.clone();
                let mut st: Vec<u32> = (0..len as u32).collect();
                merge_long(&m, &mut out, &mut st);
                assert_eq!(out, reference(&m, &ids));
                assert_eq!(st.len(), out.len());
            }
        }
    }

    #[test]
    fn long_input_is_not_quadratic() {
        let m = toy();
        let ids: Vec<u32> = (0..999_999).map(|i| (i % 3) as u32).collect();
        let mut st: Vec<u32> = (0..ids.len() as u32).collect();
        let mut out = ids.clone();
        // A quadratic merge loop would not finish here; the time itself is measured in bench/.
        merge(&m, &mut out, &mut st);
        assert!(out.iter().all(|&x| x == 5));
        assert_eq!(st.len(), out.len());
    }
}
