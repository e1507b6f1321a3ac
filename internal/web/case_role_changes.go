package web

import (
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The supervisors' page of requested role changes: moving a potential victim to
// suspect waits here for a supervisor of the owning agency to approve or decline,
// with a note (victim first).

type roleChangeRow struct {
	Prefix      string // the ids of this row's fields start with it
	ID          int64
	Person      string
	CaseRef     string
	CaseHref    string
	From, To    string
	Reason      []string
	RequestedBy string
	RequestedAt string
	Note        string // typed, kept on a re-render
}

type roleDecisionRow struct {
	Person, CaseRef, CaseHref, Change, Decision, DecidedBy, Note string
}

type roleChangesPage struct {
	Layout
	Flash   string
	Rows    []roleChangeRow
	Decided []roleDecisionRow
}

// canSupervise says whether u supervises: only supervisors decide role changes.
func canSupervise(u *tropic.User) bool { return u != nil && u.Has(tropic.RoleSupervisor) }

// handleRoleChanges lists the role changes waiting for the supervisor's agency, and
// the latest decided.
func (s *Server) handleRoleChanges() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flash := s.sessions.PopString(r.Context(), sessCaseFlash)
		s.renderRoleChanges(w, r, http.StatusOK, 0, "", nil, flash)
	})
}

func (s *Server) renderRoleChanges(w http.ResponseWriter, r *http.Request, status int, typedID int64, typedNote string, errs []FieldError, flash string) {
	if !canSupervise(userFrom(r.Context())) {
		s.notFound(w, r)
		return
	}
	changes, err := s.deps.Cases.FindRoleChanges(r.Context(), actorOf(r), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &roleChangesPage{Layout: s.newLayout(r, "Role changes to decide"), Flash: flash}
	p.Nav = "cases"
	p.Errors = errs
	for _, rc := range changes {
		person := rc.PersonName
		if person == "" {
			person = "A person known only by an alias"
		}
		if rc.Status != tropic.RoleChangeRequested {
			if len(p.Decided) < 20 && rc.From != rc.To && tropic.NeedsApproval(rc.From, rc.To) {
				decision := "Approved"
				if rc.Status == tropic.RoleChangeDeclined {
					decision = "Declined"
				}
				p.Decided = append(p.Decided, roleDecisionRow{Person: person, CaseRef: rc.CaseReference, CaseHref: casePath(rc.CaseReference),
					Change: rc.From.Label() + " to " + strings.ToLower(rc.To.Label()), Decision: decision,
					DecidedBy: rc.DecidedBy + ", " + displayDateTime(rc.DecidedAt), Note: rc.DecisionNote})
			}
			continue
		}
		row := roleChangeRow{
			Prefix:      "change-" + strconv.FormatInt(rc.ID, 10) + "-",
			ID:          rc.ID,
			Person:      person,
			CaseRef:     rc.CaseReference,
			CaseHref:    casePath(rc.CaseReference),
			From:        rc.From.Label(),
			To:          rc.To.Label(),
			Reason:      paragraphs(rc.Reason),
			RequestedBy: rc.RequestedBy,
			RequestedAt: displayDateTime(rc.RequestedAt),
		}
		if rc.ID == typedID {
			row.Note = typedNote
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, status, "case_role_changes", p)
}

// handleRoleChangeDecision approves or declines a requested role change.
func (s *Server) handleRoleChangeDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		note := r.PostFormValue("note")
		prefix := "change-" + strconv.FormatInt(id, 10) + "-"
		var msg string
		switch r.PostFormValue("decision") {
		case "approve":
			err = s.deps.Cases.DecideRoleChange(r.Context(), actorOf(r), id, true, note)
			msg = "You approved the change of role. It now applies on the case."
		case "decline":
			err = s.deps.Cases.DecideRoleChange(r.Context(), actorOf(r), id, false, note)
			msg = "You declined the change of role. The person stays a potential victim."
		default:
			err = invalid("note", "Choose approve or decline")
		}
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, msg)
			http.Redirect(w, r, "/cases/role-changes", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderRoleChanges(w, r, http.StatusUnprocessableEntity, id, note, fieldErrors(err, prefix, "note"), "")
		case tropic.ECONFLICT:
			s.renderRoleChanges(w, r, http.StatusConflict, id, note, []FieldError{{Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}
