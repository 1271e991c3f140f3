// The one list of Pactum's Tauri commands, as `module::function` (the function's name is the
// command's name, as the UI invokes it). Adding a command means writing it in its module and
// adding its line here; everything else follows from this list:
// - `build.rs` generates the permission `allow-<command>` of each and the set
//   `pactum-commands` of all of them, which `capabilities/default.json` grants the window;
// - `bindings.rs` registers them with tauri-specta (the invoke handler) and exports them to
//   `ui/src/ipc/bindings.ts`, where the UI calls them through `ipc` (`ui/src/ipc/index.ts`).
//
// Not a module: `build.rs` and `bindings.rs` both `include!` it. `pactum_commands!(then)`
// calls the macro `then!` with the list.
macro_rules! pactum_commands {
    ($then:ident) => {
        $then! {
            commands::list_agreements,
            commands::database_info,
            commands::templates,
            commands::set_preferences,
            commands::create_agreement,
            commands::get_draft,
            commands::save_draft,
            commands::check_agreement,
            commands::search_agreements,
            commands::duplicate_agreement,
            commands::archive_agreement,
            commands::unarchive_agreement,
            commands::freeze_agreement,
            commands::list_versions,
            commands::template_preview,
            commands::get_version,
            commands::compare_versions,
            commands::import_agreement,
            commands::export_agreement,
            commands::ready_to_close,
            field_commands::parse_field,
            field_commands::preview_clauses,
            field_commands::german_holidays,
            approval_commands::list_identities,
            approval_commands::create_identity,
            approval_commands::export_identity_card,
            approval_commands::import_identity_card,
            approval_commands::import_identity_card_as_new_key,
            approval_commands::distrust_identity,
            approval_commands::approval_policy,
            approval_commands::set_approval_policy,
            approval_commands::request_approval,
            approval_commands::sign_version,
            approval_commands::reject_version,
            approval_commands::propose_amendment,
            approval_commands::amendment_review,
            approval_commands::approve_amendment,
            approval_commands::reject_amendment,
            approval_commands::agreement_history,
            approval_commands::pending_approvals,
            approval_commands::amendment_log,
            approval_commands::verify_agreement,
            approval_commands::export_bundle,
            approval_commands::import_bundle,
            pdf_commands::pdf_preview,
            pdf_commands::export_pdf,
            pdf_commands::export_redline_pdf,
            pdf_commands::export_amendment_redline_pdf,
            pdf_commands::export_signed_pdf,
            pdf_commands::export_pdfs,
            pdf_commands::cancel_pdf_export,
        }
    };
}
