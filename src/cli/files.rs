//! The files the CLI reads and writes: a path or `-` (standard input) read with the
//! interchange file's size limit, outputs written atomically, binary output kept off the
//! terminal. The reading and writing itself is the engine's ([`pactum::file`]).

use std::io::Write;
use std::path::Path;

use pactum::Error;

/// An engine file error as the CLI reports it: an I/O failure is the user's input error
/// (exit 2), printed as "context: cause" like every other I/O error of the CLI.
fn reported(e: Error) -> anyhow::Error {
    match e {
        Error::Io { context, source } => anyhow::Error::new(source).context(context),
        other => other.into(),
    }
}

/// Reads the file at `path`, refusing one larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    pactum::file::read_limited(path, limit).map_err(reported)
}

/// Reads a file, or stdin for `-`, refusing anything larger than an interchange file may be.
pub fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let limit = pactum::interchange::MAX_FILE_BYTES as u64;
    if path.as_os_str() == "-" {
        pactum::file::read_limited_from(std::io::stdin(), "-", limit).map_err(reported)
    } else {
        read_limited(path, limit)
    }
}

/// Writes a file atomically: the old file or the complete new one, never a part.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    pactum::file::write_atomically(path, bytes).map_err(reported)
}

/// Writes binary output to a file, or to stdout when that is not a terminal.
pub fn write_binary(path: Option<&Path>, bytes: &[u8], out: &mut impl Write) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    match path {
        Some(p) => write_file(p, bytes),
        None if std::io::stdout().is_terminal() => Err(Error::NotAllowed(
            "refusing to write a PDF to the terminal; give -o FILE or redirect the output"
                .to_string(),
        )
        .into()),
        None => Ok(out.write_all(bytes)?),
    }
}
