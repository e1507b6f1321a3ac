package web

import (
	"net/http"
	"net/url"
	"strconv"

	"tropic/internal/tropic"
)

// The administration history: every administration event (tropic.AdminActions) from
// the audit trail, newest first; an agency administrator's own agency's only.

type adminHistoryRow struct {
	At, Who, What, Object, Detail string
	ObjectPath                    string
}

type adminHistoryPage struct {
	AdminLayout
	Agencies   []selectOption // a partnership administrator's filter
	Rows       []adminHistoryRow
	Total      int
	Pagination *pagination
}

const adminHistoryPageSize = 50

func (s *Server) handleAdminHistory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.AdminHistory == nil {
			s.notFound(w, r)
			return
		}
		q := r.URL.Query()
		agency, _ := strconv.ParseInt(q.Get("agency"), 10, 64)
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		events, total, err := s.deps.AdminHistory.FindAdminHistory(r.Context(), actorOf(r),
			tropic.AdminHistoryFilter{AgencyID: agency, Limit: adminHistoryPageSize, Offset: (page - 1) * adminHistoryPageSize})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &adminHistoryPage{AdminLayout: s.adminLayout(r, "Administration history", "history"), Total: total}
		if p.RunsPartnership {
			if p.Agencies, err = s.agencyOptions(r, agency, "Every agency"); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
		for _, e := range events {
			p.Rows = append(p.Rows, historyRow(e))
		}
		p.Pagination = newPagination(page, adminHistoryPageSize, total, func(n int) string {
			v := url.Values{"page": {strconv.Itoa(n)}}
			if agency != 0 {
				v.Set("agency", strconv.FormatInt(agency, 10))
			}
			return "/admin/history?" + v.Encode()
		})
		s.render(w, r, http.StatusOK, "admin_history", p)
	})
}

func historyRow(e *tropic.AdminEvent) adminHistoryRow {
	row := adminHistoryRow{At: displayDateTime(e.At), What: tropic.AdminActionLabel(e.Action), Detail: e.Detail, Object: e.ObjectName}
	switch {
	case e.ActorName != "":
		row.Who = e.ActorName
	case e.ActorLabel != "":
		row.Who = "The " + e.ActorLabel
	default:
		row.Who = "Tropic"
	}
	if e.ObjectType == "user" && e.ObjectName != "" {
		row.ObjectPath = userPath(e.ObjectID)
	}
	return row
}
