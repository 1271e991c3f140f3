//! Fills a library database with many agreements for the end-to-end performance test
//! (`scripts/test-e2e.sh`): `seed_library DB COUNT`. Uses the engine's public API only, the
//! built-in templates in turn, and varied titles.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(db), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: seed_library DB COUNT");
        std::process::exit(2);
    };
    let count: u32 = count
        .to_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| {
            eprintln!("seed_library: COUNT must be a number");
            std::process::exit(2);
        });
    let opened = pactum::Library::open(&PathBuf::from(db)).unwrap_or_else(|err| {
        eprintln!("seed_library: {err}");
        std::process::exit(1);
    });
    let library = opened.library;
    let templates = pactum::template::templates();
    let customers = [
        "Müller Maschinenbau",
        "Northwind Traders",
        "Contoso",
        "Fabrikam",
        "Stadtwerke Nord",
        "Bäckerei Schmidt",
        "Adventure Works",
        "Litware",
        "Tailspin Toys",
        "Wide World Importers",
    ];
    for i in 0..count {
        let template = &templates[i as usize % templates.len()];
        let title = format!(
            "{} {} #{:05}",
            template.name,
            customers[i as usize % customers.len()],
            i + 1
        );
        if let Err(err) = library.create(&template.id, Some(&title), None) {
            eprintln!("seed_library: agreement {}: {err}", i + 1);
            std::process::exit(1);
        }
    }
}
