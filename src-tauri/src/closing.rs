//! Closing the window never loses an edit. A close request (the window's close button, the
//! window manager, Alt+F4) is held back; the UI is told (`pactum://close-requested`), saves
//! whatever is pending through the engine and calls `ready_to_close`; then the window goes.
//! If the UI does not answer within [`GRACE`] (a hung page), the window goes anyway: a save
//! that was acknowledged is already on disk.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use tauri::{Emitter, Manager, Window, WindowEvent};

/// How long a close waits for the UI to save.
pub const GRACE: Duration = Duration::from_secs(5);

/// The event the UI listens for.
pub const CLOSE_REQUESTED: &str = "pactum://close-requested";

/// Set by the UI's `ready_to_close`; waited on by the close handler.
#[derive(Default)]
pub struct CloseGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    /// A close is being handled (further requests are ignored until it is done).
    closing: bool,
    ready: bool,
}

impl CloseGate {
    /// Starts handling a close; false when one is already under way.
    fn begin(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.closing {
            return false;
        }
        state.closing = true;
        state.ready = false;
        true
    }

    /// The UI has saved.
    pub fn open(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.ready = true;
        self.changed.notify_all();
    }

    /// Waits until the UI has saved or `timeout` passed; true if it saved.
    fn wait(&self, timeout: Duration) -> bool {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| !s.ready)
            .unwrap_or_else(|p| p.into_inner());
        state.ready
    }
}

/// The window-event handler installed on the app.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    api.prevent_close();
    let gate = window.state::<CloseGate>();
    if !gate.begin() {
        return;
    }
    let window = window.clone();
    if window.emit_to(window.label(), CLOSE_REQUESTED, ()).is_err() {
        let _ = window.destroy();
        return;
    }
    std::thread::spawn(move || {
        let saved = window.state::<CloseGate>().wait(GRACE);
        if !saved {
            eprintln!(
                "pactum-desktop: the window did not confirm saving within {} s; closing anyway",
                GRACE.as_secs()
            );
        }
        let _ = window.destroy();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn gate_opens_when_the_ui_answers() {
        let gate = Arc::new(CloseGate::default());
        assert!(gate.begin());
        assert!(
            !gate.begin(),
            "a second close request is ignored while one is handled"
        );
        let answer = Arc::clone(&gate);
        let thread = std::thread::spawn(move || answer.open());
        assert!(gate.wait(Duration::from_secs(5)));
        thread.join().unwrap();
    }

    #[test]
    fn gate_gives_up_after_the_timeout() {
        let gate = CloseGate::default();
        assert!(gate.begin());
        assert!(!gate.wait(Duration::from_millis(20)));
    }
}
