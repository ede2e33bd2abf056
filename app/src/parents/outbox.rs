//! Reports waiting on the parent's phone. A report goes into local storage before it is sent,
//! and leaves only when the server has stored it or refused it, so a report made offline is
//! sent when the phone is back online. Each keeps the id it was made with, and the server
//! stores a report sent twice once.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::absence_report::ReportRequest;
use crate::error::AppError;
use crate::sync::device::{self, StorageUnavailable};
use crate::sync::stored::{decode, encode};

/// Local storage key of the reports waiting to be sent.
pub const KEY: &str = "here-today.parent-reports";

/// A report waiting to be sent, with its words for the waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReport {
    pub request: ReportRequest,
    /// Such as "Monday 7 December 2026: Illness".
    pub words: String,
}

/// The reports waiting to be sent, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOutbox {
    pub pending: Vec<PendingReport>,
}

impl ReportOutbox {
    /// Adds a report unless one with its id is already waiting.
    pub fn push(&mut self, report: PendingReport) {
        if !self
            .pending
            .iter()
            .any(|p| p.request.id == report.request.id)
        {
            self.pending.push(report);
        }
    }

    /// Removes the report with `id`.
    pub fn remove(&mut self, id: Uuid) {
        self.pending.retain(|p| p.request.id != id);
    }

    /// Lists the reports waiting for any of `children`, oldest first. A phone shared by two
    /// families keeps each one's reports; only the signed-in parent's are sent.
    pub fn for_children(&self, children: &[Uuid]) -> Vec<PendingReport> {
        self.pending
            .iter()
            .filter(|p| children.contains(&p.request.child))
            .cloned()
            .collect()
    }

    /// Lists the reports waiting for `child`.
    pub fn for_child(&self, child: Uuid) -> Vec<PendingReport> {
        self.pending
            .iter()
            .filter(|p| p.request.child == child)
            .cloned()
            .collect()
    }
}

/// Reads the waiting reports; an unreadable or missing value reads as none.
pub fn load() -> ReportOutbox {
    match device::read(KEY) {
        Ok(Some(text)) => decode(&text).unwrap_or_default(),
        _ => ReportOutbox::default(),
    }
}

/// Keeps the waiting reports in local storage.
pub fn save(outbox: &ReportOutbox) -> Result<(), StorageUnavailable> {
    device::write(KEY, &encode(outbox, chrono::Utc::now()))
}

/// True when a failed send should be tried again later: the network or the server failed, or
/// the parent must sign in again. Any other error is the server's verdict on this report.
pub fn worth_retrying(error: &AppError) -> bool {
    matches!(
        error,
        AppError::Network { .. } | AppError::Internal | AppError::SignInNeeded
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(id: u128, child: u128) -> PendingReport {
        PendingReport {
            request: ReportRequest {
                id: Uuid::from_u128(id),
                child: Uuid::from_u128(child),
                first_day: "2026-12-07".to_owned(),
                last_day: String::new(),
                sessions: String::new(),
                reason: "illness".to_owned(),
                note: String::new(),
            },
            words: "Monday 7 December 2026: Illness".to_owned(),
        }
    }

    #[test]
    fn outbox_keeps_each_id_once() {
        let mut outbox = ReportOutbox::default();
        outbox.push(pending(1, 9));
        outbox.push(pending(1, 9));
        outbox.push(pending(2, 8));
        assert_eq!(outbox.pending.len(), 2, "the same id waits once");
        assert_eq!(outbox.for_child(Uuid::from_u128(9)), vec![pending(1, 9)]);
        outbox.remove(Uuid::from_u128(1));
        assert_eq!(outbox.pending, vec![pending(2, 8)]);
    }

    #[test]
    fn only_the_signed_in_parents_reports_are_sent() {
        let mut outbox = ReportOutbox::default();
        outbox.push(pending(1, 9));
        outbox.push(pending(2, 8));
        outbox.push(pending(3, 9));
        let mine = [Uuid::from_u128(9)];
        assert_eq!(
            outbox.for_children(&mine),
            vec![pending(1, 9), pending(3, 9)]
        );
        assert!(outbox.for_children(&[]).is_empty());
        assert_eq!(outbox.pending.len(), 3, "the other family's report stays");
    }

    #[test]
    fn stored_text_round_trips() {
        let mut outbox = ReportOutbox::default();
        outbox.push(pending(1, 9));
        let text = encode(&outbox, chrono::Utc::now());
        assert_eq!(decode::<ReportOutbox>(&text).unwrap(), outbox);
    }

    #[test]
    fn only_passing_failures_are_retried() {
        assert!(worth_retrying(&AppError::Network {
            message: "offline".to_owned()
        }));
        assert!(worth_retrying(&AppError::Internal));
        assert!(!worth_retrying(&AppError::invalid("reason", "unknown")));
        assert!(!worth_retrying(&AppError::not_found("Child")));
        assert!(!worth_retrying(&AppError::conflict("id used")));
    }
}
