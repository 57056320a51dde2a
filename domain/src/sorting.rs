//! Stable sorting with one copy of the sort routine in the phone's wasm. `slice::sort_by` is
//! generic: each element type and comparison gets its own copy of Rust's sort (about 4 KB of
//! wasm each, 50 KB for the app's dozen sorts). Here only a list of positions is sorted, by a
//! comparison behind a `dyn` reference, and the elements are then moved into that order.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order, as `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a], &items[b]));
    // Element `order[at]` goes to `at`: follow each cycle of the permutation, swapping.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != usize::MAX {
            let from = order[at];
            order[at] = usize::MAX;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Sorts `items` by `key`, keeping equal elements in their order, as `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|a, b| compare(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_stable_sort() {
        let mut seed: u64 = 7;
        for len in 0..200 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|index| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, index)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut standard = items;
            standard.sort_by_key(|item| item.0);
            assert_eq!(ours, standard);
        }
    }
}
