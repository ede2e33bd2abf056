//! Principals and the rules of what each may reach. The rules are pure. The server resolves
//! the [`Principal`] from the request's cookies, and [`route_access`] with [`decide`] returns
//! whether the route is open to it. Handlers then check the setting, room or child they read.

pub mod api;
pub mod manage;
pub mod model;
pub mod pages;
pub mod pin;
#[cfg(feature = "ssr")]
pub mod secret;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person with an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub account: Uuid,
    pub setting: Uuid,
    pub name: String,
    /// The staff record of a manager or practitioner.
    pub staff: Option<Uuid>,
}

/// An enrolled device: a room tablet or a lobby display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub enrolment: Uuid,
    pub setting: Uuid,
    /// The room of a room tablet; `None` for a lobby display.
    pub room: Option<Uuid>,
    pub name: String,
}

/// The person or device behind a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    #[default]
    Anonymous,
    Manager {
        person: Person,
    },
    Practitioner {
        person: Person,
        rooms: Vec<Uuid>,
    },
    Parent {
        person: Person,
        children: Vec<Uuid>,
    },
    RoomTablet {
        device: Device,
    },
    Lobby {
        device: Device,
    },
    /// A room tablet or lobby display whose enrolment a manager revoked.
    Revoked {
        device: Device,
    },
}

impl Principal {
    /// Returns the setting the principal belongs to.
    pub fn setting(&self) -> Option<Uuid> {
        match self {
            Self::Anonymous => None,
            Self::Manager { person }
            | Self::Practitioner { person, .. }
            | Self::Parent { person, .. } => Some(person.setting),
            Self::RoomTablet { device } | Self::Lobby { device } | Self::Revoked { device } => {
                Some(device.setting)
            }
        }
    }

    /// Returns the signed-in person, if the principal is one.
    pub fn person(&self) -> Option<&Person> {
        match self {
            Self::Manager { person }
            | Self::Practitioner { person, .. }
            | Self::Parent { person, .. } => Some(person),
            _ => None,
        }
    }

    /// Returns whether the principal manages `setting`.
    pub fn manages(&self, setting: Uuid) -> bool {
        matches!(self, Self::Manager { person } if person.setting == setting)
    }

    /// Returns whether the principal may read and mark the register of `room` in `setting`.
    pub fn may_open_room(&self, setting: Uuid, room: Uuid) -> bool {
        match self {
            Self::Manager { person } => person.setting == setting,
            Self::Practitioner { person, rooms } => {
                person.setting == setting && rooms.contains(&room)
            }
            Self::RoomTablet { device } => device.setting == setting && device.room == Some(room),
            _ => false,
        }
    }

    /// Returns whether the principal may read the records of `child`, who is in `room` of
    /// `setting`.
    pub fn may_see_child(&self, setting: Uuid, room: Uuid, child: Uuid) -> bool {
        match self {
            Self::Parent { person, children } => {
                person.setting == setting && children.contains(&child)
            }
            // A child's day is part of the register of the child's room.
            other => other.may_open_room(setting, room),
        }
    }

    /// Returns a short description for the audit trail: the role and the name.
    pub fn audit_label(&self) -> String {
        match self {
            Self::Anonymous => "someone not signed in".to_owned(),
            Self::Manager { person } => format!("manager {}", person.name),
            Self::Practitioner { person, .. } => format!("practitioner {}", person.name),
            Self::Parent { person, .. } => format!("parent {}", person.name),
            Self::RoomTablet { device } => format!("room tablet {}", device.name),
            Self::Lobby { device } => format!("lobby display {}", device.name),
            Self::Revoked { device } => format!("removed device {}", device.name),
        }
    }
}

/// The kinds of principal a route is open to, before the handler checks the setting, room or
/// child it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: sign-in pages, the app's code, icons and health.
    Public,
    /// Any signed-in person or enrolled device.
    Known,
    /// Any signed-in person.
    Person,
    /// Managers of the setting.
    Manager,
    /// Managers, practitioners and room tablets; the handler checks the room.
    Register,
    /// Managers, practitioners, room tablets and parents; the handler checks the child.
    ChildRecord,
    /// Parents and carers.
    Parent,
    /// Lobby displays and managers; the handler reads the caller's own setting.
    Display,
}

/// The server's decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// No one is signed in. Pages redirect to the sign-in page and the API returns 401.
    SignIn,
    /// The route exists but not for this principal, so the reply is "not found".
    NotFound,
    /// The device's enrolment was revoked, and the reply gives that reason.
    Revoked,
}

/// Returns the access rule of `path`, or `None` for a path with no rule, which is closed to all.
pub fn route_access(path: &str) -> Option<Access> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let access = match segments.as_slice() {
        [""] => Access::Known,
        ["sign-in"] | ["enrol"] | ["health"] | ["sw.js"] | ["manifest.webmanifest"] => {
            Access::Public
        }
        ["favicon.svg"] | ["favicon.ico"] | ["icons", _] => Access::Public,
        ["setup", _] | ["invite", _] | ["reset", _] => Access::Public,
        ["b", _, _, _] | ["pkg", _] => Access::Public,
        ["account"] => Access::Person,
        ["manage", "accounts" | "devices" | "audit"] | ["today"] => Access::Manager,
        ["manage", "morning" | "attendance" | "letters" | "rules" | "import" | "lobby"] => {
            Access::Manager
        }
        ["lobby"] => Access::Display,
        ["manage", "children", _] | ["manage", "children", _, "letters", _] => Access::Manager,
        ["manage", "export", "register.csv" | "figures.csv"] => Access::Manager,
        ["rooms", _] => Access::Register,
        ["children", _, "days", _] => Access::ChildRecord,
        ["my"] => Access::Parent,
        ["api", endpoint] => api_access(endpoint)?,
        _ => return None,
    };
    Some(access)
}

/// Returns the access rule of each JSON route and server function under `/api/`.
fn api_access(endpoint: &str) -> Option<Access> {
    let access = match endpoint {
        "sign-in" | "accept-link" | "link" | "enrol" => Access::Public,
        "home" => Access::Known,
        "sign-out" | "sign-out-everywhere" | "set-pin" | "account" => Access::Person,
        "events" | "sync" | "register" => Access::Register,
        "child-day" => Access::ChildRecord,
        "today" | "accounts" | "invite" | "reset-link" | "devices" | "pairing-code" | "revoke"
        | "held-mark" | "audit" | "pin-minutes" => Access::Manager,
        "morning"
        | "log-call"
        | "decide-suggestion"
        | "dashboard"
        | "child-report"
        | "case-entry"
        | "letter"
        | "send-letter"
        | "letter-templates"
        | "save-letter-template"
        | "attendance-rules"
        | "save-attendance-rules"
        | "import-history"
        | "lobby-messages"
        | "save-lobby-messages" => Access::Manager,
        "lobby" => Access::Display,
        "my-children" | "report-absence" | "withdraw-absence" => Access::Parent,
        _ => return None,
    };
    Some(access)
}

/// Decides whether `principal` may reach a route open to `access`.
pub fn decide(access: Access, principal: &Principal) -> Decision {
    use Principal as P;
    let allowed = match (access, principal) {
        (Access::Public, _) => true,
        (_, P::Anonymous) => return Decision::SignIn,
        (Access::Register | Access::Known | Access::Display, P::Revoked { .. }) => {
            return Decision::Revoked
        }
        (Access::Known, _) => true,
        (Access::Person, p) => p.person().is_some(),
        (Access::Manager, p) => matches!(p, P::Manager { .. }),
        (Access::Register, p) => {
            matches!(
                p,
                P::Manager { .. } | P::Practitioner { .. } | P::RoomTablet { .. }
            )
        }
        (Access::ChildRecord, p) => {
            matches!(
                p,
                P::Manager { .. }
                    | P::Practitioner { .. }
                    | P::RoomTablet { .. }
                    | P::Parent { .. }
            )
        }
        (Access::Parent, p) => matches!(p, P::Parent { .. }),
        (Access::Display, p) => matches!(p, P::Lobby { .. } | P::Manager { .. }),
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(setting: Uuid) -> Person {
        Person {
            account: Uuid::now_v7(),
            setting,
            name: "Test".into(),
            staff: None,
        }
    }

    #[test]
    fn unknown_paths_have_no_rule() {
        for path in [
            "/admin",
            "/api/unknown",
            "/rooms",
            "/rooms/a/b",
            "/manage/secret",
        ] {
            assert_eq!(route_access(path), None, "{path}");
        }
    }

    #[test]
    fn anonymous_sent_to_sign_in() {
        assert_eq!(
            decide(Access::Public, &Principal::Anonymous),
            Decision::Allow
        );
        for access in [
            Access::Known,
            Access::Manager,
            Access::Register,
            Access::Parent,
        ] {
            assert_eq!(decide(access, &Principal::Anonymous), Decision::SignIn);
        }
    }

    #[test]
    fn practitioner_opens_own_rooms_only() {
        let setting = Uuid::now_v7();
        let room_a = Uuid::now_v7();
        let room_b = Uuid::now_v7();
        let practitioner = Principal::Practitioner {
            person: person(setting),
            rooms: vec![room_a],
        };
        assert!(practitioner.may_open_room(setting, room_a));
        assert!(!practitioner.may_open_room(setting, room_b));
        assert!(!practitioner.may_open_room(Uuid::now_v7(), room_a));
        assert_eq!(decide(Access::Manager, &practitioner), Decision::NotFound);
    }

    #[test]
    fn parent_sees_own_children_only() {
        let setting = Uuid::now_v7();
        let room = Uuid::now_v7();
        let (mine, other) = (Uuid::now_v7(), Uuid::now_v7());
        let parent = Principal::Parent {
            person: person(setting),
            children: vec![mine],
        };
        assert!(parent.may_see_child(setting, room, mine));
        assert!(!parent.may_see_child(setting, room, other));
        assert!(!parent.may_open_room(setting, room));
    }

    #[test]
    fn revoked_tablet_gets_reason() {
        let device = Device {
            enrolment: Uuid::now_v7(),
            setting: Uuid::now_v7(),
            room: Some(Uuid::now_v7()),
            name: "Tablet".into(),
        };
        let revoked = Principal::Revoked { device };
        assert_eq!(decide(Access::Register, &revoked), Decision::Revoked);
        assert_eq!(decide(Access::Manager, &revoked), Decision::NotFound);
        assert!(!revoked.may_open_room(Uuid::now_v7(), Uuid::now_v7()));
    }

    #[test]
    fn display_open_to_lobby_and_managers_only() {
        let setting = Uuid::now_v7();
        let device = |room| Device {
            enrolment: Uuid::now_v7(),
            setting,
            room,
            name: "Screen".into(),
        };
        assert_eq!(route_access("/lobby"), Some(Access::Display));
        assert_eq!(route_access("/api/lobby"), Some(Access::Display));
        let allowed = [
            Principal::Lobby {
                device: device(None),
            },
            Principal::Manager {
                person: person(setting),
            },
        ];
        for principal in allowed {
            assert_eq!(decide(Access::Display, &principal), Decision::Allow);
        }
        let refused = [
            Principal::RoomTablet {
                device: device(Some(Uuid::now_v7())),
            },
            Principal::Practitioner {
                person: person(setting),
                rooms: vec![],
            },
            Principal::Parent {
                person: person(setting),
                children: vec![],
            },
        ];
        for principal in refused {
            assert_eq!(decide(Access::Display, &principal), Decision::NotFound);
        }
        let revoked = Principal::Revoked {
            device: device(None),
        };
        assert_eq!(decide(Access::Display, &revoked), Decision::Revoked);
        assert_eq!(
            decide(Access::Display, &Principal::Anonymous),
            Decision::SignIn
        );
    }
}
