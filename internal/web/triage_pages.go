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

// canTriage says whether u may use the triage pages.
func canTriage(u *tropic.User) bool { return u != nil && u.Has(tropic.RoleTriage) }

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
	Open      int // reports waiting in the queue
	Emergency int
	Urgent    int
}

// summariseTriage counts the queue's emergency and urgent reports. The queue is
// ordered by urgency, so counting stops at the first routine report.
func (s *Server) summariseTriage(ctx context.Context, actor tropic.Actor) (*triageSummary, error) {
	const page = 200
	sum := &triageSummary{}
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

// triageAge says how long ago t was, roughly: "3 hours ago".
func triageAge(now, t time.Time) string {
	d := now.Sub(t)
	count := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return fmt.Sprintf("%d %ss ago", n, unit)
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return count(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return count(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		return count(int(d/(24*time.Hour)), "day")
	case d < 730*24*time.Hour:
		return count(int(d/(30*24*time.Hour)), "month")
	}
	return count(int(d/(365*24*time.Hour)), "year")
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
