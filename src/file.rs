//! Files Pactum reads from and writes for the user: reads refused above a size limit before
//! anything is read whole, and writes that leave either the old file or the complete new one.
//!
//! Both front ends (the `pactum` CLI and the desktop shell's dialogs) and the bulk PDF export
//! go through here, so each rule has one implementation:
//!
//! - [`read_limited`] reads at most one byte more than the limit and refuses the file with
//!   [`Error::TooLarge`] naming it, so a huge file never lands in memory;
//! - [`write_atomically`] writes a temporary file in the target's folder (created fresh, never
//!   following an existing name), syncs it, renames it over the target and syncs the folder.
//!   On any error the temporary file is removed and the target is untouched. A replaced file
//!   keeps its permissions; a new one gets the usual ones (`0o666` less the umask on Unix).

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Reads the file at `path`, refusing one larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let cannot_read = |e| Error::io(format!("cannot read {}", path.display()), e);
    let file = File::open(path).map_err(cannot_read)?;
    read_limited_from(file, &path.display().to_string(), limit)
}

/// Reads `source` (a file, standard input) to its end, refusing more than `limit` bytes; `what`
/// names the source in the error.
pub fn read_limited_from(source: impl Read, what: &str, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read {what}"), e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            what: what.to_string(),
            actual: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` so that the file is either the old one or the complete new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().ok_or_else(|| {
        Error::io(
            format!("cannot write {}", path.display()),
            io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        )
    })?;
    let target = path.to_path_buf();
    write_through_temporary(folder_of(path), name.into(), bytes, move || target).map(drop)
}

/// Writes `bytes` through a temporary file in `folder` (named after `name`), then renames it to
/// the path `target` chooses once the content is on disk; returns that path. The bulk PDF
/// export chooses a name not yet taken there.
pub(crate) fn write_through_temporary(
    folder: &Path,
    name: OsString,
    bytes: &[u8],
    target: impl FnOnce() -> PathBuf,
) -> Result<PathBuf> {
    // Until the target is chosen, errors name the file as the caller named it.
    let named = if folder == Path::new(".") {
        PathBuf::from(&name)
    } else {
        folder.join(&name)
    };
    let (temporary, mut file) = create_temporary(folder, &name)
        .map_err(|e| Error::io(format!("cannot write {}", named.display()), e))?;
    let mut target_path = None;
    let written = (|| {
        file.write_all(bytes)?;
        let target = target_path.insert(target());
        // A file being replaced keeps its permissions (not the temporary's defaults).
        if let Ok(old) = fs::metadata(&*target) {
            if old.is_file() {
                file.set_permissions(old.permissions())?;
            }
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, &*target)?;
        // The rename is durable once the folder is synced. Not every platform can open a
        // folder (Windows cannot), so this is best effort: the new file is in place either way.
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    match written {
        Ok(()) => Ok(target_path.expect("the target is chosen before the rename")),
        Err(e) => {
            let _ = fs::remove_file(&temporary);
            let shown = target_path.unwrap_or(named);
            Err(Error::io(format!("cannot write {}", shown.display()), e))
        }
    }
}

/// The folder a path's file is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new, empty file `.NAME.PID.N.tmp` in `folder`. Created exclusively, so a file or link
/// already at that name (a crashed run's leftover, someone else's) is never written through.
fn create_temporary(folder: &Path, name: &OsString) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for attempt in 0..100u32 {
        let mut temporary_name = OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{}.{attempt}.tmp", std::process::id()));
        let temporary = folder.join(temporary_name);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("every attempt found its name taken"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sla.json");
        fs::write(&path, b"old").unwrap();
        write_atomically(&path, b"new content").unwrap();
        assert_eq!(
            fs::read(&path).unwrap(),
            b"new content",
            "the file holds the new content after the write"
        );
        assert_eq!(
            names(dir.path()),
            ["sla.json"],
            "the temporary file was renamed, not left beside the target"
        );
    }

    #[test]
    fn atomic_write_creates_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.pdf");
        write_atomically(&path, b"%PDF").unwrap();
        assert_eq!(
            fs::read(&path).unwrap(),
            b"%PDF",
            "a missing file is created"
        );
        assert_eq!(names(dir.path()), ["new.pdf"], "and nothing else is left");
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_as_io_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/sla.json");
        let err = write_atomically(&path, b"x").unwrap_err();
        assert_eq!(
            err.code(),
            "io",
            "a folder that is not there is an io error"
        );
        assert!(
            err.to_string().contains("sla.json"),
            "the message names the file that could not be written: {err}"
        );
    }

    #[test]
    fn atomic_write_below_a_file_fails_and_leaves_the_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("not-a-folder");
        fs::write(&parent, b"old").unwrap();
        let err = write_atomically(&parent.join("sla.json"), b"new").unwrap_err();
        assert_eq!(
            err.code(),
            "io",
            "a parent that is a file cannot hold a file"
        );
        assert_eq!(
            fs::read(&parent).unwrap(),
            b"old",
            "the file in the way is not touched"
        );
        assert_eq!(names(dir.path()), ["not-a-folder"], "no temporary is left");
    }

    #[test]
    fn atomic_write_over_a_folder_keeps_the_folder_and_removes_the_temporary() {
        // The rename fails after the temporary was written: the error path must clean up.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), b"kept").unwrap();
        let err = write_atomically(&target, b"new").unwrap_err();
        assert_eq!(err.code(), "io", "a folder cannot be replaced by a file");
        assert!(
            err.to_string().contains("taken"),
            "the message names the target: {err}"
        );
        assert_eq!(
            names(dir.path()),
            ["taken"],
            "the temporary written before the failed rename is removed"
        );
        assert_eq!(
            fs::read(target.join("inside")).unwrap(),
            b"kept",
            "the folder's content is untouched"
        );
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_in_a_read_only_folder_leaves_the_old_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("locked");
        fs::create_dir(&folder).unwrap();
        let path = folder.join("sla.json");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
        let probe = folder.join(".probe");
        if File::create(&probe).is_ok() {
            // Running as root: permissions do not stop writes, so there is nothing to test.
            let _ = fs::remove_file(&probe);
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let result = write_atomically(&path, b"new");
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        let err = result.expect_err("a read-only folder takes no temporary file");
        assert_eq!(err.code(), "io", "a refused write is an io error");
        assert!(
            err.to_string().contains("sla.json"),
            "the message names the file: {err}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"old", "the old file is intact");
        assert_eq!(names(&folder), ["sla.json"], "no temporary is left");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("card.json");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640,
            "the user's choice of permissions survives an overwrite"
        );
    }

    #[test]
    fn atomic_write_never_writes_through_a_leftover_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sla.json");
        let leftover = dir
            .path()
            .join(format!(".sla.json.{}.0.tmp", std::process::id()));
        fs::write(&leftover, b"someone else's").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new", "the write succeeds");
        assert_eq!(
            fs::read(&leftover).unwrap(),
            b"someone else's",
            "a file already at the temporary's name is left alone"
        );
    }

    #[test]
    fn through_temporary_renames_to_the_chosen_path() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.pdf"), b"first").unwrap();
        let chosen = dir.path().join("a-2.pdf");
        let written =
            write_through_temporary(dir.path(), "a.pdf".into(), b"second", || chosen.clone())
                .unwrap();
        assert_eq!(written, chosen, "the path chosen is the one returned");
        assert_eq!(fs::read(&chosen).unwrap(), b"second");
        assert_eq!(
            fs::read(dir.path().join("a.pdf")).unwrap(),
            b"first",
            "the taken name is not overwritten"
        );
        assert_eq!(
            names(dir.path()),
            ["a-2.pdf", "a.pdf"],
            "no temporary is left"
        );
    }

    #[test]
    fn read_limited_refuses_a_file_over_the_limit_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        fs::write(&path, vec![b' '; 110]).unwrap();
        let err = read_limited(&path, 100).unwrap_err();
        assert_eq!(
            err.code(),
            "too_large",
            "the UI shows too_large for this case"
        );
        match &err {
            Error::TooLarge { what, limit, .. } => {
                assert_eq!(
                    what,
                    &path.display().to_string(),
                    "the error names the file"
                );
                assert_eq!(*limit, 100, "and the limit it broke");
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        assert!(
            err.to_string().contains("big.json") && err.to_string().contains("100 bytes"),
            "the message names the file and the limit: {err}"
        );
    }

    #[test]
    fn read_limited_reads_a_file_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exact.json");
        fs::write(&path, vec![b'x'; 100]).unwrap();
        assert_eq!(
            read_limited(&path, 100).unwrap().len(),
            100,
            "a file of exactly the limit is accepted whole"
        );
    }

    #[test]
    fn read_limited_of_a_missing_file_is_io_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.json");
        let err = read_limited(&path, 100).unwrap_err();
        assert_eq!(err.code(), "io", "a missing file is an io error");
        assert!(
            err.to_string()
                .starts_with(&format!("cannot read {}", path.display())),
            "the message names the file: {err}"
        );
    }
}
