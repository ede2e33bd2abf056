-- Settings, rooms, people, bookings, closures and the append-only attendance log.
-- Ids are UUID strings; instants are RFC 3339 UTC strings; local dates are YYYY-MM-DD.

CREATE TABLE settings (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Europe/London',
    -- Opening weekdays as short English names, comma-separated: 'Mon,Tue,Wed,Thu,Fri'.
    open_weekdays TEXT NOT NULL DEFAULT 'Mon,Tue,Wed,Thu,Fri',
    created_at TEXT NOT NULL
);

CREATE TABLE setting_sessions (
    setting_id TEXT NOT NULL REFERENCES settings(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    starts TEXT NOT NULL, -- local HH:MM
    ends TEXT NOT NULL,   -- local HH:MM
    PRIMARY KEY (setting_id, code)
);

CREATE TABLE rooms (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    name TEXT NOT NULL,
    min_age_months INTEGER NOT NULL,
    max_age_months INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (setting_id, name)
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('manager', 'deputy_manager', 'room_leader', 'practitioner', 'apprentice')),
    room_id TEXT REFERENCES rooms(id)
);

CREATE TABLE children (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    room_id TEXT NOT NULL REFERENCES rooms(id),
    key_person_id TEXT REFERENCES staff(id),
    start_date TEXT NOT NULL,
    leaving_date TEXT,
    funded_hours INTEGER CHECK (funded_hours IS NULL OR funded_hours BETWEEN 0 AND 30),
    display_consent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX children_room ON children(room_id);

-- Weekly booking pattern: one row per booked session. weekday is 1 (Monday) to 7 (Sunday).
CREATE TABLE bookings (
    child_id TEXT NOT NULL REFERENCES children(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    session_code TEXT NOT NULL,
    PRIMARY KEY (child_id, weekday, session_code)
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    child_id TEXT NOT NULL REFERENCES children(id),
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    may_collect INTEGER NOT NULL DEFAULT 0,
    collection_password TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_child ON contacts(child_id);

CREATE TABLE closures (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bank_holiday', 'term_break', 'training_day', 'other')),
    name TEXT NOT NULL,
    CHECK (first_day <= last_day)
);

-- The register. Rows are only ever inserted: the triggers below reject updates and deletes.
CREATE TABLE attendance_events (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    local_date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('arrived', 'departed', 'absent', 'undone', 'corrected')),
    target_id TEXT REFERENCES attendance_events(id),
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    staff_id TEXT REFERENCES staff(id),
    device_id TEXT,
    -- The whole event as JSON, in the shape the API accepts.
    body TEXT NOT NULL
);
CREATE INDEX attendance_child_day ON attendance_events(child_id, local_date);
CREATE INDEX attendance_setting_day ON attendance_events(setting_id, local_date);

CREATE TRIGGER attendance_events_no_update BEFORE UPDATE ON attendance_events
BEGIN
    SELECT RAISE(ABORT, 'attendance events are append-only');
END;

CREATE TRIGGER attendance_events_no_delete BEFORE DELETE ON attendance_events
BEGIN
    SELECT RAISE(ABORT, 'attendance events are append-only');
END;
