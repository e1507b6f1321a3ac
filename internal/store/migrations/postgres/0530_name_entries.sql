-- Entries a partnership administrator adds to the name lists person matching reads
-- besides the repository's files (issue 18, item 3): a given name and its familiar
-- forms or other spellings, with the source. An entry is never edited: it is
-- withdrawn (withdrawn_at set) and another added, so the rows are their history.
-- Keep in step with ../sqlite/0530_name_entries.sql.

-- +goose Up
CREATE TABLE name_entries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list         TEXT NOT NULL CHECK (list IN ('familiar', 'variants')),
    name         TEXT NOT NULL,
    forms        TEXT NOT NULL, -- the forms, one a line
    source       TEXT NOT NULL,
    added_by     BIGINT REFERENCES users (id),
    added_at     TIMESTAMPTZ NOT NULL,
    withdrawn_by BIGINT REFERENCES users (id),
    withdrawn_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE name_entries;
