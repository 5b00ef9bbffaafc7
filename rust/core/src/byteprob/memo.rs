//! A bounded memo behind a shared reference: the byte model is shared (`Rc`) by every cover
//! state and its caches fill as prefixes grow, so each is a map that is dropped whole when it
//! reaches its bound (the entries are cheap to recompute, and eviction order would cost more
//! bookkeeping than it saves on these access patterns).
use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::hash::Hash;

pub struct Memo<K, V> {
    map: RefCell<FxHashMap<K, V>>,
    cap: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// A memo holding at most `cap` entries.
    pub fn new(cap: usize) -> Memo<K, V> {
        Memo {
            map: RefCell::new(FxHashMap::default()),
            cap,
        }
    }

    pub fn get<Q>(&self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.borrow().get(k).cloned()
    }

    pub fn insert(&self, k: K, v: V) {
        let mut map = self.map.borrow_mut();
        if map.len() >= self.cap {
            map.clear();
        }
        map.insert(k, v);
    }

    /// The value under `k`, made by `make` when missing (`make` may use this memo itself: no
    /// borrow is held while it runs).
    pub fn get_or(&self, k: K, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.get(&k) {
            return v;
        }
        let v = make();
        self.insert(k, v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn holds_at_most_its_bound() {
        let m: Memo<u32, u32> = Memo::new(3);
        for k in 0..3 {
            m.insert(k, k * 10);
        }
        assert_eq!(m.get(&2), Some(20));
        m.insert(3, 30);
        assert_eq!(m.get(&0), None, "full memo dropped before the fourth entry");
        assert_eq!(m.get(&3), Some(30));
        let mut made = 0;
        assert_eq!(
            m.get_or(3, || {
                made += 1;
                0
            }),
            30
        );
        assert_eq!(
            m.get_or(4, || {
                made += 1;
                40
            }),
            40
        );
        assert_eq!((made, m.get(&4)), (1, Some(40)));
    }
}
