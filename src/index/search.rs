//! The branch-free searches and bitmap ranks the reader, the compiler and `TagMatcher`
//! share.

use super::layout::v4_filter_bit;

/// Sorts inclusive ranges and merges the overlapping and adjacent ones; `next` is the
/// address after an end (`None` at the top of the space).
pub fn merge_ranges<T: Copy + Ord>(
    mut ranges: Vec<(T, T)>,
    next: impl Fn(T) -> Option<T>,
) -> Vec<(T, T)> {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if next(last.1).is_none_or(|n| start <= n) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// A filter of the /24 blocks that sorted, merged IPv4 `ranges` touch: `bits(n)` bits
/// for `n` touched blocks, rounded up to a power of two of 64-bit words (64 bits at
/// least), with bit `layout::v4_filter_bit` of each block set; `None` when the ranges
/// touch more than `max_blocks` blocks.
pub fn block_filter(
    ranges: &[(u32, u32)],
    bits: impl Fn(usize) -> usize,
    max_blocks: usize,
) -> Option<Vec<u64>> {
    let blocks = |&(start, end): &(u32, u32)| (start >> 8)..=(end >> 8);
    let at_most: usize = ranges.iter().map(|r| blocks(r).count()).sum();
    if at_most > max_blocks {
        return None;
    }
    let mut touched: Vec<u32> = ranges.iter().flat_map(blocks).collect();
    touched.dedup();
    let bits = bits(touched.len()).next_power_of_two().max(64);
    let mut words = vec![0u64; bits / 64];
    for block in touched {
        let bit = v4_filter_bit(block << 8, bits);
        words[bit / 64] |= 1 << (bit % 64);
    }
    Some(words)
}

/// Whether a block filter lets `ip` through: `false` only when no range it was made of
/// touches the address's /24 block. No filter (no words) lets every address through.
#[inline]
pub fn filter_passes(words: &[u64], ip: u32) -> bool {
    if words.is_empty() {
        return true;
    }
    let bit = v4_filter_bit(ip, words.len() * 64);
    words[bit / 64] >> (bit % 64) & 1 == 1
}

/// The rank table of a bitmap: entry `w` counts the bits set in `words[..w]`. At most
/// 65536 - 64 bits come before the last of 1024 words, so every rank fits a `u16`.
pub fn bitmap_ranks(words: &[u64]) -> Vec<u16> {
    let mut seen = 0u32;
    words
        .iter()
        .map(|w| {
            let rank = seen as u16;
            seen += w.count_ones();
            rank
        })
        .collect()
}

/// Whether bit `k` of a bitmap is set, and if so how many set bits come before it:
/// one word, one rank and one popcount.
#[inline]
pub fn bit_rank(words: &[u64], ranks: &[u16], k: usize) -> Option<usize> {
    let word = words[k >> 6];
    let bit = 1u64 << (k & 63);
    (word & bit != 0).then(|| usize::from(ranks[k >> 6]) + (word & (bit - 1)).count_ones() as usize)
}

/// The first slot to probe for a /64 key in a table of `len` slots (a power of two):
/// the top bits of a Fibonacci hash.
#[inline]
pub fn v6_slot(key: u64, len: usize) -> usize {
    let bits = len.trailing_zeros();
    if bits == 0 {
        return 0;
    }
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
}

/// How many of the sorted `keys` are at most `x`: a binary search whose steps are
/// selects, not branches, so a random `x` costs no mispredicted jumps. The select is
/// `select_unpredictable`: left to itself the compiler turns it into a jump, which
/// random addresses mispredict at every other step (a search of 254 ranges took 42 ns
/// that way, 12 ns with conditional moves).
#[inline]
pub fn count_at_most<T: Copy + Ord>(keys: &[T], x: T) -> usize {
    if keys.is_empty() {
        return 0;
    }
    // The last key at most `x`, if any, is in `keys[base..base + len]`; `base` only
    // moves onto keys at most `x`.
    let mut base = 0;
    let mut len = keys.len();
    while len > 1 {
        let half = len / 2;
        base = std::hint::select_unpredictable(keys[base + half] <= x, base + half, base);
        len -= half;
    }
    base + usize::from(keys[base] <= x)
}

/// How many of the sorted keys `table[..len]` are at most `x`, for lists that are
/// mostly short and sit in a longer table: the first `SHORT` entries of `table` are
/// compared at once into a bit mask (a fixed number of comparisons, which the compiler
/// turns into vector instructions, and no jump that depends on the list's length or
/// content), and the keys at most `x`, a run from the first, are the mask's trailing
/// ones up to `len`; only a longer list, or one at the table's very end, is searched
/// further.
#[inline]
pub fn count_short<T: Copy + Ord>(table: &[T], len: usize, x: T) -> usize {
    const SHORT: usize = 16;
    let keys = &table[..len];
    let Some(head) = table.get(..SHORT) else {
        return count_at_most(keys, x);
    };
    let below = head
        .iter()
        .enumerate()
        .fold(0u32, |m, (j, &k)| m | u32::from(k <= x) << j);
    let n = ((!below).trailing_zeros() as usize).min(len);
    if len <= SHORT {
        n
    } else {
        // `n == SHORT` or the answer is `n` (the keys are sorted); either way the
        // search of the rest adds what it should.
        n + count_at_most(&keys[SHORT..], x) * usize::from(n == SHORT)
    }
}

#[cfg(test)]
mod tests {
    use super::{block_filter, count_at_most, count_short, filter_passes};

    /// Every address of the ranges, at the edges of their /24 blocks too, passes the
    /// filter; most /24 blocks the ranges do not touch are turned away; too many
    /// blocks give no filter, which lets everything through.
    #[test]
    fn block_filters_pass_every_address_of_their_ranges() {
        let ranges = [
            (0x0a00_00ff, 0x0a00_0100),
            (0x0a00_0500, 0x0a00_05ff),
            (0x1400_0010, 0x1400_0a20),
            (0xffff_ff00, 0xffff_ffff),
        ];
        let words = block_filter(&ranges, |n| n * 8, 64).unwrap();
        assert!(words.len().is_power_of_two());
        for &(start, end) in &ranges {
            for ip in (start..=end).step_by(7).chain([start, end]) {
                assert!(filter_passes(&words, ip), "{ip:#x}");
            }
        }
        let outside = (0..4096u32)
            .map(|k| 0x3000_0000 | k << 8)
            .filter(|&ip| filter_passes(&words, ip))
            .count();
        assert!(outside < 4096 / 4, "{outside} of 4096 outside blocks pass");
        assert_eq!(block_filter(&ranges, |n| n * 8, 10), None);
        assert!(filter_passes(&[], 0x0808_0808));
    }

    #[test]
    fn branchless_search_counts_like_partition_point() {
        for n in 0..40u32 {
            let keys: Vec<u32> = (0..n).map(|i| i * 3 + 1).collect();
            for x in 0..n * 3 + 3 {
                let want = keys.partition_point(|&k| k <= x);
                assert_eq!(count_at_most(&keys, x), want, "{n} keys, x = {x}");
                for pad in [0, 5, 20] {
                    let table: Vec<u32> = keys.iter().copied().chain(0..pad).collect();
                    assert_eq!(
                        count_short(&table, keys.len(), x),
                        want,
                        "{n} keys, x = {x}"
                    );
                }
            }
        }
    }
}
