package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The data protection officer's audit search: filters by user, agency, action, record
// (a case by reference, or any record by kind and number) and dates; the results a page
// at a time; and an export of every matching event (CSV), itself audited.

const auditPageSize = 50

type auditRow struct {
	Seq                  int64
	At, Who, Action      string
	Object, Detail, Hash string
}

type auditPage struct {
	Layout
	Query      auditForm
	Searched   bool
	Total      int
	Rows       []auditRow
	Pagination *pagination
	Agencies   []selectOption
	Shows      []selectOption // each event, or by user and day
	Days       []tropic.AccessDay
	ByDay      bool
	Limit      int // the most events one export holds
}

// auditForm is what was typed, kept as text so that a wrong value comes back as typed.
type auditForm struct {
	User, Agency, Action, ObjectType, ObjectID, Case, From, To string
	Show                                                       string // "days": views and changes by user and day
}

func (f auditForm) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"user": f.User, "agency": f.Agency, "action": f.Action, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "case": f.Case, "from": f.From, "to": f.To, "show": f.Show} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// readAuditForm reads the filters; numbers that are not numbers are field errors.
func readAuditForm(v url.Values) (auditForm, tropic.AuditQuery, error) {
	f := auditForm{User: strings.TrimSpace(v.Get("user")), Agency: v.Get("agency"), Action: strings.TrimSpace(v.Get("action")),
		ObjectType: strings.TrimSpace(v.Get("object_type")), ObjectID: strings.TrimSpace(v.Get("object_id")),
		Case: strings.TrimSpace(strings.ToUpper(v.Get("case"))), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	if v.Get("show") == "days" {
		f.Show = "days"
	}
	q := tropic.AuditQuery{Action: f.Action, ObjectType: f.ObjectType, CaseReference: f.Case, From: f.From, To: f.To}
	var p tropic.Problems
	num := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			p.Add(field, "Enter a number, like 42")
		}
		return n
	}
	q.UserID, q.AgencyID, q.ObjectID = num("user", f.User), num("agency", f.Agency), num("object_id", f.ObjectID)
	if _, _, err := q.Validate(); err != nil { // the store checks again; here all problems show at once
		for field, msg := range tropic.ErrorFields(err) {
			p.Add(field, msg)
		}
	}
	return f, q, p.Err()
}

// canSearchAudit: the user is a data protection officer (tropic.MaySearchAudit).
func canSearchAudit(u *tropic.User) bool {
	return u != nil && tropic.MaySearchAudit(tropic.ActorFor(u)) == nil
}

// requireDPO: data protection officers, when the audit search is wired.
func (s *Server) requireDPO(next http.Handler) http.Handler {
	return s.onlyFor(func(u *tropic.User) bool { return canSearchAudit(u) && s.deps.AuditSearch != nil }, next)
}

func (s *Server) handleAuditSearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &auditPage{Layout: s.newLayout(r, "Audit search"), Limit: tropic.AuditExportLimit}
		p.Nav = "audit"
		agencies, err := s.deps.Agencies.FindAgencies(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form, q, err := readAuditForm(r.URL.Query())
		p.Query = form
		p.Agencies = []selectOption{{Value: "", Label: "Any agency", Selected: form.Agency == ""}}
		for _, a := range agencies {
			id := strconv.FormatInt(a.ID, 10)
			p.Agencies = append(p.Agencies, selectOption{Value: id, Label: a.Name, Selected: form.Agency == id})
		}
		p.Searched = len(r.URL.Query()) > 0
		p.ByDay = form.Show == "days"
		p.Shows = radioOptions("show", []selectOption{{Value: "", Label: "Each event, newest first", Selected: !p.ByDay},
			{Value: "days", Label: "Views and changes by user and day", Selected: p.ByDay}})
		status := http.StatusOK
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		pageHref := func(n int) string {
			v := form.values()
			v.Set("page", strconv.Itoa(n))
			return "/audit?" + v.Encode()
		}
		if err == nil && p.Searched && p.ByDay {
			var days []tropic.AccessDay
			if days, err = s.deps.AuditSearch.SummariseAccess(r.Context(), actorOf(r), q); err == nil {
				p.Total = len(days)
				p.Days = days[min((page-1)*auditPageSize, len(days)):min(page*auditPageSize, len(days))]
				p.Pagination = newPagination(page, auditPageSize, p.Total, pageHref)
			}
		} else if err == nil && p.Searched {
			q.Limit, q.Offset = auditPageSize, (page-1)*auditPageSize
			var events []*tropic.AuditEvent
			events, p.Total, err = s.deps.AuditSearch.SearchAudit(r.Context(), actorOf(r), q)
			for _, ev := range events {
				p.Rows = append(p.Rows, auditRowFrom(ev))
			}
			p.Pagination = newPagination(page, auditPageSize, p.Total, pageHref)
		}
		if err != nil {
			if tropic.ErrorCode(err) != tropic.EINVALID {
				s.fail(w, r, err)
				return
			}
			p.Errors, status, p.Searched = fieldErrors(err, "", "user", "agency", "action", "object_id", "case", "from", "to"), http.StatusUnprocessableEntity, false
		}
		s.render(w, r, status, "audit_search", p)
	})
}

func auditRowFrom(ev *tropic.AuditEvent) auditRow {
	row := auditRow{Seq: ev.Seq, At: displayDateTime(ev.At), Who: ev.ActorLabel, Action: ev.Action, Detail: ev.Detail, Hash: ev.Hash[:min(12, len(ev.Hash))]}
	if ev.UserID != 0 {
		row.Who += " (user " + strconv.FormatInt(ev.UserID, 10) + ")"
	}
	if ev.ObjectType != "" {
		row.Object = ev.ObjectType + " " + strconv.FormatInt(ev.ObjectID, 10)
	}
	return row
}

// handleAuditExport writes every event the search finds as CSV, and the store audits
// the export. It is a POST: it changes the audit trail.
func (s *Server) handleAuditExport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		_, q, err := readAuditForm(r.PostForm)
		if err == nil {
			var events []*tropic.AuditEvent
			if events, err = s.deps.AuditSearch.ExportAudit(r.Context(), actorOf(r), q); err == nil {
				rows := make([][]string, len(events))
				for i, ev := range events {
					rows[i] = []string{strconv.FormatInt(ev.Seq, 10), ev.At.Format(time.RFC3339Nano), strconv.FormatInt(ev.UserID, 10), strconv.FormatInt(ev.AgencyID, 10),
						ev.ActorLabel, ev.Action, ev.ObjectType, strconv.FormatInt(ev.ObjectID, 10), ev.Detail, ev.Hash}
				}
				if err := writeTableFile(w, downloadFormat(r.PostForm.Get("format")), tableFile{
					Name:   "audit-" + time.Now().UTC().Format("20060102-150405"),
					Header: []string{"seq", "at", "user_id", "agency_id", "actor", "action", "object_type", "object_id", "detail", "hash"},
					Rows:   rows,
				}); err != nil {
					s.log.Error("audit export", "error", err.Error())
				}
				return
			}
		}
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderError(w, r, http.StatusUnprocessableEntity, "There is a problem", tropic.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
	})
}
