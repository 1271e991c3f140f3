//! Build script: lets tauri-build read `tauri.conf.json`, embed the icons and generate the
//! permissions of Pactum's own commands (`allow-<command>`, granted in `capabilities/`).

/// Every command in `src/commands.rs`; the test `commands::tests::every_command_has_a_permission`
/// keeps this list in step with `commands::NAMES`.
const COMMANDS: &[&str] = &[
    "list_agreements",
    "database_info",
    "templates",
    "create_agreement",
    "get_draft",
    "save_draft",
    "check_agreement",
    "search_agreements",
    "duplicate_agreement",
    "archive_agreement",
    "unarchive_agreement",
    "freeze_agreement",
    "list_versions",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed (see the message above)");
}
