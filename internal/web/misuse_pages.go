package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The data protection officers' queue of misuse alerts: each explained in plain words,
// with a link to the audit events behind it, closed as explained or as misuse with a
// note; and the latest closed ones.

type misuseRow struct {
	ID                 int64
	Anchor             string
	Title, Explanation string
	Found              string
	EventsHref         string
	Note               string // what was typed, kept when the form comes back with errors
	Status             string
	DecidedBy          string
	Options            []selectOption // how to close it
}

type misusePage struct {
	Layout
	Flash  string
	Open   []misuseRow
	Closed []misuseRow
}

// requireMisuse: data protection officers, when alerts are wired.
func (s *Server) requireMisuse(next http.Handler) http.Handler {
	return s.onlyFor(func(u *tropic.User) bool { return canSearchAudit(u) && s.deps.Misuse != nil }, next)
}

// alertEventsHref is the audit search for what an alert saw: the user's views that day.
func alertEventsHref(a *tropic.MisuseAlert) string {
	v := url.Values{"user": {strconv.FormatInt(a.UserID, 10)}, "from": {a.Day}, "to": {a.Day}, "action": {"case."}}
	if a.ObjectType == "person" {
		v.Set("action", "person.")
		v.Set("object_type", "person")
		v.Set("object_id", strconv.FormatInt(a.ObjectID, 10))
	}
	return "/audit?" + v.Encode()
}

func (s *Server) renderMisuse(w http.ResponseWriter, r *http.Request, status int, failed int64, typedStatus, typed string, err error) {
	all, ferr := s.deps.Misuse.FindMisuseAlerts(r.Context(), actorOf(r), false)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	p := &misusePage{Layout: s.newLayout(r, "Access alerts"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash)}
	p.Nav = "audit"
	for _, a := range all {
		id := strconv.FormatInt(a.ID, 10)
		row := misuseRow{ID: a.ID, Anchor: "alert-" + id, Title: a.Kind.Label() + ": " + a.User, Explanation: a.Explain(),
			Found: displayDateTime(a.FoundAt), EventsHref: alertEventsHref(a), Note: a.Note, DecidedBy: a.DecidedBy}
		if a.Status == tropic.MisuseOpen {
			row.Note = ""
			row.Options = radioOptions("status-"+id, []selectOption{{Value: string(tropic.MisuseExplained), Label: "A need to know: explained"},
				{Value: string(tropic.MisuseConfirmed), Label: "Misuse: referred on"}})
			if a.ID == failed {
				row.Note = typed
				for i := range row.Options {
					row.Options[i].Selected = row.Options[i].Value == typedStatus
				}
				for _, f := range []string{"status", "note"} {
					if m, ok := tropic.ErrorFields(err)[f]; ok {
						p.Errors = append(p.Errors, FieldError{Field: f + "-" + id, Message: m})
					}
				}
			}
			p.Open = append(p.Open, row)
			continue
		}
		row.Status = "Explained"
		if a.Status == tropic.MisuseConfirmed {
			row.Status = "Misuse"
		}
		p.Closed = append(p.Closed, row)
	}
	s.render(w, r, status, "misuse_alerts", p)
}

func (s *Server) handleMisuseAlerts() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.renderMisuse(w, r, http.StatusOK, 0, "", "", nil) })
}

func (s *Server) handleMisuseDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		d := tropic.MisuseDecision{Status: tropic.MisuseStatus(r.PostFormValue("status")), Note: strings.TrimSpace(r.PostFormValue("note"))}
		err = s.deps.Misuse.DecideMisuseAlert(r.Context(), actorOf(r), id, d)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderMisuse(w, r, http.StatusUnprocessableEntity, id, r.PostFormValue("status"), r.PostFormValue("note"), err)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.caseFlash(r, "You closed the alert. Your note is kept with it.")
		http.Redirect(w, r, "/audit/alerts", http.StatusSeeOther)
	})
}
