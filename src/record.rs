//! Records about stored agreements that are not agreement content: ids, status and the rules
//! of its changes, list rows, version metadata, search hits and list queries.
//!
//! These are the types the CLI prints and the desktop shell sends to the UI. The content of an
//! agreement lives in `crate::model`; this module only describes what the store keeps *around*
//! it.

use serde::{Deserialize, Serialize};

use crate::model::Language;

/// Database id of an agreement. Shown to users (the CLI prints it), never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgreementId(pub i64);

#[cfg(feature = "specta")]
impl specta::Type for AgreementId {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        // Ids stay far below 2^53, so a TypeScript `number` holds them exactly (specta refuses
        // i64 because larger values would not).
        <u32 as specta::Type>::definition(types)
    }
}

impl std::fmt::Display for AgreementId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for AgreementId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(AgreementId)
            .ok_or_else(|| format!("\"{s}\" is not an agreement id (a positive number)"))
    }
}

/// Where an agreement stands in its life cycle.
///
/// `Draft` → (freeze, request approval) `InReview` → (all required signatures) `InForce` →
/// (a later version comes into force) `Superseded`; a rejected version, or a withdrawn
/// request, returns `InReview` to `Draft`. `Archived` hides an agreement from the
/// default list and can be undone. Only signatures move an agreement into `InForce`; the store
/// refuses every other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    InReview,
    InForce,
    Superseded,
    Archived,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::InReview,
        Status::InForce,
        Status::Superseded,
        Status::Archived,
    ];

    /// The stable text stored in the database and used on the command line.
    pub fn key(&self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::InForce => "in_force",
            Status::Superseded => "superseded",
            Status::Archived => "archived",
        }
    }

    pub fn label(&self, lang: Language) -> &'static str {
        let (de, en) = match self {
            Status::Draft => ("Entwurf", "Draft"),
            Status::InReview => ("In Prüfung", "In review"),
            Status::InForce => ("In Kraft", "In force"),
            Status::Superseded => ("Abgelöst", "Superseded"),
            Status::Archived => ("Archiviert", "Archived"),
        };
        lang.pick(de, en)
    }

    /// Whether the life cycle allows moving from `self` to `to` at all. Signature requirements
    /// for `InForce` are checked by the signing workflow on top of this.
    pub fn can_become(&self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Draft, InReview)
                | (InReview, Draft)
                | (InReview, InForce)
                | (InForce, Superseded)
                | (Draft | InReview | InForce | Superseded, Archived)
        )
    }

    /// The status `change` leads to from `self`, or why it is refused (a phrase following
    /// "agreement N", e.g. "cannot go from in_force to in_review"). `before_archive` is the
    /// status remembered while archived. The store writes every status through this:
    ///
    /// - a user's [`StatusChange::Step`] follows [`Status::can_become`], but never into force;
    /// - [`StatusChange::Signed`] — what the signed decisions make of an agreement — may also
    ///   go from draft straight into force (a history imported whole, or a version whose
    ///   approvals were complete when its request was withdrawn);
    /// - [`StatusChange::Archive`] remembers the status, [`StatusChange::Unarchive`] returns
    ///   to it (`draft` if none was remembered);
    /// - an archived agreement changes only by being unarchived.
    ///
    /// Asking for the status an agreement already has is no change (`Ok(self)`).
    pub fn after(
        self,
        before_archive: Option<Status>,
        change: StatusChange,
    ) -> Result<Status, String> {
        use Status::*;
        match (self, change) {
            (from, StatusChange::Step(to) | StatusChange::Signed(to)) if from == to => Ok(from),
            (_, StatusChange::Archive) => Ok(Archived),
            (Archived, StatusChange::Unarchive) => Ok(before_archive.unwrap_or(Draft)),
            (Archived, _) => Err("is archived; unarchive it first".into()),
            (_, StatusChange::Unarchive) => Err("is not archived".into()),
            (_, StatusChange::Step(InForce)) => {
                Err("can come into force only through the signatures its policy requires".into())
            }
            (from, StatusChange::Step(to)) if from.can_become(to) => Ok(to),
            (from, StatusChange::Signed(to))
                if from.can_become(to) || (from, to) == (Draft, InForce) =>
            {
                Ok(to)
            }
            (from, StatusChange::Step(to) | StatusChange::Signed(to)) => {
                Err(format!("cannot go from {from} to {to}"))
            }
        }
    }
}

/// What asks for a status change; the store's one status rule ([`Status::after`]) looks at
/// it besides the two statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// A user's step in the life cycle: requesting review (draft → in review) or
    /// withdrawing the request (in review → draft).
    Step(Status),
    /// What the signed decisions make of the agreement (the approval workflow's `settle`, an
    /// exchange file): into force, back to draft after a rejection, into review.
    Signed(Status),
    /// Hidden from the default list; the status it had is remembered.
    Archive,
    /// Back to the status it had before archiving.
    Unarchive,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let k = s.trim().to_ascii_lowercase().replace('-', "_");
        Status::ALL
            .into_iter()
            .find(|st| st.key() == k)
            .ok_or_else(|| format!("unknown status \"{s}\" (use draft, in_review, in_force, superseded or archived)"))
    }
}

/// One row of the agreement library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgreementSummary {
    pub id: AgreementId,
    /// Identifies the agreement across databases (exchange files, signatures).
    pub uid: String,
    pub title: String,
    pub customer: String,
    pub provider: String,
    pub language: Language,
    pub status: Status,
    /// Id of the template the agreement was created from (empty for imports).
    pub template: String,
    /// Number of the newest frozen version, if any.
    pub current_version: Option<u32>,
    /// RFC 3339 time of the last change (draft save, freeze, status change).
    pub updated_at: String,
    pub created_at: String,
    /// Share of checklist items done, 0–100.
    pub completeness: u8,
    /// Number of error-severity findings in the current draft.
    pub open_errors: u32,
}

/// What the library list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Title,
    Customer,
    Status,
    #[default]
    UpdatedAt,
    Completeness,
    OpenErrors,
}

impl std::str::FromStr for SortKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "title" => SortKey::Title,
            "customer" => SortKey::Customer,
            "status" => SortKey::Status,
            "updated" | "updated_at" => SortKey::UpdatedAt,
            "completeness" => SortKey::Completeness,
            "errors" | "open_errors" => SortKey::OpenErrors,
            other => return Err(format!("cannot sort by \"{other}\" (use title, customer, status, updated, completeness or errors)")),
        })
    }
}

/// Filter, sort and page of the library list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ListQuery {
    /// Only agreements with this status; `None` means every status but archived.
    pub status: Option<Status>,
    pub sort: SortKey,
    pub descending: bool,
    /// Page size, 1–1000.
    pub limit: u32,
    pub offset: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            status: None,
            sort: SortKey::UpdatedAt,
            descending: true,
            limit: 100,
            offset: 0,
        }
    }
}

/// One page of the library list and the number of rows matching the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListPage {
    pub total: u32,
    pub items: Vec<AgreementSummary>,
}

/// Metadata of an immutable version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VersionInfo {
    pub agreement: AgreementId,
    pub number: u32,
    /// Lower-case hex SHA-256 of the canonical content.
    pub hash: String,
    /// Hash of the previous version; `None` for version 1.
    pub previous_hash: Option<String>,
    pub note: String,
    pub created_at: String,
}

/// A full-text search hit. `snippet` marks matches with `[` and `]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub id: AgreementId,
    pub title: String,
    pub customer: String,
    pub status: Status,
    /// Text around the match; matched words are wrapped in `[` … `]`.
    pub snippet: String,
}

/// Result of saving a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveOutcome {
    /// False when the draft was unchanged and nothing was written.
    pub changed: bool,
    /// Counts every write of the draft; unchanged saves do not increase it.
    pub revision: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every change the rule allows, as (from, before archiving, change, to). Anything not
    /// listed must be refused (a change to the status already held is no change and allowed).
    const ALLOWED: &[(Status, Option<Status>, StatusChange, Status)] = {
        use Status::*;
        use StatusChange::*;
        &[
            (Draft, None, Step(InReview), InReview),
            (InReview, None, Step(Draft), Draft),
            (Draft, None, Signed(InReview), InReview),
            (Draft, None, Signed(InForce), InForce),
            (InReview, None, Signed(Draft), Draft),
            (InReview, None, Signed(InForce), InForce),
            (InForce, None, Step(Superseded), Superseded),
            (InForce, None, Signed(Superseded), Superseded),
            (Draft, None, Step(Archived), Archived),
            (InReview, None, Step(Archived), Archived),
            (InForce, None, Step(Archived), Archived),
            (Superseded, None, Step(Archived), Archived),
            (Draft, None, Signed(Archived), Archived),
            (InReview, None, Signed(Archived), Archived),
            (InForce, None, Signed(Archived), Archived),
            (Superseded, None, Signed(Archived), Archived),
        ]
    };

    fn changes() -> Vec<StatusChange> {
        let mut all = vec![StatusChange::Archive, StatusChange::Unarchive];
        for s in Status::ALL {
            all.push(StatusChange::Step(s));
            all.push(StatusChange::Signed(s));
        }
        all
    }

    #[test]
    fn status_changes_follow_the_life_cycle_and_nothing_else() {
        for from in Status::ALL.into_iter().filter(|s| *s != Status::Archived) {
            for change in changes() {
                let got = from.after(None, change);
                let expected = match change {
                    StatusChange::Archive => Some(Status::Archived),
                    StatusChange::Step(to) | StatusChange::Signed(to) if to == from => Some(from),
                    _ => ALLOWED
                        .iter()
                        .find(|(f, _, c, _)| *f == from && *c == change)
                        .map(|(_, _, _, to)| *to),
                };
                assert_eq!(
                    got.as_ref().ok().copied(),
                    expected,
                    "{from} with {change:?}: only the life cycle's steps are allowed, got {got:?}"
                );
            }
        }
    }

    #[test]
    fn only_signatures_bring_an_agreement_into_force() {
        for from in Status::ALL.into_iter().filter(|s| *s != Status::InForce) {
            assert!(
                from.after(None, StatusChange::Step(Status::InForce))
                    .is_err(),
                "a user's step never puts an agreement in force (from {from})"
            );
        }
    }

    #[test]
    fn an_archived_agreement_changes_only_by_being_unarchived_to_its_status_before() {
        for before in Status::ALL.into_iter().filter(|s| *s != Status::Archived) {
            for change in changes() {
                let got = Status::Archived.after(Some(before), change);
                match change {
                    StatusChange::Unarchive => assert_eq!(
                        got,
                        Ok(before),
                        "unarchiving returns to the status before archiving"
                    ),
                    StatusChange::Archive => {
                        assert_eq!(got, Ok(Status::Archived), "archiving again is no change")
                    }
                    StatusChange::Step(Status::Archived)
                    | StatusChange::Signed(Status::Archived) => {
                        assert_eq!(got, Ok(Status::Archived), "no change")
                    }
                    other => assert_eq!(
                        got,
                        Err("is archived; unarchive it first".to_string()),
                        "{other:?} is refused while archived (it was {before})"
                    ),
                }
            }
        }
        assert_eq!(
            Status::Archived.after(None, StatusChange::Unarchive),
            Ok(Status::Draft),
            "without a remembered status, unarchiving returns to draft"
        );
        assert_eq!(
            Status::Draft.after(None, StatusChange::Unarchive),
            Err("is not archived".to_string()),
            "only an archived agreement can be unarchived"
        );
    }
}
