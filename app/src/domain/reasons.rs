//! Absence reasons for early-years settings, with how each counts and the nearest code in the
//! national school attendance register code set in force in England from August 2024.

use serde::{Deserialize, Serialize};

/// The reason a child is absent from a booked session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    Illness,
    MedicalAppointment,
    HolidayAgreed,
    HolidayNotAgreed,
    ReligiousObservance,
    FamilyEmergency,
    SettingClosed,
    NotYetKnown,
    Other,
}

/// Whether the setting accepts an absence as justified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authorisation {
    Authorised,
    Unauthorised,
}

impl AbsenceReason {
    /// Every reason, in the order staff see them.
    pub const ALL: [AbsenceReason; 9] = [
        Self::Illness,
        Self::MedicalAppointment,
        Self::HolidayAgreed,
        Self::HolidayNotAgreed,
        Self::ReligiousObservance,
        Self::FamilyEmergency,
        Self::SettingClosed,
        Self::NotYetKnown,
        Self::Other,
    ];

    /// Returns the label staff and parents see.
    pub fn label(self) -> &'static str {
        match self {
            Self::Illness => "Illness",
            Self::MedicalAppointment => "Medical or dental appointment",
            Self::HolidayAgreed => "Holiday (agreed)",
            Self::HolidayNotAgreed => "Holiday (not agreed)",
            Self::ReligiousObservance => "Religious observance",
            Self::FamilyEmergency => "Family emergency or bereavement",
            Self::SettingClosed => "Setting closed",
            Self::NotYetKnown => "Not yet known",
            Self::Other => "Other",
        }
    }

    /// Returns the stable identifier used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Illness => "illness",
            Self::MedicalAppointment => "medical_appointment",
            Self::HolidayAgreed => "holiday_agreed",
            Self::HolidayNotAgreed => "holiday_not_agreed",
            Self::ReligiousObservance => "religious_observance",
            Self::FamilyEmergency => "family_emergency",
            Self::SettingClosed => "setting_closed",
            Self::NotYetKnown => "not_yet_known",
            Self::Other => "other",
        }
    }

    /// Parses the identifier returned by [`AbsenceReason::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    /// Returns whether the absence counts as authorised.
    pub fn authorisation(self) -> Authorisation {
        match self {
            Self::HolidayNotAgreed | Self::NotYetKnown | Self::Other => Authorisation::Unauthorised,
            _ => Authorisation::Authorised,
        }
    }

    /// Returns the nearest school register code (England, 2024 code set): I illness,
    /// M medical or dental, C leave of absence granted, G holiday not agreed, R religious
    /// observance, # planned closure, N reason not yet provided, O other unauthorised absence.
    pub fn school_code(self) -> &'static str {
        match self {
            Self::Illness => "I",
            Self::MedicalAppointment => "M",
            Self::HolidayAgreed | Self::FamilyEmergency => "C",
            Self::HolidayNotAgreed => "G",
            Self::ReligiousObservance => "R",
            Self::SettingClosed => "#",
            Self::NotYetKnown => "N",
            Self::Other => "O",
        }
    }

    /// Returns whether staff must add a note when choosing this reason.
    pub fn needs_note(self) -> bool {
        self == Self::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for reason in AbsenceReason::ALL {
            assert_eq!(AbsenceReason::from_code(reason.code()), Some(reason));
        }
        assert_eq!(AbsenceReason::from_code("poorly"), None);
    }

    #[test]
    fn authorisation_and_school_codes() {
        let cases = [
            (AbsenceReason::Illness, Authorisation::Authorised, "I"),
            (
                AbsenceReason::HolidayNotAgreed,
                Authorisation::Unauthorised,
                "G",
            ),
            (AbsenceReason::NotYetKnown, Authorisation::Unauthorised, "N"),
            (AbsenceReason::SettingClosed, Authorisation::Authorised, "#"),
        ];
        for (reason, authorisation, code) in cases {
            assert_eq!(reason.authorisation(), authorisation, "{reason:?}");
            assert_eq!(reason.school_code(), code, "{reason:?}");
        }
    }

    #[test]
    fn serde_uses_the_code() {
        let json = serde_json::to_string(&AbsenceReason::MedicalAppointment).unwrap();
        assert_eq!(json, "\"medical_appointment\"");
    }
}
