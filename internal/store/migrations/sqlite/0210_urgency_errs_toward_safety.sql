-- Urgency that errs toward safety (issue 12, item 10; decision 29). Keep in step with
-- ../postgres/0210_urgency_errs_toward_safety.sql and tropic.Report.AssessUrgency.

-- +goose Up
-- A routine report whose reporter was not sure about danger or children, or who is
-- the person it is happening to, is urgent, with the reasons AssessUrgency now gives.
-- Urgencies triage set by hand are kept.
UPDATE reports SET urgency = 'urgent', urgency_rank = 1, urgency_reason = 'urgent: ' || substr(
        CASE WHEN in_danger = 'not_sure' THEN '; the reporter is not sure whether someone is in immediate danger' ELSE '' END ||
        CASE WHEN children_involved = 'not_sure' THEN '; the reporter is not sure whether children are involved' ELSE '' END ||
        CASE WHEN reporter_relationship = 'self' THEN '; reported by the person it is happening to' ELSE '' END, 3)
    WHERE urgency = 'routine' AND urgency_override = 0
      AND (in_danger = 'not_sure' OR children_involved = 'not_sure' OR reporter_relationship = 'self');
-- The routine reason says only what is true.
UPDATE reports SET urgency_reason = 'routine: the reporter did not say that anyone is in immediate danger or that children are involved'
    WHERE urgency = 'routine' AND urgency_reason = 'routine: no sign of immediate danger or of children at risk';

-- +goose Down
-- Nothing to undo: the raised urgencies are kept, as they err toward safety.
SELECT 1;
