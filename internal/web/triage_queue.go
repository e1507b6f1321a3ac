package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// triagePageSize is how many reports one page of the queue lists.
const triagePageSize = 50

// triageUnacknowledged is the queue's filter for reports passed to an agency that has
// not acknowledged them within its time.
const triageUnacknowledged = "unacknowledged"

// triageFilter is the queue's filter form as typed, kept for the page and its links.
type triageFilter struct {
	Ref          string
	District     string
	Exploitation string
	Channel      string
	Status       string // "" (open), "all", "unacknowledged", or a decided status
	From, To     string // dates received, as typed
	Page         int
}

// query is the filter as a query string, for pagination links; page 0 leaves it out.
func (f triageFilter) query(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"ref": f.Ref, "district": f.District, "exploitation": f.Exploitation,
		"channel": f.Channel, "status": f.Status, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/triage"
	}
	return "/triage?" + v.Encode()
}

type triageQueueRow struct {
	Reference      string
	Href           string
	Received       string
	Age            string
	UrgencyLabel   string
	UrgencyClass   string
	UrgencyReason  string
	OverTarget     string // how long past its triage target, "" when it is not
	District       string
	Exploitation   string
	Channel        string
	Claim          string
	StatusLabel    string
	StatusClass    string
	Decided        bool // the status is worth showing: not new
	NewInformation bool
	Returned       string // "Returned by AGENCY: reason"
	WithAgency     string // for a report passed to an agency: "With AGENCY"
	HandoffLabel   string // where the handoff stands
	HandoffClass   string
	AckOverdue     string     // how long past its acknowledgement time, "" when it is not
	MatchTag       string     // "Matches 3 cases"
	Matches        []caseLink // a case the user may see, linked; or "A case held by X: contact them"
	Selected       bool       // ticked for a bulk action
	SelectID       string     // the id of its tick box; "" when it cannot be ticked (decided)
}

type triageQueuePage struct {
	Layout
	Filter       triageFilter
	Districts    []selectOption
	Types        []selectOption
	Channels     []selectOption
	Statuses     []selectOption
	Rows         []triageQueueRow
	Total        int
	First, Last  int    // the positions of the rows shown, from 1
	What         string // what the total counts: "open reports", "reports"
	Pagination   *pagination
	Filtered     bool   // a filter other than the default is set
	Searched     string // the reference searched for, in canonical form
	SearchFailed bool   // the reference was mistyped
	FilterFailed bool   // the filter has problems: no reports are shown
	Bulk         triageBulkForm
}

// handleTriageQueue lists the reports awaiting triage, most urgent and oldest first.
func (s *Server) handleTriageQueue() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.triageQueue(r, r.URL.Query())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Bulk.Flash = s.sessions.PopString(r.Context(), sessTriageFlash)
		s.render(w, r, http.StatusOK, "triage_queue", p)
	})
}

// triageQueue builds the queue's page for the filter in q.
func (s *Server) triageQueue(r *http.Request, q url.Values) (*triageQueuePage, error) {
	ctx := r.Context()
	districts, err := s.deps.Reports.FindDistricts(ctx)
	if err != nil {
		return nil, err
	}
	p := &triageQueuePage{Layout: s.newLayout(r, "Triage queue")}
	p.Nav = "triage"
	filter, err := parseTriageFilter(q, districts, p)
	p.fillOptions(districts)
	if err != nil {
		p.Errors = errorsFrom(err, "ref", "from", "to")
		p.SearchFailed = p.FieldMessage("ref") != ""
		p.FilterFailed = true
		return p, nil
	}
	actor := tropic.ActorFor(userFrom(ctx))
	if p.Filter.Status == triageUnacknowledged {
		if filter.AckOverdue, err = s.ackCuts(ctx); err != nil {
			return nil, err
		}
	}
	filter.Limit, filter.Offset = triagePageSize, (p.Filter.Page-1)*triagePageSize
	reports, total, err := s.deps.Reports.FindReports(ctx, actor, filter)
	if err == nil && len(reports) == 0 && total > 0 && p.Filter.Page > 1 {
		// Past the last page, as after decisions emptied it: show the last page.
		p.Filter.Page = pageCount(total, triagePageSize)
		filter.Offset = (p.Filter.Page - 1) * triagePageSize
		reports, total, err = s.deps.Reports.FindReports(ctx, actor, filter)
	}
	if err != nil {
		return nil, err
	}
	matches, err := s.reportMatches(r, reports)
	if err != nil {
		return nil, err
	}
	cal, err := s.triageCalendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p.Total = total
	for _, rep := range reports {
		p.Rows = append(p.Rows, triageQueueRow{
			Reference:      rep.Reference,
			Href:           reportPathFor(userFrom(ctx), rep.Reference),
			Received:       displayDateTime(rep.ReceivedAt),
			Age:            triageAge(now, rep.ReceivedAt),
			UrgencyLabel:   rep.Urgency.Label(),
			UrgencyClass:   urgencyTag(rep.Urgency),
			UrgencyReason:  rep.UrgencyReason,
			OverTarget:     s.overTarget(rep, now, cal),
			District:       districtName(rep.Location.District, districts),
			Exploitation:   rep.Exploitation.Label(),
			Channel:        rep.Channel.Label(),
			Claim:          triageClaimText(rep.ClaimedBy),
			StatusLabel:    rep.Status.Label(),
			StatusClass:    reportStatusTag(rep.Status),
			Decided:        rep.Status != tropic.ReportNew,
			NewInformation: rep.NeedsAttention,
			Matches:        matches[rep.ID],
		})
		row := &p.Rows[len(p.Rows)-1]
		row.Returned = returnedFlag(rep)
		if h := rep.LatestHandoff(); h != nil && rep.Status == tropic.ReportPassedToAgency && h.State.Open() {
			row.WithAgency, row.HandoffLabel, row.HandoffClass = "With "+h.Agency, h.State.Label(), handoffStateTag(h.State)
			row.AckOverdue = s.ackOverdue(h, rep.Urgency, now, cal)
		}
		if n := len(matches[rep.ID]); n > 0 {
			p.Rows[len(p.Rows)-1].MatchTag = "Matches " + plural(n, "case", "cases")
		}
	}
	if len(p.Rows) > 0 {
		p.First = filter.Offset + 1
		p.Last = filter.Offset + len(p.Rows)
	}
	p.Pagination = newPagination(p.Filter.Page, triagePageSize, total, p.Filter.query)
	return p, s.fillBulk(r, p)
}

// parseTriageFilter reads the queue's query string into p.Filter and the store's
// filter. Unknown choices are ignored, as only a hand-made address holds them;
// a mistyped reference or date is a problem to show.
func parseTriageFilter(q url.Values, districts []tropic.District, p *triageQueuePage) (tropic.ReportFilter, error) {
	var f tropic.ReportFilter
	var problems tropic.Problems
	in := &p.Filter
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	in.Page, _ = strconv.Atoi(get("page"))
	in.Page = max(in.Page, 1)

	if d := get("district"); d == "not_sure" {
		in.District = d
	} else {
		for _, k := range districts {
			if k.Slug == d {
				in.District = d
			}
		}
	}
	f.District = in.District
	if t := tropic.ExploitationType(get("exploitation")); t.Valid() {
		in.Exploitation, f.Exploitation = string(t), t
	}
	if c := tropic.Channel(get("channel")); c.Valid() {
		in.Channel, f.Channel = string(c), c
	}
	switch st := get("status"); st {
	case "all":
		in.Status = st
		f.Statuses = []tropic.ReportStatus{tropic.ReportNew, tropic.ReportLinkedToCase, tropic.ReportPassedToAgency, tropic.ReportNoFurtherAction, tropic.ReportDuplicate}
	case triageUnacknowledged:
		in.Status = st // the handler sets the cuts, which need the calendar
	case string(tropic.ReportLinkedToCase), string(tropic.ReportPassedToAgency), string(tropic.ReportNoFurtherAction), string(tropic.ReportDuplicate):
		in.Status = st
		f.Statuses = []tropic.ReportStatus{tropic.ReportStatus(st)}
	}
	in.From, in.To = get("from"), get("to")
	if in.From != "" {
		if d, ok := parseTypedDate(in.From); ok {
			f.From = d
		} else {
			problems.Add("from", "Received from must be a real date, like 20/11/2026")
		}
	}
	if in.To != "" {
		if d, ok := parseTypedDate(in.To); ok {
			f.To = d.AddDate(0, 0, 1) // the whole of the last day
			if !f.From.IsZero() && d.Before(f.From) {
				problems.Add("to", "Received to must be the same as or after received from")
			}
		} else {
			problems.Add("to", "Received to must be a real date, like 27/11/2026")
		}
	}
	p.Filtered = in.District != "" || in.Exploitation != "" || in.Channel != "" || in.Status != "" || in.From != "" || in.To != ""
	if in.Ref = get("ref"); in.Ref != "" {
		ref, err := tropic.ParseReference(in.Ref)
		if err != nil {
			problems.Add("ref", "That is not a reference Tropic gives: check it for a mistyped character. References look like KM7Q-2XP-A72")
		} else {
			// A reference finds its report whatever the other filters say.
			p.Searched = ref
			f = tropic.ReportFilter{Reference: ref}
		}
	}
	return f, problems.Err()
}

// fillOptions builds the filter form's choices, marking what is chosen.
func (p *triageQueuePage) fillOptions(districts []tropic.District) {
	f := p.Filter
	p.Districts = []selectOption{{Value: "", Label: "Any district", Selected: f.District == ""}}
	for _, d := range districts {
		p.Districts = append(p.Districts, selectOption{Value: d.Slug, Label: d.Name, Selected: f.District == d.Slug})
	}
	p.Districts = append(p.Districts, selectOption{Value: "not_sure", Label: "Not sure (the reporter did not know)", Selected: f.District == "not_sure"})

	p.Types = []selectOption{{Value: "", Label: "Any type", Selected: f.Exploitation == ""}}
	for _, t := range append(append([]tropic.ExploitationType(nil), tropic.ExploitationTypes...), tropic.ExploitNotSpecified) {
		p.Types = append(p.Types, selectOption{Value: string(t), Label: t.Label(), Selected: f.Exploitation == string(t)})
	}

	p.Channels = []selectOption{{Value: "", Label: "Any channel", Selected: f.Channel == ""}}
	for _, c := range tropic.Channels {
		p.Channels = append(p.Channels, selectOption{Value: string(c), Label: c.Label(), Selected: f.Channel == string(c)})
	}

	p.Statuses = []selectOption{
		{Value: "", Label: "Open reports", Selected: f.Status == ""},
		{Value: "all", Label: "All reports", Selected: f.Status == "all"},
	}
	for _, st := range []tropic.ReportStatus{tropic.ReportLinkedToCase, tropic.ReportPassedToAgency, tropic.ReportNoFurtherAction, tropic.ReportDuplicate} {
		p.Statuses = append(p.Statuses, selectOption{Value: string(st), Label: st.Label(), Selected: f.Status == string(st)})
	}
	p.Statuses = append(p.Statuses, selectOption{Value: triageUnacknowledged, Label: "Passed, not acknowledged in time", Selected: f.Status == triageUnacknowledged})
	p.What = "open reports"
	if f.Status != "" || p.Searched != "" {
		p.What = "reports"
	}
}

// reportMatches tells, for each report of a page, the cases it matches as the user
// may see them: one call for the page. A case the user may see is named and linked;
// any other is told only by the agency holding it, once per agency.
func (s *Server) reportMatches(r *http.Request, reports []*tropic.Report) (map[int64][]caseLink, error) {
	if s.deps.Matches == nil || len(reports) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(reports))
	for i, rep := range reports {
		ids[i] = rep.ID
	}
	found, err := s.deps.Matches.ReportMatches(r.Context(), actorOf(r), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]caseLink, len(found))
	for id, links := range found {
		seen := map[string]bool{}
		for _, l := range links {
			var m caseLink
			switch {
			case l.Visible && l.CaseRef != "":
				m = caseLink{Text: l.CaseRef, Href: casePath(l.CaseRef)}
			default:
				m = caseLink{Text: "A case held by " + heldByText(l.HeldBy) + ": contact them"}
			}
			if !seen[m.Text] {
				seen[m.Text] = true
				out[id] = append(out[id], m)
			}
		}
	}
	return out, nil
}

// reportPathFor is where u reads a report listed in the queue: the hub on its triage
// page, a triage user of another agency in their agency's inbox.
func reportPathFor(u *tropic.User, ref string) string {
	if inTriageHub(u) {
		return triageReportPath(ref)
	}
	return inboxReportPath(ref)
}
