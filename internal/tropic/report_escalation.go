package tropic

import (
	"fmt"
	"net/url"
	"time"
)

// Escalation (issue 12, item 10): an emergency report that nobody has claimed by its
// triage target is escalated once: the hub's triage users are notified and the
// triage addresses are e-mailed again. A report someone has claimed, or that has
// been decided, is being dealt with and is not escalated.

// AuditReportEscalated records that an emergency report was escalated.
const AuditReportEscalated = "report.escalated"

// ReportEscalationJob is the periodic run that escalates emergency reports over their
// target and e-mails the escalations not yet e-mailed. It has no arguments: it looks
// afresh each time it runs.
type ReportEscalationJob struct{}

// Kind names the job.
func (ReportEscalationJob) Kind() string { return "report_escalation" }

// EscalationCut is the instant emergency reports received before it are over their
// target at now: the queue's rule (OverTargetBefore). An emergency target is always
// a clock time, so no calendar is needed.
func EscalationCut(targets TriageTargets, now time.Time) time.Time {
	return OverTargetBefore(targets, UrgencyEmergency, now, nil)
}

// MayEscalate says who escalates reports: the system (the periodic job) only.
func MayEscalate(a Actor) error {
	if a.IsSystem() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Reports are escalated by the service, not by hand.")
}

// EscalationNotice is what the hub's triage users are told of an escalated report:
// its reference and the target it missed, nothing about anyone in it.
func EscalationNotice(ref string, target TriageSpan) Notification {
	return Notification{
		Kind:    NotifyEscalation,
		Subject: ref,
		Text:    fmt.Sprintf("Emergency report %s has not been claimed within its target of %s.", ref, target.Label()),
		Link:    "/triage/reports/" + url.PathEscape(ref),
	}
}
