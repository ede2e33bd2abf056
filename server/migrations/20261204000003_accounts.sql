-- Accounts, sign-in links, enrolled devices, practitioners' PINs, marks held from removed
-- tablets, and the audit trail. Sessions live in the `sessions` table that the session store
-- creates itself.

-- A person who signs in: a manager, a practitioner or a parent or carer.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('manager', 'practitioner', 'parent')),
    -- The staff record of a manager or practitioner, whose id marks carry.
    staff_id TEXT REFERENCES staff(id),
    -- Argon2id PHC string; NULL until the account's invitation is accepted.
    password_hash TEXT,
    -- Raised by "sign out everywhere": sessions made under a lower number are refused.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

-- The rooms a practitioner works in.
CREATE TABLE account_rooms (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    room_id TEXT NOT NULL REFERENCES rooms(id),
    PRIMARY KEY (account_id, room_id)
);

-- The children of a parent or carer.
CREATE TABLE account_children (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    PRIMARY KEY (account_id, child_id)
);
CREATE INDEX account_children_child ON account_children(child_id);

-- One-time links: an invitation to a new account, a password reset, or the first manager's
-- set-up. Only a SHA-256 hash of the token is kept.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset', 'setup')),
    account_id TEXT REFERENCES accounts(id),
    created_by TEXT REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Room tablets and lobby displays. A pairing code (hashed, short-lived) is exchanged once for
-- a long-lived credential (hashed); revoking ends the credential for good.
CREATE TABLE enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    kind TEXT NOT NULL CHECK (kind IN ('room', 'lobby')),
    room_id TEXT REFERENCES rooms(id),
    name TEXT NOT NULL,
    pairing_code_hash TEXT,
    pairing_expires_at TEXT,
    credential_hash TEXT UNIQUE,
    created_by TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    paired_at TEXT,
    last_seen_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT REFERENCES accounts(id),
    CHECK ((kind = 'room') = (room_id IS NOT NULL))
);
CREATE INDEX enrolments_setting ON enrolments(setting_id);

-- Hashed 4-digit PINs that practitioners enter on a shared room tablet.
CREATE TABLE staff_pins (
    staff_id TEXT PRIMARY KEY NOT NULL REFERENCES staff(id),
    pin_hash TEXT NOT NULL,
    set_at TEXT NOT NULL
);

-- How long a room tablet remembers the practitioner who entered their PIN.
ALTER TABLE settings ADD COLUMN pin_remember_minutes INTEGER NOT NULL DEFAULT 10;

-- Marks sent by a tablet after it was revoked, kept for a manager to accept or reject.
CREATE TABLE held_marks (
    id TEXT PRIMARY KEY NOT NULL,
    enrolment_id TEXT NOT NULL REFERENCES enrolments(id),
    setting_id TEXT NOT NULL REFERENCES settings(id),
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('accepted', 'rejected')),
    decided_by TEXT REFERENCES accounts(id),
    decided_at TEXT
);
CREATE INDEX held_marks_setting ON held_marks(setting_id);

-- The audit trail. Rows are only ever inserted: the triggers below reject updates and deletes.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    -- NULL for events before anyone is known, such as a failed sign-in to an unknown address.
    setting_id TEXT REFERENCES settings(id),
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    -- The device id or the network address the request came from.
    origin TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_setting_at ON audit_log(setting_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- The enrolment a tablet synced under, once tablets enrol.
ALTER TABLE devices ADD COLUMN enrolment_id TEXT REFERENCES enrolments(id);
