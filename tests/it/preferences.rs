//! The display preferences (UI language, theme): stored in the database, durable across a
//! reopen, and a value the engine does not know never stops the library from opening.

use pactum::preferences::{Preferences, Theme};
use pactum::Language;

use crate::support::{fixture, open};

#[test]
fn a_chosen_language_and_theme_survive_closing_and_reopening_the_library() {
    let fx = fixture();
    assert_eq!(
        fx.lib.preferences().expect("read the preferences"),
        Preferences::default(),
        "a new library has no choice yet, so the window follows the system"
    );
    let chosen = Preferences {
        language: Some(Language::De),
        theme: Some(Theme::Dark),
    };
    assert_eq!(fx.lib.set_preferences(&chosen).expect("store"), chosen);

    let (dir, clock) = fx.close();
    let reopened = open(&dir.path, &clock).library;
    assert_eq!(
        reopened.preferences().expect("read after reopening"),
        chosen,
        "the choice is in the database, not in the webview"
    );

    // Back to "follow the system" for one of them: the row goes.
    let system_theme = Preferences {
        theme: None,
        ..chosen
    };
    reopened.set_preferences(&system_theme).expect("store");
    assert_eq!(reopened.preferences().expect("read"), system_theme);
}
