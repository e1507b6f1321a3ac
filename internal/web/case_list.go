package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// casePageSize is how many cases one page of the list shows; caseSearchLimit how
// many search results one search shows.
const (
	casePageSize    = 25
	caseSearchLimit = 50
)

// caseSorts are the list's sortable columns, with the direction the store sorts
// each in: the newest first for dates, alphabetical for the rest.
var caseSorts = []struct {
	Key, Label, Direction string
}{
	{"reference", "Reference", "ascending"},
	{"title", "Title", "ascending"},
	{"opened", "Opened", "descending"},
	{"updated", "Last updated", "descending"},
}

// caseListFilter is the list's query string as typed, kept for the page and its links.
type caseListFilter struct {
	Scope    string // "" (our cases), "mine" (I am officer in charge) or "shared"
	Status   string
	District string
	Query    string
	Sort     string // "" is "updated"
	Page     int
}

// href is the list's address with the filter; page 1 and the defaults are left out.
func (f caseListFilter) href() string {
	v := url.Values{}
	for k, s := range map[string]string{"scope": f.Scope, "status": f.Status, "district": f.District, "q": f.Query, "sort": f.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	if len(v) == 0 {
		return "/cases"
	}
	return "/cases?" + v.Encode()
}

type caseTab struct {
	Label   string
	Href    string
	Current bool
}

type caseColumn struct {
	Label    string
	Href     string // sorts by this column; "" for a column that does not sort
	AriaSort string // "ascending" or "descending" on the column sorted by
}

type caseListRow struct {
	Reference    string
	Href         string
	Title        string
	StatusLabel  string
	StatusClass  string
	District     string
	Exploitation string
	Owner        string
	Opened       string
	Updated      string
	Match        string // for search results: what matched
}

type caseListPage struct {
	Layout
	Flash      string
	Filter     caseListFilter
	Tabs       []caseTab
	Statuses   []selectOption
	Districts  []selectOption
	Columns    []caseColumn
	Rows       []caseListRow
	Total      int
	MoreThan   string // set when more cases match than were counted: "more than" this
	First      int
	Last       int
	Pagination *pagination
	Filtered   bool   // a status or district is chosen
	Searching  bool   // a search was made: Rows are its results
	ShowOwner  bool   // the shared tab and search results say whose case it is
	TabLabel   string // the current tab's name, for the table caption
	Empty      string // what to say when there are no rows
	Pending    int    // for supervisors: role changes awaiting their decision
}

// handleCaseList lists the cases the user may see: the agency's own, or those
// shared with it, filtered and sorted; or, with a search, every case that matches.
func (s *Server) handleCaseList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		districts, err := s.deps.Reports.FindDistricts(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := &caseListPage{Layout: s.newLayout(r, "Cases"), Flash: s.sessions.PopString(ctx, sessCaseFlash)}
		p.Nav = "cases"
		p.Filter = parseCaseListFilter(r.URL.Query(), districts)
		f := p.Filter
		p.Filtered = f.Status != "" || f.District != ""
		p.fillOptions(districts)
		actor := actorOf(r)
		if canSupervise(p.User) {
			changes, err := s.deps.Cases.FindRoleChanges(ctx, actor, true)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			p.Pending = len(changes)
		}

		if f.Query != "" {
			p.Searching, p.ShowOwner = true, true
			p.Title = "Search cases"
			if len(f.Query) > tropic.MaxShortText {
				p.Errors = []FieldError{{Field: "q", Message: "Search for 200 characters or fewer"}}
				s.render(w, r, http.StatusOK, "case_list", p)
				return
			}
			hits, err := s.deps.Cases.Search(ctx, actor, f.Query, caseSearchLimit)
			if err != nil {
				s.caseListFail(w, r, p, err)
				return
			}
			for _, h := range hits {
				row := caseRow(h.Case, districts)
				row.Match = h.Match
				p.Rows = append(p.Rows, row)
			}
			p.Total = len(p.Rows)
			p.Empty = "No case you may see matches “" + f.Query + "”. Search finds case references and titles, people’s names and aliases, phone numbers, vehicle registrations, postcodes and business names."
			s.render(w, r, http.StatusOK, "case_list", p)
			return
		}

		filter := tropic.CaseFilter{Scope: "ours", Status: tropic.CaseStatus(f.Status), District: f.District, Sort: f.Sort,
			Limit: casePageSize, Offset: (f.Page - 1) * casePageSize}
		filter.CountUpTo = filter.Offset + listCountPast
		switch f.Scope {
		case "shared":
			filter.Scope = "shared"
			p.ShowOwner = true
		case "mine":
			filter.Officer = actor.UserID
		}
		cases, total, err := s.deps.Cases.FindCases(ctx, actor, filter)
		if err == nil && len(cases) == 0 && total > 0 && f.Page > 1 {
			// Past the last page: show the last page.
			p.Filter.Page = pageCount(total, casePageSize)
			filter.Offset = (p.Filter.Page - 1) * casePageSize
			cases, total, err = s.deps.Cases.FindCases(ctx, actor, filter)
		}
		if err != nil {
			s.caseListFail(w, r, p, err)
			return
		}
		for _, c := range cases {
			p.Rows = append(p.Rows, caseRow(c, districts))
		}
		p.Total = total
		if total > filter.CountUpTo {
			p.MoreThan = groupDigits(filter.CountUpTo)
		}
		if len(p.Rows) > 0 {
			p.First, p.Last = filter.Offset+1, filter.Offset+len(p.Rows)
		}
		p.Pagination = newPagination(p.Filter.Page, casePageSize, total, p.Filter.pageHref)
		switch {
		case p.Filtered:
			p.Empty = "No cases match these filters. Choose another status or district, or clear the filters."
		case f.Scope == "shared":
			p.Empty = "No cases are shared with your agency. When another agency shares a case with you, it appears here."
		case f.Scope == "mine":
			p.Empty = "You are not the officer in charge of any case. When you are made officer in charge of one, it appears here."
		default:
			p.Empty = "Your agency has no cases yet. Create a case, or create one from a report in the triage queue."
		}
		s.render(w, r, http.StatusOK, "case_list", p)
	})
}

// caseListFail shows a problem with the filter on the list, anything else as fail does.
func (s *Server) caseListFail(w http.ResponseWriter, r *http.Request, p *caseListPage, err error) {
	if tropic.ErrorCode(err) == tropic.EINVALID {
		p.Errors = fieldErrors(err, "", "q", "status", "district")
		p.Rows = nil
		s.render(w, r, http.StatusOK, "case_list", p)
		return
	}
	s.fail(w, r, err)
}

// parseCaseListFilter reads the query string; unknown choices are ignored, as only
// a hand-made address holds them.
func parseCaseListFilter(q url.Values, districts []tropic.District) caseListFilter {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	var f caseListFilter
	switch get("scope") {
	case "shared", "mine":
		f.Scope = get("scope")
	}
	switch st := tropic.CaseStatus(get("status")); st {
	case tropic.CaseOpen, tropic.CaseActive, tropic.CaseClosed:
		f.Status = string(st)
	}
	for _, d := range districts {
		if d.Slug == get("district") {
			f.District = d.Slug
		}
	}
	for _, so := range caseSorts {
		if so.Key == get("sort") && so.Key != "updated" {
			f.Sort = so.Key
		}
	}
	f.Query = get("q")
	f.Page, _ = strconv.Atoi(get("page"))
	f.Page = max(f.Page, 1)
	return f
}

// fillOptions builds the tabs, the filter's choices and the sortable columns.
func (p *caseListPage) fillOptions(districts []tropic.District) {
	f := p.Filter
	ours, mine, shared := f, f, f
	ours.Scope, mine.Scope, shared.Scope = "", "mine", "shared"
	ours.Page, mine.Page, shared.Page = 1, 1, 1
	ours.Query, mine.Query, shared.Query = "", "", ""
	p.Tabs = []caseTab{
		{Label: "Our cases", Href: ours.href(), Current: !p.Searching && f.Scope == ""},
		{Label: "My cases", Href: mine.href(), Current: !p.Searching && f.Scope == "mine"},
		{Label: "Shared with us", Href: shared.href(), Current: !p.Searching && f.Scope == "shared"},
	}
	switch f.Scope {
	case "shared":
		p.TabLabel = "Cases shared with us"
	case "mine":
		p.TabLabel = "Cases I am officer in charge of"
	default:
		p.TabLabel = "Our cases"
	}
	p.Statuses = []selectOption{{Value: "", Label: "Any status", Selected: f.Status == ""}}
	for _, st := range []tropic.CaseStatus{tropic.CaseOpen, tropic.CaseActive, tropic.CaseClosed} {
		p.Statuses = append(p.Statuses, selectOption{Value: string(st), Label: st.Label(), Selected: f.Status == string(st)})
	}
	p.Districts = districtOptions(districts, f.District, "Any district")
	current := f.Sort
	if current == "" {
		current = "updated"
	}
	for _, so := range caseSorts {
		g := f
		g.Page, g.Sort = 1, so.Key
		if so.Key == "updated" {
			g.Sort = ""
		}
		col := caseColumn{Label: so.Label, Href: g.href()}
		if so.Key == current {
			col.AriaSort = so.Direction
		}
		p.Columns = append(p.Columns, col)
	}
}

// caseRow is one case as the list shows it. Nothing sensitive is ever listed.
func caseRow(c *tropic.Case, districts []tropic.District) caseListRow {
	return caseListRow{
		Reference:    c.Reference,
		Href:         casePath(c.Reference),
		Title:        c.Title,
		StatusLabel:  c.Status.Label(),
		StatusClass:  caseStatusTag(c.Status),
		District:     districtName(c.District, districts),
		Exploitation: exploitationText(c.Exploitation),
		Owner:        c.OwnerAgency,
		Opened:       caseDay(c.OpenedAt),
		Updated:      displayDateTime(c.UpdatedAt),
	}
}

// pageHref is the list's address showing page n with the same filter.
func (f caseListFilter) pageHref(n int) string { f.Page = n; return f.href() }

// listCountPast is how far past the first row shown the case and referral lists
// count: an agency with more than that reads "more than N" rather than a count of
// every case or referral on each view (issue 12, item 13). It is well above a page, so that the pagination
// always offers the next page; a variable only for the test that lowers it.
var listCountPast = 10000

// groupDigits writes n with commas between thousands, as GOV.UK style writes numbers.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
