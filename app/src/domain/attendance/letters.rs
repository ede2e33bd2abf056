//! Letter templates: the two kinds of letter and filling a template from a child's figures.

use serde::{Deserialize, Serialize};

/// The letters a setting sends about attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Concern,
    Progress,
}

impl LetterKind {
    /// Both kinds.
    pub const ALL: [LetterKind; 2] = [Self::Concern, Self::Progress];

    /// Stable code used in addresses and the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Concern => "concern",
            Self::Progress => "progress",
        }
    }

    /// Reads a kind from its code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Label such as "Concern about attendance".
    pub fn label(self) -> &'static str {
        match self {
            Self::Concern => "Concern about attendance",
            Self::Progress => "Progress made",
        }
    }

    /// The template used until the manager edits it.
    pub fn default_template(self) -> &'static str {
        match self {
            Self::Concern => CONCERN,
            Self::Progress => PROGRESS,
        }
    }
}

const CONCERN: &str = "Dear {carer},

We love having {child} with us at {setting}, and regular attendance helps {child} settle, make friends and get the most from their early learning.

Over the last 6 weeks {child} attended {recent_attended} of {recent_possible} booked sessions ({recent_rate}). In the 6 weeks before that it was {previous_rate}.

We would like to meet you to talk about how we can help. Please call us or speak to {child}'s key person when you are next in.

With best wishes,
{manager}
{setting}";

const PROGRESS: &str = "Dear {carer},

Thank you! Over the last 6 weeks {child} attended {recent_attended} of {recent_possible} booked sessions ({recent_rate}). In the 6 weeks before that it was {previous_rate}.

Coming in regularly makes a real difference to {child}'s time with us, and we have noticed. Please keep it up.

With best wishes,
{manager}
{setting}";

/// The placeholders a template may use, with what each is replaced by.
pub const PLACEHOLDERS: [(&str, &str); 8] = [
    ("{carer}", "the first contact's name"),
    ("{child}", "the child's first name"),
    ("{setting}", "the setting's name"),
    ("{manager}", "the signed-in manager's name"),
    ("{recent_rate}", "the rate over the last 6 weeks"),
    ("{recent_attended}", "sessions attended in the last 6 weeks"),
    ("{recent_possible}", "booked sessions in the last 6 weeks"),
    ("{previous_rate}", "the rate in the 6 weeks before"),
];

/// Fills `template`: each `{name}` found in `values` is replaced, and anything else is left
/// as written. The template is read once from left to right, so a value that itself contains
/// a placeholder (a name typed with braces) is printed as typed.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let found = after.find('}').and_then(|close| {
            let name = &after[..=close];
            let value = values.iter().find(|(known, _)| *known == name)?;
            Some((close, &value.1))
        });
        match found {
            Some((close, value)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// Names the placeholders in `template` that are not known, so a manager can fix a typing
/// mistake before saving.
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            // An opening brace with no closing one is a placeholder typed half-way.
            unknown.push(after.chars().take(20).collect());
            break;
        };
        let name = &after[..=close];
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            unknown.push(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    unknown
}
