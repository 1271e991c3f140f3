//! What the window knows before its first frame: the library's first page, the open
//! database and the stored display preferences (language, theme), handed to the page by an initialization script when the window is created.
//!
//! The first command of a fresh process answers only after the webview's IPC is up (about
//! 170 ms in the debug app under Xvfb), so a library that asked over IPC could not paint its
//! rows sooner. With the first page already in the page, it paints at once and then refreshes
//! the same rows over IPC, so a page reloaded later never shows stale rows for long.
//!
//! The script only assigns one JSON value (JSON is valid JavaScript), so text from agreements
//! cannot leave its string literal.
//!
//! It also decides when the window shows: it is made hidden and shown as soon as WebKit starts
//! loading the page. A window shown at creation sat empty for ~180 ms while WebKit's web
//! process started (under Xvfb, software GL): the library reached the screen 543–566 ms after
//! the window appeared. Shown when the page starts, the window's rendering is set up while the
//! page runs, and that fell to 365–435 ms with the library on the screen no later than before.
//! Shown any later (when the document has loaded, or the rows are laid out) WebKit sets up its
//! rendering only after mapping, and the first paint comes later. BENCHMARKS.md has the
//! figures.

use std::time::Duration;

use pactum::preferences::Preferences;
use pactum::record::ListPage;
use pactum::ListQuery;
use serde::Serialize;
use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{Runtime, WebviewWindow};

use crate::commands::DatabaseInfo;
use crate::database::Database;

/// The global the initialization script sets; the UI reads it once (`ui/src/ipc/first-frame.ts`).
pub const GLOBAL: &str = "__PACTUM_FIRST_FRAME__";

/// The library's first page and the open database, as the window gets them at creation.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FirstFrame {
    /// The question `page` answers (the engine's default order: last changed first).
    pub query: ListQuery,
    /// `None` when the library cannot be listed; the UI then asks over IPC and shows the error.
    pub page: Option<ListPage>,
    pub database: DatabaseInfo,
    /// The stored display preferences, applied before the first render; `None` when the
    /// library cannot be read (the window then follows the system).
    pub preferences: Option<Preferences>,
}

impl FirstFrame {
    /// Reads the first page of the library (one engine call).
    pub fn read(database: &Database) -> FirstFrame {
        let query = ListQuery::default();
        let library = database.library().ok();
        let page = library.and_then(|library| library.list(&query).ok());
        let preferences = library.and_then(|library| library.preferences().ok());
        FirstFrame {
            query,
            page,
            database: DatabaseInfo::of(database),
            preferences,
        }
    }

    /// The initialization script that hands this frame to the page.
    pub fn script(&self) -> String {
        match serde_json::to_string(self) {
            Ok(json) => format!("window.{GLOBAL} = {json};"),
            // Unreachable for these types; the UI then simply asks over IPC.
            Err(_) => String::new(),
        }
    }
}

/// How long a hidden window waits for its page to start before it shows anyway, so that a page
/// that never loads still leaves the user a window (and its error) rather than nothing.
pub const LATEST_SHOW: Duration = Duration::from_secs(2);

/// The window's page-load handler: shows the window when WebKit starts loading the page (the
/// web process is up, the document is on its way). Showing an already visible window does
/// nothing, so reloads are harmless.
pub fn show_when_the_page_starts<R: Runtime>(
    window: WebviewWindow<R>,
    payload: PageLoadPayload<'_>,
) {
    if payload.event() == PageLoadEvent::Started {
        show(&window);
    }
}

/// Shows `window` after `delay` whatever its page did.
pub fn show_anyway_after<R: Runtime>(window: WebviewWindow<R>, delay: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        show(&window);
    });
}

fn show<R: Runtime>(window: &WebviewWindow<R>) {
    // Already shown, or closed before the fallback came (then there is nothing to show).
    if window.is_visible().unwrap_or(true) {
        return;
    }
    if let Err(err) = window.show() {
        eprintln!("pactum-desktop: the window could not be shown: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactum::Language;

    #[test]
    fn the_script_carries_the_first_page_and_keeps_hostile_titles_inside_their_string() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let database = Database::open(Ok(dir.path().join("library.db")));
        let library = database.library().expect("a fresh database opens");
        let hostile = "a\u{2028}b</script><script>alert(1)</script>\"; alert(2); //";
        library
            .create("saas-support-en", Some(hostile), Some(Language::En))
            .expect("create an agreement");

        let frame = FirstFrame::read(&database);
        let page = frame.page.as_ref().expect("the library lists");
        assert_eq!(page.total, 1, "the one agreement is in the first page");
        let script = frame.script();
        let json = script
            .strip_prefix(&format!("window.{GLOBAL} = "))
            .and_then(|rest| rest.strip_suffix(';'))
            .expect("the script is one assignment");
        let parsed: serde_json::Value = serde_json::from_str(json)
            .expect("the assigned value is plain JSON, so the title cannot end its string");
        assert_eq!(parsed["page"]["items"][0]["title"], hostile);
        assert_eq!(parsed["query"]["sort"], "updated_at");
        assert_eq!(
            parsed["preferences"],
            serde_json::json!({ "language": null, "theme": null }),
            "nothing chosen yet, so the window follows the system"
        );
    }

    #[test]
    fn the_frame_carries_the_stored_preferences_so_the_first_render_uses_them() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("library.db");
        {
            let database = Database::open(Ok(path.clone()));
            let chosen = pactum::preferences::Preferences {
                language: Some(Language::De),
                theme: Some(pactum::preferences::Theme::Dark),
            };
            let stored = database
                .library()
                .expect("a fresh database opens")
                .set_preferences(&chosen)
                .expect("store the preferences");
            assert_eq!(stored, chosen, "the call answers with what it stored");
        }
        // A new process on the same database (the app started again).
        let frame = FirstFrame::read(&Database::open(Ok(path)));
        let script = frame.script();
        assert!(
            script.contains(r#""preferences":{"language":"de","theme":"dark"}"#),
            "the choice survives the restart and reaches the page before it renders: {script}"
        );
    }

    #[test]
    fn a_database_that_cannot_open_gives_no_page_and_the_ui_asks_over_ipc() {
        let dir = tempfile::tempdir().expect("temporary folder");
        // A plain file where the database's folder should be.
        std::fs::write(dir.path().join("file"), b"not a folder").expect("write the file");
        let database = Database::open(Ok(dir.path().join("file/pactum.db")));
        let frame = FirstFrame::read(&database);
        assert!(frame.page.is_none(), "no database, so no first page");
        assert!(frame.script().contains("\"page\":null"));
    }
}
