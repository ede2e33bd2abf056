-- Tablets that have synced with the server, with what the server last saw of each: the room
-- it shows, when it last synced and how far its clock was from the server's.
CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    setting_id TEXT NOT NULL REFERENCES settings(id),
    room_id TEXT NOT NULL REFERENCES rooms(id),
    first_seen_at TEXT NOT NULL,
    last_sync_at TEXT NOT NULL,
    -- Tablet clock minus server clock at the last sync, in whole seconds.
    clock_offset_seconds INTEGER NOT NULL,
    events_received INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_setting ON devices(setting_id);
