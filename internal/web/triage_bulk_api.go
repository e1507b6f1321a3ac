package web

import (
	"net/http"

	"tropic/internal/tropic"
)

// bulkTriageAnswer is the answer to a bulk action: the reports it changed.
type bulkTriageAnswer struct {
	Action     tropic.BulkAction `json:"action"`
	References []string          `json:"references"`
}

// handleAPIBulkTriage applies one action to several reports, as the queue's bulk
// form does: all of them, or none with a 409 naming each report that stopped it.
func (s *Server) handleAPIBulkTriage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b tropic.ReportBulk
		if !s.decodeJSON(w, r, &b) {
			return
		}
		done, err := s.deps.Reports.BulkTriage(r.Context(), actorOf(r), b)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, bulkTriageAnswer{Action: b.Action, References: done})
	})
}
