package tropic

// ReportSight is how much of a report a user may read.
type ReportSight int

const (
	ReportSightNone ReportSight = iota // answers as if the report did not exist
	// ReportSightWithoutContact is a report read through a case shared without
	// sensitive fields: the reporter's name and contact details, and staff notes on
	// the report, are withheld; what the reporter saw, and added later, is not.
	ReportSightWithoutContact
	ReportSightWhole
)

// ReportSightFor decides how much of report r the actor may read: all of it where
// CanSeeReport allows (the triage hub, the call handlers who took it, the agency it
// was passed to), and otherwise as much as the best of the cases it is linked to
// allows. linked holds the actor's access to each case the report is linked to, as
// AccessTo decides it: whoever sees a case reads its reports and what the reporter
// added later, and a share without sensitive fields hides the reporter's contact
// details. The store calls it for every read of a report by staff.
func ReportSightFor(a Actor, r *Report, linked []CaseAccess) ReportSight {
	if CanSeeReport(a, r) {
		return ReportSightWhole
	}
	best := ReportSightNone
	for _, acc := range linked {
		switch acc {
		case AccessWhole:
			return ReportSightWhole
		case AccessWithoutSensitive:
			best = ReportSightWithoutContact
		}
	}
	return best
}

// Limit removes from r what sight does not show: with ReportSightWithoutContact the
// reporter's name and contact details and staff notes (ContactWithheld says so).
func (r *Report) Limit(sight ReportSight) {
	if sight != ReportSightWithoutContact {
		return
	}
	r.ContactWithheld = true
	r.Reporter.Name, r.Reporter.Contact = "", ""
	kept := r.Notes[:0]
	for _, n := range r.Notes {
		if n.Source == "reporter" {
			kept = append(kept, n)
		}
	}
	r.Notes = kept
}
