package web

import (
	"context"
	"fmt"
	"net/http"
	"time"
	_ "time/tzdata" // the triage hub reads times in UK time, whatever the host's zone files

	"tropic/internal/tropic"
)

// The triage hub's pages: the queue of reports and each report with its actions.
// Only the triage role may use them; for anyone else they answer exactly as a
// missing page does, so that nobody learns what lies behind them.

// sessTriageFlash holds the success message shown once after a triage action.
const sessTriageFlash = "triage_flash"

// triage wraps a triage page: a browser route, for signed-in staff with the triage role.
func (s *Server) triage(h http.Handler) http.Handler {
	return s.browser(s.requireUser(s.requireTriage(h)))
}

// canTriage says whether u may use the triage queue: the hub's triage users see every
// report there, other agencies' triage users what was passed to their agency.
func canTriage(u *tropic.User) bool { return u != nil && u.Has(tropic.RoleTriage) }

// inTriageHub says whether u works the triage hub (tropic.Actor.InTriageHub): only
// they open a report's triage page and act on it.
func inTriageHub(u *tropic.User) bool { return u != nil && tropic.ActorFor(u).InTriageHub() }

// triageHub wraps a page of the triage hub's own: a report's triage page and its
// actions. Anyone else gets the missing page (the store refuses them too).
func (s *Server) triageHub(h http.Handler) http.Handler {
	return s.triage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !inTriageHub(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
}

// requireTriage answers as a missing page to anyone without the triage role.
func (s *Server) requireTriage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canTriage(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// triageSummary is what the staff home shows the triage hub.
type triageSummary struct {
	Open       int // reports waiting in the queue
	Emergency  int
	Urgent     int
	OverTarget int    // undecided reports past their triage target
	Targets    string // the targets, for people: "emergency 1 hour, urgent 1 working day, routine 5 working days"
	// Unacknowledged: reports passed to agencies and not acknowledged in time.
	Unacknowledged int
}

// summariseTriage counts the queue's emergency and urgent reports. The queue is
// ordered most urgent first, so counting stops at the first routine report.
func (s *Server) summariseTriage(ctx context.Context, actor tropic.Actor) (*triageSummary, error) {
	const page = 200
	sum := &triageSummary{}
	if err := s.countOverTarget(ctx, actor, sum); err != nil {
		return nil, err
	}
	for offset := 0; ; offset += page {
		reports, total, err := s.deps.Reports.FindReports(ctx, actor, tropic.ReportFilter{Limit: page, Offset: offset})
		if err != nil {
			return nil, err
		}
		sum.Open = total
		for _, r := range reports {
			switch r.Urgency {
			case tropic.UrgencyEmergency:
				sum.Emergency++
			case tropic.UrgencyUrgent:
				sum.Urgent++
			default:
				return sum, nil
			}
		}
		if len(reports) < page {
			return sum, nil
		}
	}
}

// countOverTarget counts the undecided reports past their triage target: for each
// urgency, one count of those received before the cut tropic.OverTargetBefore gives.
func (s *Server) countOverTarget(ctx context.Context, actor tropic.Actor, sum *triageSummary) error {
	cal, err := s.triageCalendar(ctx)
	if err != nil {
		return err
	}
	now := s.now().In(partnershipZone)
	t := cal.Triage
	for _, u := range tropic.Urgencies {
		_, n, err := s.deps.Reports.FindReports(ctx, actor, tropic.ReportFilter{Statuses: []tropic.ReportStatus{tropic.ReportNew},
			Urgency: u, To: tropic.OverTargetBefore(t, u, now, cal.Calendar), Limit: 1})
		if err != nil {
			return err
		}
		sum.OverTarget += n
	}
	sum.Targets = targetsLabel(t)
	cuts, err := s.ackCuts(ctx)
	if err != nil {
		return err
	}
	_, sum.Unacknowledged, err = s.deps.Reports.FindReports(ctx, actor, tropic.ReportFilter{AckOverdue: cuts, Limit: 1})
	return err
}

// triageAge says how long ago t was, roughly: "3 hours ago".
func triageAge(now, t time.Time) string {
	d := now.Sub(t)
	if d < time.Minute {
		return "just now"
	}
	return roughDuration(d) + " ago"
}

// roughDuration says a length of time, roughly: "1 minute", "3 hours", "2 days".
func roughDuration(d time.Duration) string {
	count := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Hour:
		return count(max(int(d/time.Minute), 1), "minute")
	case d < 48*time.Hour:
		return count(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		return count(int(d/(24*time.Hour)), "day")
	case d < 730*24*time.Hour:
		return count(int(d/(30*24*time.Hour)), "month")
	}
	return count(int(d/(365*24*time.Hour)), "year")
}

// triageCalendar is the working-day calendar the triage targets run on.
func (s *Server) triageCalendar(ctx context.Context) (*triageRules, error) {
	cal, err := s.referralCalendar(ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	return &triageRules{Calendar: cal, Triage: set.TriageTargets, Acknowledge: set.AcknowledgeTargets}, nil
}

// triageRules are what reports' targets are timed by: the working-day calendar and the
// targets in force (reference data, read once per page).
type triageRules struct {
	Calendar            *tropic.Calendar
	Triage, Acknowledge tropic.TriageTargets
}

// overTarget says how long an undecided report is past its triage target: "3 days",
// or "" when it is not (or is decided, when the target no longer applies).
func (s *Server) overTarget(rep *tropic.Report, now time.Time, cal *triageRules) string {
	if rep.Status != tropic.ReportNew {
		return ""
	}
	by, over := tropic.OverTarget(cal.Triage, rep.Urgency, rep.ReceivedAt.In(partnershipZone), now.In(partnershipZone), cal.Calendar)
	if !over {
		return ""
	}
	return roughDuration(by)
}

// triageClaimText says who is working on a report.
func triageClaimText(u *tropic.User) string {
	if u == nil {
		return "Not claimed"
	}
	return "Claimed by " + triagePerson(u)
}

// triagePerson names a member of staff with their agency: "Sam Jones, Hertfordshire Constabulary".
func triagePerson(u *tropic.User) string {
	if u.Agency != nil && u.Agency.Name != "" {
		return u.Name + ", " + u.Agency.Name
	}
	return u.Name
}

// triageReportPath is the triage page of a report.
func triageReportPath(ref string) string { return "/triage/reports/" + ref }
