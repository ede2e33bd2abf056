-- The lobby display's messages on why attendance matters, as a JSON array of strings that a
-- manager edits. NULL means the default messages in the code.
ALTER TABLE settings ADD COLUMN lobby_messages TEXT;
