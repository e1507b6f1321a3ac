-- The partnership plan (issue 17, item 2): objectives, each with a RAG status whose
-- every change is kept (who, when, why), optionally measured by a figure of the
-- statistics releases (a tropic.Figure key; its value is read from the latest
-- release), and actions with an owner at any agency.
-- Keep in step with ../postgres/0581_partnership_plan.sql.

-- +goose Up
CREATE TABLE plan_objectives (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    figure      TEXT NOT NULL DEFAULT '',
    rag         TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE plan_rag_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id    INTEGER NOT NULL REFERENCES plan_objectives (id),
    rag             TEXT NOT NULL,
    reason          TEXT NOT NULL,
    changed_by_user INTEGER REFERENCES users (id),
    changed_by      TEXT NOT NULL,
    changed_at      TIMESTAMP NOT NULL
);
CREATE INDEX plan_rag_changes_objective ON plan_rag_changes (objective_id, id);

CREATE TABLE plan_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id  INTEGER NOT NULL REFERENCES plan_objectives (id),
    text          TEXT NOT NULL,
    owner_user_id INTEGER NOT NULL REFERENCES users (id),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX plan_actions_owner ON plan_actions (owner_user_id, status);

-- +goose Down
DROP TABLE plan_actions;
DROP TABLE plan_rag_changes;
DROP TABLE plan_objectives;
