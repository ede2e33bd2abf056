-- Attendance figures and the graduated response: per-setting thresholds, special educational
-- needs, levels, suggestion decisions, the case log, first-day calls and letters.
-- Every log table here is append-only: corrections are new rows.

-- The setting's thresholds as JSON; NULL means the defaults.
ALTER TABLE settings ADD COLUMN attendance_rules TEXT;

-- The first local day the setting's figures count, YYYY-MM-DD; NULL means the day the setting
-- was created. Importing a past register moves it earlier.
ALTER TABLE settings ADD COLUMN register_start TEXT;

-- 1 when the child has special educational needs support, so the SENCO is involved.
ALTER TABLE children ADD COLUMN sen_support INTEGER NOT NULL DEFAULT 0;

-- Each confirmed level, newest in force. `since` is a setting-local date.
CREATE TABLE child_levels (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    since TEXT NOT NULL,
    -- The six-week rate when the level began.
    rate_attended INTEGER,
    rate_possible INTEGER,
    note TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    account_id TEXT,
    decided_at TEXT NOT NULL
);
CREATE INDEX child_levels_child ON child_levels(child_id, decided_at);

-- A manager's answer to a suggestion: confirmed or dismissed, with the reasons shown.
CREATE TABLE suggestion_decisions (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    to_level INTEGER NOT NULL CHECK (to_level BETWEEN 1 AND 3),
    rules TEXT NOT NULL,
    reasons TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
    note TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    account_id TEXT,
    decided_at TEXT NOT NULL
);
CREATE INDEX suggestion_decisions_child ON suggestion_decisions(child_id, decided_at);

-- The evidence log of actions taken for a child.
CREATE TABLE case_entries (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    kind TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    next_review TEXT,
    -- The entry this one corrects, when it is a correction.
    corrects_id TEXT REFERENCES case_entries(id),
    recorded_by TEXT NOT NULL,
    account_id TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX case_entries_child ON case_entries(child_id, recorded_at);

-- First-day calls to families of children who have not arrived.
CREATE TABLE calls (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    local_date TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'wrong_number')),
    note TEXT NOT NULL DEFAULT '',
    made_by TEXT NOT NULL,
    account_id TEXT,
    made_at TEXT NOT NULL
);
CREATE INDEX calls_day ON calls(setting_id, local_date);

-- The setting's edited letter templates; the built-in text is used until one is saved.
CREATE TABLE letter_templates (
    setting_id TEXT NOT NULL REFERENCES settings(id),
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'progress')),
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (setting_id, kind)
);

-- Letters sent, with the text as sent.
CREATE TABLE letters_sent (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'progress')),
    body TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    account_id TEXT,
    sent_at TEXT NOT NULL
);
CREATE INDEX letters_sent_child ON letters_sent(child_id, sent_at);

CREATE TRIGGER child_levels_no_update BEFORE UPDATE ON child_levels
BEGIN SELECT RAISE(ABORT, 'levels are append-only'); END;
CREATE TRIGGER child_levels_no_delete BEFORE DELETE ON child_levels
BEGIN SELECT RAISE(ABORT, 'levels are append-only'); END;
CREATE TRIGGER suggestion_decisions_no_update BEFORE UPDATE ON suggestion_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER suggestion_decisions_no_delete BEFORE DELETE ON suggestion_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER case_entries_no_update BEFORE UPDATE ON case_entries
BEGIN SELECT RAISE(ABORT, 'the case log is append-only'); END;
CREATE TRIGGER case_entries_no_delete BEFORE DELETE ON case_entries
BEGIN SELECT RAISE(ABORT, 'the case log is append-only'); END;
CREATE TRIGGER calls_no_update BEFORE UPDATE ON calls
BEGIN SELECT RAISE(ABORT, 'calls are append-only'); END;
CREATE TRIGGER calls_no_delete BEFORE DELETE ON calls
BEGIN SELECT RAISE(ABORT, 'calls are append-only'); END;
CREATE TRIGGER letters_sent_no_update BEFORE UPDATE ON letters_sent
BEGIN SELECT RAISE(ABORT, 'sent letters are append-only'); END;
CREATE TRIGGER letters_sent_no_delete BEFORE DELETE ON letters_sent
BEGIN SELECT RAISE(ABORT, 'sent letters are append-only'); END;
