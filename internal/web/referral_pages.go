package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The NRM pages: referring a potential victim into the National Referral Mechanism, or
// reporting them anonymously under the Duty to Notify; a referral with its decisions;
// the lists, the waiting list and the decision-time figures; and a summary to fill the
// Home Office's online form in one sitting. They sit with the case pages: only those
// who work cases use them, and a referral the user may not see is the missing page.

// longCGWait is how long a wait for a Conclusive Grounds decision may run before the
// lists make it stand out.
const longCGWait = 365

// referralPageSize is how many referrals a list page shows.
const referralPageSize = 50

// canRefer says whether u's agency may start a referral (tropic.MayReferFromCase): a
// first responder refers into the NRM; an agency bound by the Duty to Notify may at
// least report. The consent gate decides the rest for each person.
func canRefer(u *tropic.User) bool {
	return u != nil && tropic.MayReferFromCase(u.Agency, nil) == nil
}

// referralPath is the page of a referral.
func referralPath(id int64) string { return "/referrals/" + strconv.FormatInt(id, 10) }

// referralNewPath is the form that refers the person on a case.
func referralNewPath(caseRef string, link int64) string {
	return casePath(caseRef) + "/people/" + strconv.FormatInt(link, 10) + "/referral/new"
}

// referralIDFrom reads the referral id in the path.
func referralIDFrom(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// loadReferral finds the referral in the path as the user may see it; it answers a
// missing or hidden one itself and then returns nil.
func (s *Server) loadReferral(w http.ResponseWriter, r *http.Request) *tropic.Referral {
	id, ok := referralIDFrom(r)
	if !ok {
		s.notFound(w, r)
		return nil
	}
	ref, err := s.deps.Referrals.FindReferral(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return ref
}

// referralCalendar is the bank-holiday calendar: the rules and the one-off changes
// the store holds (the known ones, and any an administrator has added).
func (s *Server) referralCalendar(ctx context.Context) (*tropic.Calendar, error) {
	changes, err := s.deps.Referrals.HolidayChanges(ctx)
	if err != nil {
		return nil, err
	}
	return tropic.NewCalendar(changes), nil
}

// recoveryDays is the minimum recovery period after a positive Reasonable Grounds
// decision, as configured.
func (s *Server) recoveryDays(rg time.Time) int { return s.cfg.Recovery.For(rg) }

// referralTitle names a referral.
func referralTitle(ref *tropic.Referral) string {
	if ref.Route == tropic.RouteDtN {
		return "Duty to Notify report " + strconv.FormatInt(ref.ID, 10)
	}
	return "NRM referral " + strconv.FormatInt(ref.ID, 10)
}

// referralRecord names a referral under a caption that says its kind ("Duty to
// Notify"), so that the two do not repeat each other.
func referralRecord(ref *tropic.Referral) string {
	if ref.Route == tropic.RouteDtN {
		return "Report " + strconv.FormatInt(ref.ID, 10)
	}
	return "Referral " + strconv.FormatInt(ref.ID, 10)
}

// referralStatuses are the statuses in the order the lists offer them.
var referralStatuses = tropic.ReferralStatuses

// referralStatusTag names and colours a referral's status.
func referralStatusTag(st string) (string, string) {
	switch st {
	case "awaiting_rg":
		return "Awaiting Reasonable Grounds", "govuk-tag--blue"
	case "rg_suspended":
		return "Reasonable Grounds suspended: the person is missing", "govuk-tag--orange"
	case "awaiting_cg":
		return "Awaiting Conclusive Grounds", "govuk-tag--purple"
	case "rg_negative":
		return "Negative Reasonable Grounds", "govuk-tag--grey"
	case "cg_decided":
		return "Conclusive Grounds decided", "govuk-tag--green"
	case "reconsideration":
		return "Reconsideration requested", "govuk-tag--yellow"
	case "withdrawn":
		return "Withdrawn or closed", "govuk-tag--grey"
	case "disqualified":
		return "Disqualified", "govuk-tag--grey"
	case "notified":
		return "Duty to Notify report", "govuk-tag--turquoise"
	}
	return st, "govuk-tag--grey"
}

func referralRouteLabel(rt tropic.Route) string {
	switch rt {
	case tropic.RouteNRM:
		return "National Referral Mechanism (NRM)"
	case tropic.RouteDtN:
		return "Duty to Notify (MS1)"
	}
	return string(rt)
}

func competentAuthorityLabel(c tropic.CompetentAuthority) string {
	for _, v := range tropic.CompetentAuthorities {
		if v.Key == c {
			return v.Label
		}
	}
	return string(c)
}

func exploitationLocationLabel(l tropic.ExploitationLocation) string {
	for _, v := range tropic.ExploitationLocations {
		if v.Key == l {
			return v.Label
		}
	}
	return string(l)
}

// decisionOutcomeLabel names a decision's outcome.
func decisionOutcomeLabel(o string) string {
	switch o {
	case tropic.RGPositive:
		return "Positive"
	case tropic.RGNegative:
		return "Negative"
	case tropic.RGSuspended:
		return "Suspended: the person is missing"
	case tropic.CGVictimTrafficking:
		return "Victim of human trafficking"
	case tropic.CGVictimSlavery:
		return "Victim of slavery, servitude, or forced or compulsory labour"
	case tropic.CGInsufficient:
		return "Insufficient evidence"
	case "upheld":
		return "Decision upheld"
	case "overturned":
		return "Decision overturned"
	}
	return o
}

// ageGroupText says how the referral records the person's age.
func ageGroupText(ref *tropic.Referral) string {
	switch {
	case ref.PossiblyChild:
		return "May be under 18: treated as a child (Modern Slavery Act 2015 s.51)"
	case ref.AgeGroup == tropic.AgeChild:
		return "Child (under 18)"
	case ref.AgeGroup == tropic.AgeAdult:
		return "Adult"
	}
	return string(ref.AgeGroup)
}

// ageAtExploitationText says how old the person was when exploited (tropic.Referral.ExploitedAs).
func ageAtExploitationText(ref *tropic.Referral) string {
	switch ref.ExploitedAs() {
	case tropic.AgeChild:
		return "Child (under 18)"
	case tropic.AgeAdult:
		return "Adult (18 or over)"
	}
	return "Not specified or unknown"
}

// consentText says whether and when consent was given.
func consentText(ref *tropic.Referral) string {
	switch {
	case ref.Route == tropic.RouteDtN:
		return "Not given: reported anonymously under the Duty to Notify"
	case ref.Consent && ref.ConsentAt != "":
		return "Given on " + caseDate(ref.ConsentAt)
	case ref.Consent:
		return "Given"
	case ref.AgeGroup == tropic.AgeChild:
		return "Not needed: a child is referred without consent"
	}
	return "Not given"
}

// referralDeadline is a referral's next deadline as the pages show it.
type referralDeadline struct {
	What     string
	Due      string
	Waited   string // "12 days since submission"
	Overdue  bool   // an overdue Reasonable Grounds decision
	LongWait bool   // a Conclusive Grounds wait past longCGWait days
}

func deadlineOf(ref *tropic.Referral, cal *tropic.Calendar, now time.Time, recoveryDays func(time.Time) int) referralDeadline {
	d := ref.NextDeadline(cal, now, recoveryDays)
	if d.Due.IsZero() {
		return referralDeadline{What: "None"}
	}
	out := referralDeadline{What: d.What, Due: d.Due.Format("2 January 2006"), Overdue: d.Overdue}
	since := "since submission"
	if ref.Status() == "awaiting_cg" {
		since = "since the Reasonable Grounds decision"
		out.LongWait = d.DaysWaiting > longCGWait
	}
	out.Waited = plural(d.DaysWaiting, "day", "days") + " " + since
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// The lists.

type referralRow struct {
	Href        string
	Title       string
	Case        caseLink
	Person      string
	Agency      string
	Route       string
	StatusLabel string
	StatusClass string
	Submitted   string
	Deadline    referralDeadline
}

type referralListFilter struct {
	View    string // "" for all, "waiting" for the waiting list
	Status  string
	Route   string
	Overdue bool
	Page    int
}

func (f referralListFilter) href() string {
	v := url.Values{}
	if f.View != "" {
		v.Set("view", f.View)
	}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Route != "" {
		v.Set("route", f.Route)
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	if len(v) == 0 {
		return "/referrals"
	}
	return "/referrals?" + v.Encode()
}

type referralListPage struct {
	Layout
	Flash      string
	Filter     referralListFilter
	Tabs       []caseTab
	TabLabel   string
	Statuses   []selectOption
	Routes     []selectOption
	Filtered   bool
	Rows       []referralRow
	Total      int
	MoreThan   string // set when more referrals match than were counted: "more than" this
	First      int
	Last       int
	Pagination *pagination
	Empty      string
}

// handleReferralList lists the referrals the user may see by status, with filters,
// and the waiting list oldest first.
func (s *Server) handleReferralList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := r.URL.Query()
		f := referralListFilter{View: q.Get("view"), Status: q.Get("status"), Route: q.Get("route"), Overdue: q.Get("overdue") != ""}
		if f.View != "waiting" {
			f.View = ""
		}
		okStatus := f.Status == ""
		for _, st := range referralStatuses {
			okStatus = okStatus || st == f.Status
		}
		if !okStatus {
			f.Status = ""
		}
		if f.Route != string(tropic.RouteNRM) && f.Route != string(tropic.RouteDtN) {
			f.Route = ""
		}
		f.Page, _ = strconv.Atoi(q.Get("page"))
		f.Page = max(f.Page, 1)
		rf := tropic.ReferralFilter{Status: f.Status, Route: tropic.Route(f.Route), Overdue: f.Overdue, Waiting: f.View == "waiting",
			Limit: referralPageSize, Offset: (f.Page - 1) * referralPageSize}
		rf.CountUpTo = rf.Offset + listCountPast
		refs, total, err := s.deps.Referrals.FindReferrals(ctx, actorOf(r), rf)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cal, err := s.referralCalendar(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := &referralListPage{Layout: s.newLayout(r, "NRM referrals"), Filter: f, Total: total}
		p.Flash = s.sessions.PopString(ctx, sessCaseFlash)
		p.Nav = "referrals"
		all, waiting := f, f
		all.View, waiting.View = "", "waiting"
		all.Page, waiting.Page = 1, 1
		p.Tabs = []caseTab{
			{Label: "All referrals", Href: all.href(), Current: f.View == ""},
			{Label: "Waiting list", Href: waiting.href(), Current: f.View == "waiting"},
		}
		p.TabLabel = "All referrals"
		p.Empty = "No referrals match."
		if f.View == "waiting" {
			p.TabLabel = "Waiting for a decision, oldest first"
			p.Empty = "Nobody is waiting for a decision."
		}
		p.Statuses = []selectOption{{Value: "", Label: "Any status", Selected: f.Status == ""}}
		for _, st := range referralStatuses {
			l, _ := referralStatusTag(st)
			p.Statuses = append(p.Statuses, selectOption{Value: st, Label: l, Selected: f.Status == st})
		}
		p.Routes = []selectOption{{Value: "", Label: "NRM and Duty to Notify", Selected: f.Route == ""},
			{Value: "nrm", Label: "NRM referrals", Selected: f.Route == "nrm"},
			{Value: "dtn", Label: "Duty to Notify reports", Selected: f.Route == "dtn"}}
		p.Filtered = f.Status != "" || f.Route != "" || f.Overdue
		now := s.now()
		for _, ref := range refs {
			p.Rows = append(p.Rows, referralRowOf(ref, cal, now, s.recoveryDays))
		}
		if len(p.Rows) > 0 {
			p.First = (f.Page-1)*referralPageSize + 1
			p.Last = p.First + len(p.Rows) - 1
		}
		if total > rf.CountUpTo {
			p.MoreThan = groupDigits(rf.CountUpTo)
		}
		p.Pagination = newPagination(f.Page, referralPageSize, total, f.pageHref)
		s.render(w, r, http.StatusOK, "referral_list", p)
	})
}

func referralRowOf(ref *tropic.Referral, cal *tropic.Calendar, now time.Time, recoveryDays func(time.Time) int) referralRow {
	label, class := referralStatusTag(ref.Status())
	row := referralRow{Href: referralPath(ref.ID), Title: referralTitle(ref), Agency: ref.AgencyName, StatusLabel: label, StatusClass: class,
		Submitted: caseDate(ref.SubmittedOn), Deadline: deadlineOf(ref, cal, now, recoveryDays), Route: "NRM"}
	if ref.Route == tropic.RouteDtN {
		row.Route = "Duty to Notify"
		row.Person = "Not identified"
	} else {
		row.Person = ref.PersonName
		if ref.CaseReference != "" {
			row.Case = caseLink{Text: ref.CaseReference, Href: casePath(ref.CaseReference)}
		}
	}
	return row
}

// The figures.

type referralFiguresRow struct {
	Key                 string
	Agency, Partnership string
}

type referralFiguresPage struct {
	Layout
	Agency string
	Rows   []referralFiguresRow
}

// handleReferralFigures shows decision times for the user's agency and the partnership.
func (s *Server) handleReferralFigures() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, pt, err := s.deps.Referrals.Figures(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &referralFiguresPage{Layout: s.newLayout(r, "NRM decision times")}
		p.Nav = "referrals"
		if u := p.User; u != nil && u.Agency != nil {
			p.Agency = u.Agency.Name
		}
		days := func(decided int, v float64) string {
			if decided == 0 {
				return "No decisions yet"
			}
			return strconv.FormatFloat(v, 'f', -1, 64) + " days"
		}
		p.Rows = []referralFiguresRow{
			{"Referrals", strconv.Itoa(a.Referrals), strconv.Itoa(pt.Referrals)},
			{"Reasonable Grounds decisions", strconv.Itoa(a.RGDecided), strconv.Itoa(pt.RGDecided)},
			{"Median days to Reasonable Grounds", days(a.RGDecided, a.RGMedianDays), days(pt.RGDecided, pt.RGMedianDays)},
			{"90th percentile days to Reasonable Grounds", days(a.RGDecided, a.RGP90Days), days(pt.RGDecided, pt.RGP90Days)},
			{"Conclusive Grounds decisions", strconv.Itoa(a.CGDecided), strconv.Itoa(pt.CGDecided)},
			{"Median days to Conclusive Grounds", days(a.CGDecided, a.CGMedianDays), days(pt.CGDecided, pt.CGMedianDays)},
			{"90th percentile days to Conclusive Grounds", days(a.CGDecided, a.CGP90Days), days(pt.CGDecided, pt.CGP90Days)},
		}
		s.render(w, r, http.StatusOK, "referral_figures", p)
	})
}

// overdueReferrals counts the user's overdue Reasonable Grounds decisions, for the home page.
func (s *Server) overdueReferrals(ctx context.Context, actor tropic.Actor) (int, error) {
	if s.deps.Referrals == nil {
		return 0, nil
	}
	_, n, err := s.deps.Referrals.FindReferrals(ctx, actor, tropic.ReferralFilter{Overdue: true, Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("count overdue referrals: %w", err)
	}
	return n, nil
}

// pageHref is the list's address showing page n with the same filter.
func (f referralListFilter) pageHref(n int) string { f.Page = n; return f.href() }
