-- Entries a partnership administrator adds to the name lists person matching reads
-- besides the repository's files (issue 18, item 3): a given name and its familiar
-- forms or other spellings, with the source. An entry is never edited: it is
-- withdrawn (withdrawn_at set) and another added, so the rows are their history.
-- Keep in step with ../postgres/0530_name_entries.sql.

-- +goose Up
CREATE TABLE name_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    list         TEXT NOT NULL CHECK (list IN ('familiar', 'variants')),
    name         TEXT NOT NULL,
    forms        TEXT NOT NULL, -- the forms, one a line
    source       TEXT NOT NULL,
    added_by     INTEGER REFERENCES users (id),
    added_at     TIMESTAMP NOT NULL,
    withdrawn_by INTEGER REFERENCES users (id),
    withdrawn_at TIMESTAMP
);

-- +goose Down
DROP TABLE name_entries;
