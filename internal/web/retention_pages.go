package web

import (
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The retention review queue of a supervisor's agency: records at the end of their
// retention period, each kept until a date for a stated reason or disposed of, and the
// latest decisions. The retention reviews are also a source of the approvals queue.

type retentionRow struct {
	ID                  int64
	Anchor              string
	Kind                string
	Reference, Href     string
	Due, Rule, Queued   string
	RetainUntil, Reason string // what was typed, kept when the form comes back with errors
}

type retentionDecided struct {
	Kind, Reference, Decision, Reason, DecidedBy, DecidedAt string
	Href                                                    string // "" once disposed of
}

type retentionPage struct {
	Layout
	Flash   string
	Rows    []retentionRow
	Decided []retentionDecided
	Rules   []tropic.RetentionRule
	Example string // a date a year from today, for the hint
}

// onlyFor serves next to signed-in users for whom may holds; to anyone else the page
// answers as missing.
func (s *Server) onlyFor(may func(*tropic.User) bool, next http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !may(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})))
}

// requireRetention: supervisors, when retention is wired.
func (s *Server) requireRetention(next http.Handler) http.Handler {
	return s.onlyFor(func(u *tropic.User) bool { return canSupervise(u) && s.deps.Retention != nil }, next)
}

// retentionSchedule is the schedule in force: the configured one, or the default.
func (s *Server) retentionSchedule() tropic.RetentionSchedule {
	if s.cfg.Retention.CaseClosed == 0 {
		return tropic.DefaultRetention
	}
	return s.cfg.Retention
}

// recordHref is the page of a reviewed record.
func recordHref(kind tropic.RecordKind, ref string) string {
	if kind == tropic.RecordReport {
		return triageReportPath(ref)
	}
	return casePath(ref)
}

func (s *Server) handleRetention() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderRetention(w, r, http.StatusOK, 0, tropic.RetentionDecision{}, nil)
	})
}

// renderRetention shows the queue; failed is the review whose form came back with err.
func (s *Server) renderRetention(w http.ResponseWriter, r *http.Request, status int, failed int64, typed tropic.RetentionDecision, err error) {
	waiting, decided, ferr := s.deps.Retention.FindRetentionReviews(r.Context(), actorOf(r))
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	now := time.Now()
	p := &retentionPage{Layout: s.newLayout(r, "Retention reviews"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash),
		Rules: s.retentionSchedule().Rules(), Example: now.AddDate(1, 0, 0).In(partnershipZone).Format("02/01/2006")}
	p.Nav = "approvals"
	fields := tropic.ErrorFields(err)
	for _, v := range waiting {
		id := strconv.FormatInt(v.ID, 10)
		row := retentionRow{ID: v.ID, Anchor: "review-" + id, Kind: v.Kind.Label(), Reference: v.Reference, Href: recordHref(v.Kind, v.Reference),
			Due: v.DueOn.Format("2 January 2006"), Rule: v.Rule, Queued: displayDateTime(v.QueuedAt)}
		if v.ID == failed {
			row.RetainUntil, row.Reason = typed.RetainUntil, typed.Reason
			for _, f := range []string{"retain_until", "reason"} {
				if m, ok := fields[f]; ok {
					p.Errors = append(p.Errors, FieldError{Field: f + "-" + id, Message: m})
				}
			}
			if len(fields) == 0 && err != nil {
				p.Errors = append(p.Errors, FieldError{Message: tropic.ErrorMessage(err)})
			}
		}
		p.Rows = append(p.Rows, row)
	}
	for _, v := range decided {
		d := retentionDecided{Kind: v.Kind.Label(), Reference: v.Reference, Reason: v.Reason, DecidedBy: v.DecidedBy, DecidedAt: displayDateTime(v.DecidedAt)}
		if v.Status == tropic.RetentionDisposed {
			d.Decision = "Disposed of"
		} else {
			d.Decision, d.Href = "Kept until "+v.RetainUntil, recordHref(v.Kind, v.Reference)
		}
		p.Decided = append(p.Decided, d)
	}
	s.render(w, r, status, "retention", p)
}

// handleRetentionDecision keeps a record until a date for a reason, or disposes of it.
func (s *Server) handleRetentionDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		d := tropic.RetentionDecision{RetainUntil: caseDateInput(r.PostFormValue("retain_until")), Reason: r.PostFormValue("reason")}
		switch r.PostFormValue("decision") {
		case "dispose":
			d.Dispose = true
		case "retain":
		default:
			s.renderError(w, r, http.StatusUnprocessableEntity, "There is a problem", "Choose to keep the record or to dispose of it.")
			return
		}
		err = s.deps.Retention.DecideRetention(r.Context(), actorOf(r), id, d)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderRetention(w, r, http.StatusUnprocessableEntity, id, d, err)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msg := "You disposed of the record: it and everything derived from it are deleted; its figures stay in the statistics."
		if !d.Dispose {
			msg = "You kept the record until " + d.RetainUntil + ". It comes back for review then."
		}
		s.caseFlash(r, msg)
		http.Redirect(w, r, "/retention", http.StatusSeeOther)
	})
}
