//! Runs heavy work (analyses, comparisons) in the `balance-worker` Web Worker so the page never
//! freezes: one job at a time, progress reported, cancellable (the worker is stopped and a fresh
//! one started).

use std::cell::RefCell;
use std::rc::Rc;

use balance_core::Progress;
use balance_core::compare::Comparison;
use balance_core::report::Report;
use balance_worker::{Reply, Request, Work, decode, encode};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The worker's loader script, written by Trunk next to the app.
const WORKER_SCRIPT: &str = "/balance-worker_loader.js";

/// What the runner tells its owner.
#[derive(Debug, Clone)]
pub enum RunEvent {
    /// The current job's progress.
    Progress(Progress),
    /// The current job's report and the worker's computing time in milliseconds.
    Done(Box<Report>, Option<f64>),
    /// The current comparison's bootstrap replicates: done of all.
    Replicates(usize, usize),
    /// The current job's comparison.
    Compared(Box<Comparison>),
    /// The current job failed (bad settings, or the worker could not run).
    Failed(String),
}

/// A live worker and the closures listening to it.
struct Live {
    worker: web_sys::Worker,
    ready: bool,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Live {
    /// Stops the worker and unhooks its listeners, so that a reply already queued when it was
    /// stopped (a job's progress, when a new job or a cancel stops it) finds no closure that
    /// has been dropped. Marked `worker-stopped` for the tests.
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
        crate::browser::mark("worker-stopped");
    }
}

#[derive(Default)]
struct State {
    live: Option<Live>,
    /// The current job's number (jobs only ever increase).
    job: u64,
    /// Whether the current job is still running.
    busy: bool,
    /// The request waiting for the worker to say it is ready.
    queued: Option<js_sys::Uint8Array>,
}

/// A worker-backed runner. The worker's listeners hold the runner's state only weakly, so the
/// worker stops when the last clone of its runner is dropped (when the area that owns it goes).
#[derive(Clone)]
pub struct Runner {
    state: Rc<RefCell<State>>,
    notify: Rc<dyn Fn(RunEvent)>,
}

impl Runner {
    /// A runner that reports to `notify`. No worker starts until the first job.
    pub fn new(notify: impl Fn(RunEvent) + 'static) -> Runner {
        Runner { state: Rc::default(), notify: Rc::new(notify) }
    }

    /// Starts `work`, stopping any job still running.
    pub fn start(&self, work: Work) -> Result<(), String> {
        if self.state.borrow().busy {
            self.stop_worker();
        }
        let job = {
            let mut s = self.state.borrow_mut();
            s.job += 1;
            s.busy = true;
            s.job
        };
        let request = Request { job, work };
        let bytes = js_sys::Uint8Array::from(encode(&request).as_slice());
        if self.state.borrow().live.is_none() {
            let live = self.spawn()?;
            self.state.borrow_mut().live = Some(live);
        }
        let mut s = self.state.borrow_mut();
        match &s.live {
            Some(live) if live.ready => {
                live.worker.post_message(&bytes).map_err(|_| "the worker refused the job")?;
            }
            _ => s.queued = Some(bytes),
        }
        Ok(())
    }

    /// Starts the worker ahead of the first job, so that its code is loaded and compiled by
    /// the time a heavy analysis comes. A worker that cannot start is retried at the first job.
    pub fn warm_up(&self) {
        if self.state.borrow().live.is_none()
            && let Ok(live) = self.spawn()
        {
            self.state.borrow_mut().live = Some(live);
        }
    }

    /// Cancels the running job, if any.
    pub fn cancel(&self) {
        if self.state.borrow().busy {
            self.stop_worker();
        }
    }

    /// Stops the worker (and with it any job); the next job starts a fresh one.
    fn stop_worker(&self) {
        let mut s = self.state.borrow_mut();
        s.live = None;
        s.busy = false;
        s.queued = None;
    }

    /// Starts a worker whose replies go to this runner.
    fn spawn(&self) -> Result<Live, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Classic);
        let worker = web_sys::Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|_| "the browser would not start the analysis worker".to_owned())?;
        // Weak: a listener must not keep its own runner (and so its worker) alive.
        let state = Rc::downgrade(&self.state);
        let notify = self.notify.clone();
        let me = move || state.upgrade().map(|state| Runner { state, notify: notify.clone() });
        let receiver = me.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(me) = receiver() {
                    me.receive(&js_sys::Uint8Array::new(&ev.data()).to_vec());
                }
            });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let Some(me) = me() else { return };
            let why = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .map_or_else(String::new, |m| format!(" ({m})"));
            let busy = me.state.borrow().busy;
            me.stop_worker();
            // A warm-up worker that fails costs nothing yet: the first job tries again.
            if busy {
                (me.notify)(RunEvent::Failed(format!(
                    "the analysis worker stopped unexpectedly{why}"
                )));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        crate::browser::mark("worker-started");
        Ok(Live { worker, ready: false, _on_message: on_message, _on_error: on_error })
    }

    /// Handles one message from the worker.
    fn receive(&self, bytes: &[u8]) {
        let reply: Reply = match crate::browser::timed("worker-reply-parse", || decode(bytes)) {
            Ok(r) => r,
            Err(e) => {
                (self.notify)(RunEvent::Failed(format!("the worker's answer is unreadable: {e}")));
                return;
            }
        };
        let current = self.state.borrow().job;
        let event = match reply {
            Reply::Ready => {
                let mut s = self.state.borrow_mut();
                let queued = s.queued.take();
                if let Some(live) = s.live.as_mut() {
                    live.ready = true;
                    if let Some(bytes) = queued {
                        let _ = live.worker.post_message(&bytes);
                    }
                }
                return;
            }
            Reply::Progress { job, progress } if job == current => RunEvent::Progress(progress),
            Reply::Report { job, report, compute_ms } if job == current => {
                self.state.borrow_mut().busy = false;
                RunEvent::Done(report, compute_ms)
            }
            Reply::Replicates { job, done, total } if job == current => {
                RunEvent::Replicates(done, total)
            }
            Reply::Compared { job, comparison, .. } if job == current => {
                self.state.borrow_mut().busy = false;
                RunEvent::Compared(comparison)
            }
            Reply::Error { job, message } if job == current || job == 0 => {
                self.state.borrow_mut().busy = false;
                RunEvent::Failed(message)
            }
            // A reply to a job that has been superseded.
            _ => return,
        };
        (self.notify)(event);
    }
}
