package web

import (
	"context"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// How a report's handoffs to agencies read, on the triage hub's pages and the
// receiving agency's inbox alike.

// handoffView is one passing of a report to an agency, for people.
type handoffView struct {
	Agency     string
	Passed     string // "by Priya Shah, Hertfordshire Constabulary, on 3 March 2026 at 9:30am"
	Reason     string
	Contact    string // whether the reporter's contact details went with it
	StateLabel string
	StateClass string
	State      string // what became of it, in a sentence
	Overdue    string // how long past its acknowledgement time, "" when it is not
	CaseRef    string // the case it was accepted into
}

// handoffStateTag colours a handoff's state.
func handoffStateTag(st tropic.HandoffState) string {
	switch st {
	case tropic.HandoffPassed:
		return "govuk-tag--yellow"
	case tropic.HandoffAcknowledged:
		return "govuk-tag--blue"
	case tropic.HandoffAccepted:
		return "govuk-tag--green"
	}
	return "govuk-tag--red"
}

// ackDue is when the agency should acknowledge a report of urgency u passed at passedAt.
func (s *Server) ackDue(u tropic.Urgency, passedAt time.Time, cal *triageRules) time.Time {
	return tropic.TriageTarget(cal.Acknowledge, u, passedAt.In(partnershipZone), cal.Calendar)
}

// ackOverdue says how long a handoff still waiting for acknowledgement is past its
// time, or "" when it is not (or is acknowledged).
func (s *Server) ackOverdue(h *tropic.Handoff, u tropic.Urgency, now time.Time, cal *triageRules) string {
	if h.State != tropic.HandoffPassed {
		return ""
	}
	by, over := tropic.OverTarget(cal.Acknowledge, u, h.PassedAt.In(partnershipZone), now.In(partnershipZone), cal.Calendar)
	if !over {
		return ""
	}
	return roughDuration(by)
}

// ackCuts are the instants before which a report still waiting for acknowledgement is
// overdue now, by urgency (tropic.AcknowledgeOverdueCuts).
func (s *Server) ackCuts(ctx context.Context) ([]time.Time, error) {
	cal, err := s.triageCalendar(ctx)
	if err != nil {
		return nil, err
	}
	return tropic.AcknowledgeOverdueCuts(cal.Acknowledge, s.now().In(partnershipZone), cal.Calendar), nil
}

// handoffViews lays out the report's handoffs, oldest first.
func (s *Server) handoffViews(rep *tropic.Report, now time.Time, cal *triageRules) []handoffView {
	var out []handoffView
	for _, h := range rep.Handoffs {
		v := handoffView{Agency: h.Agency, Reason: h.Reason, StateLabel: h.State.Label(), StateClass: handoffStateTag(h.State), CaseRef: h.CaseReference}
		v.Passed = "on " + displayDateTime(h.PassedAt)
		if h.PassedBy != "" {
			v.Passed = "by " + h.PassedBy + ", " + v.Passed
		}
		v.Contact = "Not sent: the reporter's name and contact details stay with the triage hub."
		if h.IncludeContact {
			v.Contact = "Sent with the report."
		}
		switch h.State {
		case tropic.HandoffPassed:
			v.State = "Not acknowledged yet. Due by " + displayDeadline(s.ackDue(rep.Urgency, h.PassedAt, cal), cal.Calendar) +
				" (" + strings.ToLower(rep.Urgency.Label()) + ": " + cal.Acknowledge.For(rep.Urgency).Label() + ")."
			v.Overdue = s.ackOverdue(h, rep.Urgency, now, cal)
		case tropic.HandoffAcknowledged:
			v.State = "Acknowledged by " + h.AcknowledgedBy + " on " + displayDateTime(h.AcknowledgedAt) + "."
		case tropic.HandoffAccepted:
			v.State = "Accepted by " + h.AcceptedBy + " on " + displayDateTime(h.AcceptedAt) + ": the report is on case " + h.CaseReference + "."
		case tropic.HandoffReturned:
			v.State = "Returned by " + h.ReturnedBy + " on " + displayDateTime(h.ReturnedAt) + ": " + h.ReturnReason
		}
		out = append(out, v)
	}
	return out
}

// returnedFlag is the flag of a report an agency gave back: "Returned by AGENCY: reason".
func returnedFlag(rep *tropic.Report) string {
	if !rep.Returned() {
		return ""
	}
	h := rep.LatestHandoff()
	return "Returned by " + h.Agency + ": " + h.ReturnReason
}

// targetsLabel says targets by urgency for people: "emergency 1 hour, urgent 1 working day, routine 5 working days".
func targetsLabel(t tropic.TriageTargets) string {
	parts := make([]string, 0, len(tropic.Urgencies))
	for _, u := range tropic.Urgencies {
		parts = append(parts, strings.ToLower(u.Label())+" "+t.For(u).Label())
	}
	return strings.Join(parts, ", ")
}

// inboxSummary is what the staff home shows of the reports passed to the user's agency.
type inboxSummary struct {
	Waiting        int // passed or acknowledged: not yet accepted or returned
	Unacknowledged int
	Overdue        int // not acknowledged in time
}

// summariseInbox counts the reports waiting in the actor's agency's inbox.
func (s *Server) summariseInbox(ctx context.Context, actor tropic.Actor) (*inboxSummary, error) {
	sum := &inboxSummary{}
	var err error
	if _, sum.Waiting, err = s.deps.Inbox.FindInbox(ctx, actor, tropic.InboxFilter{Limit: 1}); err != nil {
		return nil, err
	}
	if _, sum.Unacknowledged, err = s.deps.Inbox.FindInbox(ctx, actor, tropic.InboxFilter{States: []tropic.HandoffState{tropic.HandoffPassed}, Limit: 1}); err != nil {
		return nil, err
	}
	cuts, err := s.ackCuts(ctx)
	if err != nil {
		return nil, err
	}
	if _, sum.Overdue, err = s.deps.Inbox.FindInbox(ctx, actor, tropic.InboxFilter{AckOverdue: cuts, Limit: 1}); err != nil {
		return nil, err
	}
	return sum, nil
}

// districtsAndCalendar are what a page of reports names districts and times targets by.
func (s *Server) districtsAndCalendar(ctx context.Context) ([]tropic.District, *triageRules, error) {
	districts, err := s.deps.Reports.FindDistricts(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal, err := s.triageCalendar(ctx)
	return districts, cal, err
}
