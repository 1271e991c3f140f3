//! How WebKitGTK paints the window on this machine.
//!
//! WebKitGTK paints web content with Skia on the GPU by default. On a machine without one (no
//! DRM render node: virtual machines, CI, remote desktops) that "GPU" is Mesa's software GL,
//! and painting through it was the largest part of the library's first paint. There the app
//! asks WebKit to paint with Skia on the CPU instead (`WEBKIT_SKIA_ENABLE_CPU_RENDERING=1`); it
//! still composites with GL. Measured under Xvfb with llvmpipe (BENCHMARKS.md): the library
//! reached the screen 287–335 ms after the window showed instead of 403–472 ms, and scrolling
//! ran at 36 instead of 25 frames per second. With a GPU, WebKit's default is kept, and a value
//! the user set for the variable, either way, is never overridden.

use std::ffi::OsString;
use std::path::Path;

/// The WebKitGTK environment variable that selects CPU painting.
pub const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Where Linux lists DRM devices; a GPU that can render has a `renderD*` node here.
pub const DRI_DEVICES: &str = "/dev/dri";

/// Whether the app should ask for CPU painting: only when the user has not set
/// [`CPU_RENDERING`] and `dri` has no render node.
pub fn wants_cpu_rendering(user_setting: Option<OsString>, dri: &Path) -> bool {
    user_setting.is_none() && !has_render_node(dri)
}

/// Whether the folder `dri` holds a DRM render node (`renderD128`, …). A missing or unreadable
/// folder has none.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Chooses CPU painting for this process and WebKit's processes (they inherit the environment)
/// when [`wants_cpu_rendering`] says so. Call before any other thread starts: it sets an
/// environment variable.
pub fn choose() {
    if cfg!(target_os = "linux")
        && wants_cpu_rendering(std::env::var_os(CPU_RENDERING), Path::new(DRI_DEVICES))
    {
        std::env::set_var(CPU_RENDERING, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_the_app_asks_for_cpu_painting() {
        let dri = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dri.path().join("card0"), b"").expect("a display-only device");
        assert!(
            wants_cpu_rendering(None, dri.path()),
            "a card without a render node means software GL, where CPU painting is faster"
        );
        assert!(
            wants_cpu_rendering(None, &dri.path().join("missing")),
            "no /dev/dri at all (Xvfb in a container) means software GL too"
        );
    }

    #[test]
    fn a_render_node_or_the_users_own_setting_keeps_webkits_choice() {
        let dri = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dri.path().join("renderD128"), b"").expect("a render node");
        assert!(
            !wants_cpu_rendering(None, dri.path()),
            "with a GPU, WebKit's GPU painting stays"
        );

        let empty = tempfile::tempdir().expect("temporary folder");
        assert!(
            !wants_cpu_rendering(Some("0".into()), empty.path()),
            "a user who set the variable (even to 0) decides, not the app"
        );
    }
}
