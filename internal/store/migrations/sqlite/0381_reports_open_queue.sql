-- The triage queue's default view: reports still new, and decided ones the reporter
-- has added to. "status = 'new' OR needs_attention" could use no index, so every view
-- of the queue counted the whole table (tropic bench pages: 200 ms at 200,000
-- reports). This partial index holds only the open reports, in the queue's order;
-- FindReports writes the same predicate, with literals, so that both databases use it.
-- Keep in step with ../postgres/0381_reports_open_queue.sql.

-- +goose Up
CREATE INDEX reports_open ON reports (urgency_rank, received_at, id) WHERE status = 'new' OR needs_attention;

-- +goose Down
DROP INDEX reports_open;
