-- Reference data edited in the browser (issue 13 item 3): the "how did you hear"
-- options (codes never change, as reports store them; an option is retired, never
-- deleted), the partnership settings kept as one value each (disclosure threshold, urgency
-- targets; a setting not stored here is the server's flag or the built-in default),
-- and the history of every change: who, when, old and new value.
-- Keep in step with ../sqlite/0510_reference_data.sql.

-- +goose Up
CREATE TABLE how_heard_options (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired  BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO how_heard_options (code, label, position) VALUES
    ('poster_or_leaflet', 'A poster, leaflet or advert', 1),
    ('social_media', 'Social media', 2),
    ('news', 'News, radio or television', 3),
    ('search', 'Searching online', 4),
    ('friend_or_family', 'A friend or family member', 5),
    ('professional', 'A professional, such as a police officer, social worker or doctor', 6),
    ('other', 'Another way', 7);

CREATE TABLE partnership_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE reference_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL,
    old_value   TEXT NOT NULL,
    new_value   TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    user_id     BIGINT REFERENCES users (id),
    actor_label TEXT NOT NULL
);

-- +goose Down
DROP TABLE reference_changes;
DROP TABLE partnership_settings;
DROP TABLE how_heard_options;
