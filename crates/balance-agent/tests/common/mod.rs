//! Test helpers: an executor for futures that never wait, and a clock that only adds up waits.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use balance_agent::call::Sleep;

/// Runs a future whose awaits are all ready at once (the fakes here never wait).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// A clock that only adds up the waits; its time is their sum.
#[derive(Default)]
pub struct FakeClock {
    /// Every wait asked for, in milliseconds.
    pub waited: RefCell<Vec<f64>>,
}

impl Sleep for FakeClock {
    fn sleep(&self, ms: f64) -> impl Future<Output = ()> {
        self.waited.borrow_mut().push(ms);
        std::future::ready(())
    }

    fn now_ms(&self) -> f64 {
        self.waited.borrow().iter().sum()
    }
}
