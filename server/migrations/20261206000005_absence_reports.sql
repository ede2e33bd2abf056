-- Absences that parents and carers report in advance, and their withdrawals. Both tables are
-- append-only: a withdrawal is a new row, and the report it withdraws stays as it was.

CREATE TABLE absence_reports (
    -- Made by the parent's phone, so a report sent twice is stored once.
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    first_day TEXT NOT NULL, -- local YYYY-MM-DD
    last_day TEXT NOT NULL,
    -- Session codes separated by commas; empty for every booked session.
    sessions TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    note TEXT,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    reported_at TEXT NOT NULL, -- RFC 3339 UTC
    CHECK (first_day <= last_day)
);
CREATE INDEX absence_reports_child ON absence_reports(child_id, last_day);
CREATE INDEX absence_reports_setting ON absence_reports(setting_id, last_day);

CREATE TABLE absence_report_withdrawals (
    report_id TEXT PRIMARY KEY NOT NULL REFERENCES absence_reports(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    withdrawn_at TEXT NOT NULL
);

CREATE TRIGGER absence_reports_no_update BEFORE UPDATE ON absence_reports
BEGIN
    SELECT RAISE(ABORT, 'absence reports are append-only');
END;

CREATE TRIGGER absence_reports_no_delete BEFORE DELETE ON absence_reports
BEGIN
    SELECT RAISE(ABORT, 'absence reports are append-only');
END;

CREATE TRIGGER absence_report_withdrawals_no_update BEFORE UPDATE ON absence_report_withdrawals
BEGIN
    SELECT RAISE(ABORT, 'absence report withdrawals are append-only');
END;

CREATE TRIGGER absence_report_withdrawals_no_delete BEFORE DELETE ON absence_report_withdrawals
BEGIN
    SELECT RAISE(ABORT, 'absence report withdrawals are append-only');
END;
