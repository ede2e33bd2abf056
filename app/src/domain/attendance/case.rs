//! The case log: the kinds of action a manager records for a child, and when reviews are due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An action recorded in a child's case log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    CallMade,
    LetterSent,
    ParentMeeting,
    HomeVisit,
    FamilyTarget,
    EarlyHelp,
    SencoInvolved,
    Referral,
    FamilyMeeting,
    SupportOfficer,
    Note,
}

impl ActionKind {
    /// Every kind, in the order a manager sees them.
    pub const ALL: [ActionKind; 11] = [
        Self::CallMade,
        Self::LetterSent,
        Self::ParentMeeting,
        Self::HomeVisit,
        Self::FamilyTarget,
        Self::EarlyHelp,
        Self::SencoInvolved,
        Self::Referral,
        Self::FamilyMeeting,
        Self::SupportOfficer,
        Self::Note,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::CallMade => "call_made",
            Self::LetterSent => "letter_sent",
            Self::ParentMeeting => "parent_meeting",
            Self::HomeVisit => "home_visit",
            Self::FamilyTarget => "family_target",
            Self::EarlyHelp => "early_help",
            Self::SencoInvolved => "senco_involved",
            Self::Referral => "referral",
            Self::FamilyMeeting => "family_meeting",
            Self::SupportOfficer => "support_officer",
            Self::Note => "note",
        }
    }

    /// Reads a kind from its code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Label a manager sees.
    pub fn label(self) -> &'static str {
        match self {
            Self::CallMade => "Call made",
            Self::LetterSent => "Letter sent",
            Self::ParentMeeting => "Meeting with parents",
            Self::HomeVisit => "Home visit",
            Self::FamilyTarget => "Family attendance target set",
            Self::EarlyHelp => "Early Help Assessment started",
            Self::SencoInvolved => "SENCO involved",
            Self::Referral => "Referral to a support service",
            Self::FamilyMeeting => "Team-around-the-family meeting",
            Self::SupportOfficer => "Family support officer assigned",
            Self::Note => "Note",
        }
    }

    /// Whether the action is a family plan that Level 3 looks for: a team-around-the-family
    /// meeting or a family attendance target.
    pub fn is_family_plan(self) -> bool {
        matches!(self, Self::FamilyMeeting | Self::FamilyTarget)
    }
}

/// Returns the review date in force: the `next_review` of the newest entry that set one, when
/// no later entry was made on or after that date. Entries are (date made, next review),
/// oldest first.
pub fn review_due(entries: &[(NaiveDate, Option<NaiveDate>)]) -> Option<NaiveDate> {
    let (index, review) = entries
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, (_, review))| review.map(|review| (index, review)))?;
    let reviewed = entries[index + 1..].iter().any(|(made, _)| *made >= review);
    (!reviewed).then_some(review)
}
