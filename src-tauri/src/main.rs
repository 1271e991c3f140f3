//! Entry point of the desktop app; everything lives in the `pactum_desktop` library.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    pactum_desktop::run()
}
