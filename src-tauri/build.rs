//! Build script: lets tauri-build read `tauri.conf.json`, embed the icons and generate the
//! permissions of Pactum's own commands (`allow-<command>`, granted in `capabilities/`).

// `NAMES`: every command in `src/commands.rs` (one list, shared with the crate).
include!("src/command_names.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(NAMES)),
    )
    .expect("tauri-build failed (see the message above)");
}
