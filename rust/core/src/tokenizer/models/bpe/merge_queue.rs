//! The priority queue of the long-piece BPE merge loop: pops u64 keys (rank << 32 | position) in
//! increasing order, exactly as a binary min-heap would, but without a binary heap's cost.
//!
//! Why: on a piece of millions of symbols (a letter run with no whitespace) a binary heap holds
//! millions of entries and every pop walks its full depth through memory that no longer fits in
//! cache — 4 MB of letters took 5 s natively, 16 MB minutes. BPE merges almost always create
//! pairs of a higher rank than the one just merged (a token is merged only after its parts
//! exist), so the keys pushed are almost always ≥ the last key popped: a radix heap handles
//! those in amortized O(1) with sequential memory access. Keys below the last one popped (a merge
//! list that orders a token's merge before its parts', or a tiktoken rank table where it happens)
//! go to a small binary heap, and a pop takes the smaller of the two minimums, so the order is
//! that of one min-heap over all keys whatever the merge table.
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub struct MergeQueue {
    /// Every key in the radix buckets is ≥ `last`.
    last: u64,
    /// Bucket b holds keys whose highest bit differing from `last` is bit b − 1 (bucket 0: = last).
    buckets: [Vec<u64>; 65],
    /// Keys pushed below `last`.
    early: BinaryHeap<Reverse<u64>>,
}

#[inline]
fn bucket(key: u64, last: u64) -> usize {
    64 - (key ^ last).leading_zeros() as usize
}

impl Default for MergeQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl MergeQueue {
    pub fn new() -> MergeQueue {
        MergeQueue {
            last: 0,
            buckets: std::array::from_fn(|_| Vec::new()),
            early: BinaryHeap::new(),
        }
    }

    #[inline]
    pub fn push(&mut self, key: u64) {
        if key >= self.last {
            self.buckets[bucket(key, self.last)].push(key);
        } else {
            self.early.push(Reverse(key));
        }
    }

    /// The smallest radix key, made to sit in bucket 0 (then it equals `last`).
    fn radix_min(&mut self) -> Option<u64> {
        if self.buckets[0].is_empty() {
            let i = (1..65).find(|&i| !self.buckets[i].is_empty())?;
            let mut moved = std::mem::take(&mut self.buckets[i]);
            self.last = *moved.iter().min().expect("bucket is not empty");
            // Every key of bucket i shares its bits above i − 1 with the new last: all land lower.
            for &k in &moved {
                self.buckets[bucket(k, self.last)].push(k);
            }
            moved.clear();
            self.buckets[i] = moved;
        }
        Some(self.last)
    }

    pub fn pop(&mut self) -> Option<u64> {
        let radix = self.radix_min();
        match (radix, self.early.peek()) {
            (Some(r), Some(&Reverse(e))) if e < r => self.early.pop().map(|Reverse(e)| e),
            (Some(_), _) => self.buckets[0].pop(),
            (None, _) => self.early.pop().map(|Reverse(e)| e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random pushes interleaved with pops, some keys below the last popped: same order as a
    /// binary min-heap.
    #[test]
    fn pops_in_the_order_of_a_min_heap() {
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 11
        };
        for round in 0..200 {
            let (mut q, mut h) = (MergeQueue::new(), BinaryHeap::new());
            let spread = [16u64, 1 << 20, 1 << 40, u64::MAX >> 11][round % 4];
            for step in 0..2000 {
                if rnd() % 3 == 0 {
                    assert_eq!(
                        q.pop(),
                        h.pop().map(|Reverse(k)| k),
                        "round {round} step {step}"
                    );
                } else {
                    let k = rnd() % spread;
                    q.push(k);
                    h.push(Reverse(k));
                }
            }
            while let Some(Reverse(k)) = h.pop() {
                assert_eq!(q.pop(), Some(k));
            }
            assert_eq!(q.pop(), None);
        }
    }
}
