//! The approval commands: the policy of required roles, requesting and withdrawing approval,
//! signing or rejecting a version, and amendments (propose, list, review, approve, reject).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use pactum::library::SignOutcome;
use pactum::record::AgreementId;
use pactum::signing::{AmendmentRef, AmendmentState, Decision, Role};
use pactum::Library;

use super::agreements::IdArgs;
use super::files::read_input;
use super::identity::signer;
use super::text::key_of;

#[derive(Args)]
pub struct PolicyArgs {
    id: AgreementId,
    /// Required role (repeat): service_manager, legal_reviewer, customer_representative.
    #[arg(long = "require", value_name = "ROLE")]
    require: Vec<Role>,
}

#[derive(Args)]
pub struct SignArgs {
    id: AgreementId,
    version: u32,
    /// Own identity: name or fingerprint (default: the only own identity).
    #[arg(long)]
    identity: Option<String>,
}

#[derive(Args)]
pub struct RejectVersionArgs {
    id: AgreementId,
    version: u32,
    #[arg(long)]
    identity: Option<String>,
    #[arg(long)]
    comment: String,
}

#[derive(Args)]
pub struct AmendArgs {
    id: AgreementId,
    file: Option<PathBuf>,
    #[arg(long)]
    reason: String,
    /// Sign the proposal as this own identity.
    #[arg(long)]
    identity: Option<String>,
}

#[derive(Args)]
pub struct AmendmentsArgs {
    id: AgreementId,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ReviewArgs {
    id: AgreementId,
    /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
    amendment: AmendmentRef,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ApproveArgs {
    id: AgreementId,
    /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
    amendment: AmendmentRef,
    #[arg(long)]
    identity: Option<String>,
}

#[derive(Args)]
pub struct RejectArgs {
    id: AgreementId,
    /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
    amendment: AmendmentRef,
    #[arg(long)]
    identity: Option<String>,
    #[arg(long)]
    comment: String,
}

pub fn policy(lib: &Library, out: &mut impl Write, args: PolicyArgs) -> anyhow::Result<ExitCode> {
    let policy = if args.require.is_empty() {
        lib.policy(args.id)?
    } else {
        lib.set_policy(args.id, &args.require)?
    };
    let roles: Vec<&str> = policy.required.iter().map(Role::key).collect();
    writeln!(out, "required: {}", roles.join(", "))?;
    Ok(ExitCode::SUCCESS)
}

pub fn request_approval(
    lib: &Library,
    out: &mut impl Write,
    args: IdArgs,
) -> anyhow::Result<ExitCode> {
    let r = lib.request_approval(args.id)?;
    let roles: Vec<&str> = r.required.iter().map(Role::key).collect();
    writeln!(
        out,
        "version {} ({}) is in review; required: {}",
        r.version,
        &r.content_hash[..16],
        roles.join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn withdraw_review(
    lib: &Library,
    out: &mut impl Write,
    args: IdArgs,
) -> anyhow::Result<ExitCode> {
    let id = args.id;
    let status = lib.withdraw_review(id)?;
    writeln!(
        out,
        "agreement {id} is {status} again; the request for approval is withdrawn"
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn sign(lib: &Library, out: &mut impl Write, args: SignArgs) -> anyhow::Result<ExitCode> {
    let (who, pass) = signer(lib, args.identity.as_deref())?;
    print_outcome(out, &lib.sign(args.id, args.version, &who, &pass)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn reject_version(
    lib: &Library,
    out: &mut impl Write,
    args: RejectVersionArgs,
) -> anyhow::Result<ExitCode> {
    let (who, pass) = signer(lib, args.identity.as_deref())?;
    print_outcome(
        out,
        &lib.reject_version(args.id, args.version, &who, &pass, &args.comment)?,
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn amend(lib: &Library, out: &mut impl Write, args: AmendArgs) -> anyhow::Result<ExitCode> {
    let AmendArgs {
        id,
        file,
        reason,
        identity,
    } = args;
    let signed_by = match identity.as_deref() {
        Some(i) => Some(signer(lib, Some(i))?),
        None => None,
    };
    let proposer = signed_by.as_ref().map(|(w, p)| (w.as_str(), p.as_str()));
    let a = match file {
        Some(f) => lib.propose_amendment_json(id, &read_input(&f)?, &reason, proposer)?,
        None => lib.propose_amendment_from_draft(id, &reason, proposer)?,
    };
    writeln!(
        out,
        "amendment {} proposed: version {} → {}",
        a.number, a.base_version, a.target_version
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn amendments(
    lib: &Library,
    out: &mut impl Write,
    args: AmendmentsArgs,
) -> anyhow::Result<ExitCode> {
    let list = lib.amendments(args.id)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for a in list {
        let missing: Vec<&str> = a.missing_roles.iter().map(Role::key).collect();
        writeln!(
            out,
            "{:>3}  {:<8}  v{} → v{}  {}  {}{}",
            a.number,
            key_of(&a.state),
            a.base_version,
            a.target_version,
            a.proposed_at,
            a.reason.replace('\n', " "),
            if missing.is_empty() || a.state != AmendmentState::Open {
                String::new()
            } else {
                format!("  (waiting for {})", missing.join(", "))
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn review(lib: &Library, out: &mut impl Write, args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let review = lib.amendment(args.id, args.amendment)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&review)?)?;
    } else {
        let a = &review.summary;
        writeln!(
            out,
            "amendment {} ({}): version {} → {}\nreason: {}\n",
            a.number,
            key_of(&a.state),
            a.base_version,
            a.target_version,
            a.reason
        )?;
        out.write_all(review.comparison.to_text().as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn approve(lib: &Library, out: &mut impl Write, args: ApproveArgs) -> anyhow::Result<ExitCode> {
    let (who, pass) = signer(lib, args.identity.as_deref())?;
    print_outcome(out, &lib.approve(args.id, args.amendment, &who, &pass)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn reject(lib: &Library, out: &mut impl Write, args: RejectArgs) -> anyhow::Result<ExitCode> {
    let (who, pass) = signer(lib, args.identity.as_deref())?;
    print_outcome(
        out,
        &lib.reject(args.id, args.amendment, &who, &pass, &args.comment)?,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One line on what a signature did: the decision, the role, the status it left and who is
/// still missing.
fn print_outcome(out: &mut impl Write, o: &SignOutcome) -> anyhow::Result<()> {
    let what = match o.amendment {
        Some(a) => format!("amendment {a} (version {})", o.version),
        None => format!("version {}", o.version),
    };
    write!(
        out,
        "{} {what} as {}; status {}",
        match o.decision {
            Decision::Approve => "approved",
            Decision::Reject => "rejected",
        },
        o.role.key(),
        o.status
    )?;
    if let Some(v) = o.in_force {
        write!(out, ", version {v} in force")?;
    }
    if !o.missing_roles.is_empty() {
        let m: Vec<&str> = o.missing_roles.iter().map(Role::key).collect();
        write!(out, "; waiting for {}", m.join(", "))?;
    }
    writeln!(out)?;
    Ok(())
}
