//! Running one input: the target called inside `catch_unwind`, with a panic hook that stays
//! quiet while a target runs (and keeps the message and location for the crash report) but
//! leaves every other panic — a failing test's, say — to the previous hook.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::Target;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// A panic in a target: where it happened (`file:line:column`, the key crashes are grouped by)
/// and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    pub location: String,
    pub message: String,
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                return previous(info);
            }
            let location = info
                .location()
                .map_or_else(|| "unknown".to_owned(), |l| l.to_string());
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with a non-text payload".to_owned());
            LAST_PANIC.with(|p| *p.borrow_mut() = Some((location, message)));
        }));
    });
}

/// Runs `target` on `data`: its outcome features, or the panic it raised.
pub fn execute(target: Target, data: &[u8]) -> Result<Vec<String>, Crash> {
    install_hook();
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| target.run(data)));
    QUIET.with(|q| q.set(false));
    result.map_err(|_| {
        let (location, message) = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| ("unknown".to_owned(), "no message".to_owned()));
        Crash { location, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_no_crash_on_simple_inputs() {
        for target in Target::ALL {
            let features = execute(target, b"").expect("empty input must not panic");
            if target != Target::Row {
                assert!(!features.is_empty(), "{target}");
            }
            execute(target, b"{\"number\": 1}").expect("must not panic");
        }
    }
}
