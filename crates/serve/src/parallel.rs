//! Pure work on many items, in order, on two threads: the calling one and one more.

/// Fewer items than this are done on the calling thread: a thread costs more than it saves.
pub const PARALLEL_FROM: usize = 64;

/// `f` of every item, in order: for [`PARALLEL_FROM`] items or more the first half on another
/// thread and the second on this one. For pure work on many items: a group of invoices decided
/// (deciding is a pure function of the invoice, its past and the setting, so the answers are
/// the same; while a replay decides, the store is idle and the second core free), or a replay's
/// invoices written as JSON and read back by intake.
pub fn in_parallel<T: Send, R: Send>(mut items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if items.len() < PARALLEL_FROM {
        return items.into_iter().map(f).collect();
    }
    let second = items.split_off(items.len() / 2);
    std::thread::scope(|scope| {
        let f = &f;
        let first = scope.spawn(move || items.into_iter().map(f).collect::<Vec<R>>());
        let second: Vec<R> = second.into_iter().map(f).collect();
        let mut all = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        all.extend(second);
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_parallel_keeps_the_order_and_the_answers() {
        for n in [
            0,
            1,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            PARALLEL_FROM + 1,
            1_000,
        ] {
            let items: Vec<u64> = (0..n as u64).collect();
            let f = |i: u64| (i, i.wrapping_mul(2_654_435_761) % 1_000_003);
            let want: Vec<(u64, u64)> = items.iter().copied().map(f).collect();
            assert_eq!(in_parallel(items, f), want, "{n} items");
        }
    }

    #[test]
    fn in_parallel_uses_a_second_thread_for_large_groups() {
        let caller = std::thread::current().id();
        let threads = |n: u64| {
            let ids = in_parallel((0..n).collect(), |_| std::thread::current().id());
            ids.iter().filter(|id| **id != caller).count()
        };
        assert_eq!(threads(PARALLEL_FROM as u64 - 1), 0);
        assert_eq!(threads(100), 50);
    }
}
