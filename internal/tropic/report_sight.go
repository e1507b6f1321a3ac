package tropic

// ReportSight is how much of a report a user may read. It is the one answer to "who
// reads this report, and how much of it": the store asks it for every read by staff,
// whether through the triage queue, the inbox, a case or the API.
type ReportSight int

const (
	ReportSightNone ReportSight = iota // answers as if the report did not exist
	// ReportSightWithoutSensitive is a report read through a case shared without
	// sensitive fields: the reporter's name and contact details, and staff notes on
	// the report (which may repeat them), are withheld; what the reporter saw, and
	// added later, is not.
	ReportSightWithoutSensitive
	// ReportSightWithoutContact is a report whose reporter's name and contact details
	// the triage hub did not pass on: to the agency it was passed to, and to whoever
	// reads it through a case made from it.
	ReportSightWithoutContact
	ReportSightWhole
)

// ReportSightFor decides how much of report r the actor may read. First what the
// actor reads directly (ReportAccessFor: the triage hub and the call handlers who took
// it read it all; the agency it was passed to reads the reporter's contact details
// only if triage included them). Then, for anyone, the cases it is linked to (linked
// holds the actor's access to each, as AccessTo decides it): whoever sees a case reads
// its reports and what the reporter added later; a share without sensitive fields
// hides the reporter's details and staff notes; and a case never shows the reporter's
// details that the hub did not pass on (ContactReleased). The best sight wins.
func ReportSightFor(a Actor, r *Report, linked []CaseAccess) ReportSight {
	best := ReportSightNone
	switch x := ReportAccessFor(a, r); {
	case x == ReportHidden:
	case x.SeesReporterContact(r):
		return ReportSightWhole
	default:
		best = ReportSightWithoutContact
	}
	for _, acc := range linked {
		switch acc {
		case AccessWhole:
			if r.ContactReleased() {
				return ReportSightWhole
			}
			best = max(best, ReportSightWithoutContact)
		case AccessWithoutSensitive:
			best = max(best, ReportSightWithoutSensitive)
		}
	}
	return best
}

// ContactReleased says whether the reporter's contact details may be read through the
// cases the report is linked to: unless it was last passed to an agency without them
// (a report the hub linked to a case itself, or got back, keeps them).
func (r *Report) ContactReleased() bool {
	h := r.LatestHandoff()
	return h == nil || h.State == HandoffReturned || h.IncludeContact
}

// Limit removes from r what sight does not show, and ContactWithheld says so (for the
// page to tell the truth: "not passed on", not "anonymous").
func (r *Report) Limit(sight ReportSight) {
	if !sight.ShowsMessages() {
		r.Messages = nil
	}
	switch sight {
	case ReportSightWithoutSensitive:
		kept := r.Notes[:0]
		for _, n := range r.Notes {
			if n.Source == "reporter" {
				kept = append(kept, n)
			}
		}
		r.Notes = kept
	case ReportSightWithoutContact:
	default:
		return
	}
	if r.Reporter.Anonymous {
		return
	}
	r.Reporter.Name, r.Reporter.Contact = "", ""
	r.ContactWithheld = true
}
