package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// Bulk actions in the triage queue (issue 12, item 11): tick several reports, then
// no further action with one reason, or assign them to a colleague. The store checks
// and applies them all or none (tropic.ReportBulk); a refusal comes back to the
// queue with the reports still ticked and what was typed.

// triageBulkForm is the queue's bulk action form, as typed.
type triageBulkForm struct {
	Flash      string
	Return     string // the queue's address with its filter and page, to come back to
	Action     string
	Reason     string
	Colleagues []selectOption
	Selectable bool // some report on the page can be ticked
}

// fillBulk fills the bulk form's choices: the triage colleagues of the user's agency.
func (s *Server) fillBulk(r *http.Request, p *triageQueuePage) error {
	p.Bulk.Return = p.Filter.query(p.Filter.Page)
	for i, row := range p.Rows {
		if row.Decided {
			continue
		}
		// The first tick box is where the error summary's link for the selection goes.
		p.Rows[i].SelectID = "select-" + row.Reference
		if !p.Bulk.Selectable {
			p.Rows[i].SelectID = "references"
		}
		p.Bulk.Selectable = true
	}
	if !p.Bulk.Selectable {
		return nil
	}
	u := userFrom(r.Context())
	users, err := s.deps.Users.FindUsers(r.Context(), tropic.UserFilter{AgencyID: u.AgencyID})
	if err != nil {
		return err
	}
	chosen := p.Bulk.Colleagues
	p.Bulk.Colleagues = []selectOption{{Value: "", Label: "Choose a colleague"}}
	for _, c := range users {
		if c.Disabled || !c.Has(tropic.RoleTriage) {
			continue
		}
		label := c.Name
		if c.ID == u.ID {
			label += " (you)"
		}
		v := strconv.FormatInt(c.ID, 10)
		p.Bulk.Colleagues = append(p.Bulk.Colleagues, selectOption{Value: v, Label: label,
			Selected: len(chosen) == 1 && chosen[0].Value == v})
	}
	return nil
}

// bulkReturn is where a bulk action goes back to: the queue as it was filtered.
func bulkReturn(v string) (string, url.Values) {
	u, err := url.Parse(v)
	if err != nil || u.Path != "/triage" || u.Host != "" || u.Scheme != "" {
		return "/triage", url.Values{}
	}
	return u.Path + "?" + u.RawQuery, u.Query()
}

// handleTriageBulk applies a bulk action to the ticked reports.
func (s *Server) handleTriageBulk() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		back, query := bulkReturn(r.PostFormValue("return"))
		b := tropic.ReportBulk{Action: tropic.BulkAction(r.PostFormValue("action")), References: r.PostForm["report"]}
		switch b.Action {
		case tropic.BulkNoFurtherAction:
			b.Reason = r.PostFormValue("reason")
		case tropic.BulkAssign:
			b.AssigneeID, _ = strconv.ParseInt(r.PostFormValue("assignee_id"), 10, 64)
		}
		done, err := s.deps.Reports.BulkTriage(r.Context(), actorOf(r), b)
		switch tropic.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), sessTriageFlash, s.bulkDoneMessage(r, b, done))
			http.Redirect(w, r, strings.TrimSuffix(back, "?"), http.StatusSeeOther)
			return
		case tropic.EINVALID, tropic.ECONFLICT:
		default:
			s.fail(w, r, err)
			return
		}
		p, perr := s.triageQueue(r, query)
		if perr != nil {
			s.serverError(w, r, perr)
			return
		}
		// Keep what was ticked and typed.
		for i := range p.Rows {
			p.Rows[i].Selected = slices.Contains(r.PostForm["report"], p.Rows[i].Reference)
		}
		p.Bulk.Action, p.Bulk.Reason = r.PostFormValue("action"), r.PostFormValue("reason")
		for i := range p.Bulk.Colleagues {
			p.Bulk.Colleagues[i].Selected = p.Bulk.Colleagues[i].Value == r.PostFormValue("assignee_id")
		}
		status := http.StatusUnprocessableEntity
		if tropic.ErrorCode(err) == tropic.ECONFLICT {
			status = http.StatusConflict
			err = &tropic.Error{Code: tropic.ECONFLICT, Message: tropic.ErrorMessage(err), Fields: map[string]string{"references": tropic.ErrorMessage(err)}}
		}
		p.Errors = errorsFrom(err, "references", "action", "reason", "assignee_id")
		s.render(w, r, status, "triage_queue", p)
	})
}

// bulkDoneMessage says what a bulk action did.
func (s *Server) bulkDoneMessage(r *http.Request, b tropic.ReportBulk, done []string) string {
	n := plural(len(done), "report", "reports")
	if b.Action == tropic.BulkAssign {
		to := "your colleague"
		if u, err := s.deps.Users.FindUserByID(r.Context(), b.AssigneeID); err == nil {
			to = u.Name
		}
		return n + " assigned to " + to + ": " + strings.Join(done, ", ") + "."
	}
	return "No further action recorded for " + n + ": " + strings.Join(done, ", ") + ". They have left the queue."
}
