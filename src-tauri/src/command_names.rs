// The names of all Tauri commands, as the UI invokes them: the one list that `build.rs`
// (permissions) and `commands.rs` (bindings, tests) both `include!`.
/// Names of all commands, as the UI invokes them.
pub const NAMES: &[&str] = &[
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
    "template_preview",
    "get_version",
    "compare_versions",
    "import_agreement",
    "export_agreement",
    "ready_to_close",
    "parse_field",
    "preview_clauses",
    "german_holidays",
];
