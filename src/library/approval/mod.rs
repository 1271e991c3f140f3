//! The signing workflow on [`Library`], one concern per file: own identities and their keys
//! (`identities`), the trust list of everyone's cards (`trust`), approval policies
//! (`policy`), requesting approval and signing decisions (`signing`), amendments
//! (`amendments`), how status follows from the signed decisions (`settle`), the history
//! timeline (`history`), the decisions owed by this database's identities (`inbox`),
//! verification (`verification`), checkpoints (`checkpoints`) and exchange files
//! (`exchange`).
//!
//! Status follows only from signatures: after every signature or import, `settle` looks at
//! the stored decisions and puts the newest fully approved version in force (enacting an
//! approved amendment as the next version). Private keys are unlocked only for the one call
//! that signs, outside the store lock (Argon2 takes a moment), and dropped (zeroized) after.

mod amendments;
mod checkpoints;
mod exchange;
mod history;
mod identities;
mod inbox;
mod policy;
mod settle;
mod signing;
mod trust;
mod verification;

pub use signing::SignOutcome;
