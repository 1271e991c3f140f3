//! Pactum's desktop shell: a Tauri 2 window over the `pactum` engine.
//!
//! This crate only adapts. It opens the library database ([`database`]), registers the typed
//! commands ([`commands`]) whose TypeScript bindings live in `ui/src/ipc/bindings.ts`
//! ([`bindings`]), and hands the window to the Svelte UI in `ui/`. It holds no SQL and no
//! business rules: every operation is one call into `pactum::Library`, the same API the
//! `pactum` command-line tool uses.

pub mod approval_commands;
pub mod bindings;
pub mod closing;
pub mod commands;
pub mod database;
pub mod error;
pub mod field_commands;
pub mod files;
pub mod first_frame;
pub mod pdf_commands;
pub mod rendering;

/// Starts the desktop app: opens the database named by `--db PATH`, `PACTUM_DB` or the default
/// path, reads the library's first page for the window's first frame ([`first_frame`]), then
/// runs the window until it is closed. On a machine without a GPU it first asks WebKit to paint
/// on the CPU ([`rendering`]). The window is made hidden and shows once WebKit starts
/// the page (see [`first_frame::show_when_the_page_starts`]).
///
/// A database that cannot be opened does not stop the app: the window starts anyway and every
/// command reports the error, which the UI shows.
pub fn run() {
    rendering::choose();
    let database = database::Database::open(database::choose_path(std::env::args_os().skip(1)));
    if let Err(err) = database.library() {
        eprintln!("pactum-desktop: {} ({})", err.message, err.code);
    }
    let first_frame = first_frame::FirstFrame::read(&database).script();
    let builder = bindings::builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            // The window is made here rather than from the configuration alone, so that it
            // gets the library's first page before its first frame.
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|window| window.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no window labelled main")?;
            let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .initialization_script(&first_frame)
                .visible(false)
                .on_page_load(first_frame::show_when_the_page_starts)
                .build()?;
            first_frame::show_anyway_after(window, first_frame::LATEST_SHOW);
            Ok(())
        })
        .invoke_handler(builder.invoke_handler())
        .manage(database)
        .manage(closing::CloseGate::default())
        .manage(approval_commands::PendingCard::default())
        .on_window_event(closing::on_window_event)
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("pactum-desktop: the window could not be started: {err}");
        std::process::exit(1);
    }
}
