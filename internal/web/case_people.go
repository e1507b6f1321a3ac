package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// People on cases: adding one (with the possible existing matches shown first, to
// stop duplicates at the door), a person's page with the cases the user may see them
// on, editing them, and changing their role or s.45 flag per case.

// personForm is what was typed about a person, kept on a re-render and carried
// through the matches step in hidden fields.
type personForm struct {
	GivenName         string
	FamilyName        string
	Aliases           string // one a line
	DateOfBirth       string
	ApproxAge         string
	Gender            string
	Nationality       string
	Languages         string
	Phone             string
	Email             string
	ImmigrationStatus string
	Health            string
	Role              string
}

var personFieldOrder = []string{"role", "given_name", "family_name", "aliases", "date_of_birth", "approx_age", "gender",
	"nationality", "languages", "phone", "email", "immigration_status", "health"}

func personFormFrom(r *http.Request) personForm {
	v := r.PostFormValue
	return personForm{GivenName: v("given_name"), FamilyName: v("family_name"), Aliases: v("aliases"), DateOfBirth: v("date_of_birth"),
		ApproxAge: v("approx_age"), Gender: v("gender"), Nationality: v("nationality"), Languages: v("languages"), Phone: v("phone"),
		Email: v("email"), ImmigrationStatus: v("immigration_status"), Health: v("health"), Role: v("role")}
}

func personFormOf(p *tropic.Person) personForm {
	f := personForm{GivenName: p.GivenName, FamilyName: p.FamilyName, Aliases: strings.Join(p.Aliases, "\n"), DateOfBirth: p.DateOfBirth,
		Gender: string(p.Gender), Nationality: p.Nationality, Languages: p.Languages, Phone: p.Phone, Email: p.Email,
		ImmigrationStatus: p.ImmigrationStatus, Health: p.Health}
	if p.ApproxAge > 0 {
		f.ApproxAge = strconv.Itoa(p.ApproxAge)
	}
	return f
}

// person reads the form into a person; an approximate age that is not a number is
// the one problem found here, the rest the domain finds.
func (f personForm) person() (*tropic.Person, error) {
	p := &tropic.Person{GivenName: f.GivenName, FamilyName: f.FamilyName, DateOfBirth: f.DateOfBirth, Gender: tropic.Gender(f.Gender),
		Nationality: f.Nationality, Languages: f.Languages, Phone: f.Phone, Email: f.Email, ImmigrationStatus: f.ImmigrationStatus, Health: f.Health}
	for _, a := range strings.Split(f.Aliases, "\n") {
		if a = strings.TrimSpace(a); a != "" {
			p.Aliases = append(p.Aliases, a)
		}
	}
	if a := strings.TrimSpace(f.ApproxAge); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			return p, invalid("approx_age", "Enter an approximate age in years, like 25, or leave it blank")
		}
		p.ApproxAge = n
	}
	return p, nil
}

type personMatchRow struct {
	ID      string // the radio's id
	Value   string
	Name    string
	Details []string
	Cases   string
	Reasons string
	Checked bool
}

type personFormPage struct {
	Layout
	Step      string // "details", "matches" or "edit"
	Caption   string
	Heading   string
	Intro     string
	Action    string
	Back      string
	Submit    string
	Form      personForm
	Version   int
	Genders   []selectOption
	Roles     []selectOption
	Matches   []personMatchRow
	NewID     string // the id of the "none of these" radio
	NewCheck  bool
	RoleLabel string // the role chosen, on the matches step
}

// handlePersonNewForm shows the form for a person to add to the case in the path.
func (s *Server) handlePersonNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.loadCase(w, r)
		if c == nil {
			return
		}
		if err := tropic.MayChangeCase(actorOf(r), c); err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderPersonForm(w, r, http.StatusOK, c, "details", personForm{}, nil)
	})
}

// handlePersonNew takes the person's details and shows possible existing matches
// (step "details"), or adds the person as chosen among the matches (step "matches").
// With no match, the person is added at once.
func (s *Server) handlePersonNew() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		ctx, actor := r.Context(), actorOf(r)
		f := personFormFrom(r)
		p, err := f.person()
		if err == nil {
			err = p.Validate(s.deps.Phones, s.now())
		}
		role := tropic.PersonRole(f.Role)
		if !role.Valid() {
			err = withProblem(err, "role", "Choose the person’s role on this case")
		}
		if err != nil {
			s.personFormProblem(w, r, "details", f, err)
			return
		}
		choice := r.PostFormValue("match")
		if r.PostFormValue("step") != "matches" {
			matches, err := s.deps.Cases.FindPersonMatches(ctx, actor, p)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if len(matches) > 0 {
				c := s.loadCase(w, r)
				if c == nil {
					return
				}
				s.renderPersonMatches(w, r, http.StatusOK, c, f, matches, "", nil)
				return
			}
			choice = "new"
		}
		var msg string
		switch choice {
		case "new":
			err = s.deps.Cases.AddPerson(ctx, actor, ref, p, role)
			msg = personLabel(p) + " has been added to the case as " + strings.ToLower(role.Label()) + "."
		case "":
			err = invalid("match", "Choose the person if they are already recorded, or say that none of these is them")
		default:
			id, perr := strconv.ParseInt(choice, 10, 64)
			if perr != nil {
				err = invalid("match", "Choose the person if they are already recorded, or say that none of these is them")
				break
			}
			err = s.deps.Cases.AddExistingPerson(ctx, actor, ref, id, role)
			if code := tropic.ErrorCode(err); code == tropic.ECONFLICT || code == tropic.EFORBIDDEN {
				// Already on the case, or seen without sensitive details: say so on the choice.
				// The case itself is visible to the user, or the store would not have got this far.
				err = invalid("match", tropic.ErrorMessage(err))
			}
			msg = "The existing record of " + personLabel(p) + " has been added to the case as " + strings.ToLower(role.Label()) + ". No duplicate was made."
		}
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref)+"#people", http.StatusSeeOther)
		case tropic.EINVALID:
			if _, onMatch := tropic.ErrorFields(err)["match"]; onMatch {
				matches, ferr := s.deps.Cases.FindPersonMatches(ctx, actor, p)
				if ferr != nil {
					s.fail(w, r, ferr)
					return
				}
				c := s.loadCase(w, r)
				if c == nil {
					return
				}
				s.renderPersonMatches(w, r, http.StatusUnprocessableEntity, c, f, matches, choice, fieldErrors(err, "", "match"))
				return
			}
			s.personFormProblem(w, r, "details", f, err)
		default:
			s.fail(w, r, err)
		}
	})
}

// withProblem adds a problem for field to a validation error, or makes one.
func withProblem(err error, field, msg string) error {
	fields := map[string]string{field: msg}
	for k, v := range tropic.ErrorFields(err) {
		fields[k] = v
	}
	if err != nil && tropic.ErrorCode(err) != tropic.EINVALID {
		return err
	}
	return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: fields}
}

// personLabel names a person, or their first alias when no name is known.
func personLabel(p *tropic.Person) string {
	if n := p.FullName(); n != "" {
		return n
	}
	if len(p.Aliases) > 0 {
		return "the person known as " + p.Aliases[0]
	}
	return "the person"
}

func (s *Server) personFormProblem(w http.ResponseWriter, r *http.Request, step string, f personForm, err error) {
	if tropic.ErrorCode(err) != tropic.EINVALID {
		s.fail(w, r, err)
		return
	}
	c := s.loadCase(w, r)
	if c == nil {
		return
	}
	s.renderPersonForm(w, r, http.StatusUnprocessableEntity, c, step, f, fieldErrors(err, "", personFieldOrder...))
}

// renderPersonForm shows the person's details form for case c.
func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, c *tropic.Case, step string, f personForm, errs []FieldError) {
	p := &personFormPage{
		Layout:  s.newLayout(r, "Add a person: "+c.Reference),
		Step:    step,
		Caption: "Case " + c.Reference + ": " + c.Title,
		Heading: "Add a person",
		Intro:   "When you continue, Tropic looks for this person among the records you may see, so that one person has one record across cases.",
		Action:  casePath(c.Reference) + "/people/new",
		Back:    casePath(c.Reference) + "#people",
		Submit:  "Continue",
		Form:    f,
	}
	p.Nav = "cases"
	p.Errors = errs
	p.fillOptions(true)
	s.render(w, r, status, "case_person_form", p)
}

// renderPersonMatches shows the possible existing records of the person typed,
// to choose one or to say that none is them.
func (s *Server) renderPersonMatches(w http.ResponseWriter, r *http.Request, status int, c *tropic.Case, f personForm, matches []tropic.PersonMatch, choice string, errs []FieldError) {
	p := &personFormPage{
		Layout:  s.newLayout(r, "Is this person already recorded?"),
		Step:    "matches",
		Caption: "Case " + c.Reference + ": " + c.Title,
		Heading: "Is this person already recorded?",
		Intro:   "These records, on cases you may see, may be the person you are adding. Use the existing record if it is them: their history then follows them across cases.",
		Action:  casePath(c.Reference) + "/people/new",
		Back:    casePath(c.Reference) + "#people",
		Submit:  "Add to the case",
		Form:    f,
		NewID:   "match-new",
	}
	p.RoleLabel = tropic.PersonRole(f.Role).Label()
	p.Nav = "cases"
	p.Errors = errs
	for i, m := range matches {
		row := personMatchRow{ID: "match", Value: strconv.FormatInt(m.Person.ID, 10), Name: personName(m.Person),
			Cases: strings.Join(m.Cases, ", "), Reasons: strings.Join(m.Reasons, ", ")}
		if i > 0 {
			row.ID = "match-" + strconv.Itoa(i+1)
		}
		row.Checked = choice == row.Value
		row.Details = personFacts(m.Person)
		p.Matches = append(p.Matches, row)
	}
	if len(p.Matches) == 0 {
		p.NewID = "match"
	}
	p.NewCheck = choice == "new"
	s.render(w, r, status, "case_person_form", p)
}

// personName is how a person is named on a page.
func personName(p *tropic.Person) string {
	if n := p.FullName(); n != "" {
		return n
	}
	if len(p.Aliases) > 0 {
		return "Known as " + p.Aliases[0]
	}
	return "Name not known"
}

// personFacts are the few facts that tell people apart: never the sensitive ones.
func personFacts(p *tropic.Person) []string {
	var out []string
	if len(p.Aliases) > 0 {
		out = append(out, "Also known as "+strings.Join(p.Aliases, ", "))
	}
	switch {
	case p.DateOfBirth != "":
		out = append(out, "Born "+caseDate(p.DateOfBirth))
	case p.ApproxAge > 0:
		out = append(out, fmt.Sprintf("About %d years old", p.ApproxAge))
	}
	if p.Gender != "" {
		out = append(out, genderLabel(p.Gender))
	}
	if p.Nationality != "" {
		out = append(out, p.Nationality)
	}
	if p.Phone != "" {
		out = append(out, "Phone "+p.Phone)
	}
	return out
}

func (p *personFormPage) fillOptions(withRole bool) {
	f := p.Form
	for _, g := range tropic.Genders {
		p.Genders = append(p.Genders, selectOption{Value: string(g.Key), Label: g.Label, Selected: f.Gender == string(g.Key)})
	}
	p.Genders = radioOptions("gender", p.Genders)
	if withRole {
		for _, r := range tropic.PersonRoles {
			p.Roles = append(p.Roles, selectOption{Value: string(r), Label: r.Label(), Selected: f.Role == string(r)})
		}
		p.Roles = radioOptions("role", p.Roles)
	}
}

// The person's page.

type personCaseRow struct {
	Prefix        string // the ids of this row's form fields start with it
	Reference     string
	Href          string
	RoleLabel     string
	RoleClass     string
	Coerced       bool
	Pending       string
	CanChange     bool // the user's agency owns the case
	RoleAction    string
	CoercedAction string
	Roles         []selectOption
	Reason        string
	RoleHint      string
	ReasonLabel   string
	ReferHref     string // the user's agency may refer this potential victim (NRM or Duty to Notify)
}

type personPage struct {
	Layout
	Flash    string
	Name     string
	Rows     []summaryRow
	Hidden   bool // sensitive fields are not shared with the user's agency
	EditHref string
	Cases    []personCaseRow
}

// personRoleForm is what was typed into one case's role form, kept on a re-render.
type personRoleForm struct {
	Link   int64
	Role   string
	Reason string
}

// handlePerson shows a person with the cases the user may see them on. Opening it is
// a view recorded in each of those cases' access logs.
func (s *Server) handlePerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flash := s.sessions.PopString(r.Context(), sessCaseFlash)
		s.renderPerson(w, r, http.StatusOK, personRoleForm{}, nil, flash)
	})
}

func personIDFrom(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, form personRoleForm, errs []FieldError, flash string) {
	ctx, actor := r.Context(), actorOf(r)
	id, ok := personIDFrom(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	pe, links, err := s.deps.Cases.FindPerson(ctx, actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	owned, err := s.ownedCases(ctx, actor, links)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pending := map[int64]*tropic.RoleChange{}
	if len(owned) > 0 {
		changes, err := s.deps.Cases.FindRoleChanges(ctx, actor, true)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, rc := range changes {
			pending[rc.CasePersonID] = rc
		}
	}
	p := &personPage{Layout: s.newLayout(r, personName(pe)), Flash: flash, Name: personName(pe), Hidden: pe.SensitiveHidden}
	p.Nav = "cases"
	p.Errors = errs
	p.Rows = personRows(pe)
	if len(owned) > 0 {
		p.EditHref = personPath(pe.ID) + "/edit"
	}
	for _, l := range links {
		row := personCaseRow{
			Prefix:    "link-" + strconv.FormatInt(l.ID, 10) + "-",
			Reference: l.CaseReference,
			Href:      casePath(l.CaseReference),
			RoleLabel: l.Role.Label(),
			RoleClass: caseRoleTag(l.Role),
			Coerced:   l.CoercedOffender,
			CanChange: owned[l.CaseReference],
		}
		if l.Role == tropic.RolePotentialVictim && canRefer(userFrom(ctx)) && (owned[l.CaseReference] || !pe.SensitiveHidden) {
			row.ReferHref = referralNewPath(l.CaseReference, l.ID)
		}
		if rc := pending[l.ID]; rc != nil {
			row.Pending = "Change to " + strings.ToLower(rc.To.Label()) + " awaits a supervisor’s approval (asked by " + rc.RequestedBy + ", " + displayDateTime(rc.RequestedAt) + ")"
		}
		if row.CanChange {
			base := personPath(pe.ID) + "/cases/" + strconv.FormatInt(l.ID, 10)
			row.RoleAction, row.CoercedAction = base+"/role", base+"/coerced"
			row.RoleHint, row.ReasonLabel = "The change is recorded with your name.", "Reason (optional)"
			if l.Role == tropic.RolePotentialVictim {
				row.RoleHint = "A potential victim can become a suspect only with a supervisor’s approval: give the reason, and a supervisor of your agency decides. " + row.RoleHint
				row.ReasonLabel = "Reason (needed for a change to suspect)"
			}
			chosen := ""
			if form.Link == l.ID {
				chosen, row.Reason = form.Role, form.Reason
			}
			row.Roles = []selectOption{{Value: "", Label: "Choose the new role", Selected: chosen == ""}}
			for _, ro := range tropic.PersonRoles {
				if ro != l.Role {
					label := ro.Label()
					if tropic.NeedsApproval(l.Role, ro) {
						label += " (needs a supervisor’s approval)"
					}
					row.Roles = append(row.Roles, selectOption{Value: string(ro), Label: label, Selected: chosen == string(ro)})
				}
			}
		}
		p.Cases = append(p.Cases, row)
	}
	s.render(w, r, status, "case_person", p)
}

// ownedCases says which of the cases a person is on the user's agency owns: it may
// change their role there, and edit the person.
func (s *Server) ownedCases(ctx context.Context, actor tropic.Actor, links []*tropic.CasePerson) (map[string]bool, error) {
	owned := map[string]bool{}
	for _, l := range links {
		cases, _, err := s.deps.Cases.FindCases(ctx, actor, tropic.CaseFilter{Scope: "ours", Query: l.CaseReference, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(cases) == 1 && cases[0].Reference == l.CaseReference {
			owned[l.CaseReference] = true
		}
	}
	return owned, nil
}

// personRows lays out a person; sensitive fields say so when hidden.
func personRows(pe *tropic.Person) []summaryRow {
	orNot := func(s string) []string {
		if ps := paragraphs(s); len(ps) > 0 {
			return ps
		}
		return []string{"Not recorded"}
	}
	age := ""
	switch {
	case pe.DateOfBirth != "":
		age = caseDate(pe.DateOfBirth)
	case pe.ApproxAge > 0:
		age = fmt.Sprintf("Not known; about %d years old", pe.ApproxAge)
	}
	gender := ""
	if pe.Gender != "" {
		gender = genderLabel(pe.Gender)
	}
	return []summaryRow{
		{"Given name", orNot(pe.GivenName)},
		{"Family name", orNot(pe.FamilyName)},
		{"Aliases", orNot(strings.Join(pe.Aliases, "\n"))},
		{"Date of birth", orNot(age)},
		{"Gender", orNot(gender)},
		{"Nationality", orNot(pe.Nationality)},
		{"Languages", orNot(pe.Languages)},
		{"Phone", orNot(pe.Phone)},
		{"Email", orNot(pe.Email)},
		{"Immigration status (sensitive)", sensitiveValue(pe, pe.ImmigrationStatus)},
		{"Health (sensitive)", sensitiveValue(pe, pe.Health)},
	}
}

// handlePersonRole changes the person's role on one case: at once, or, from potential
// victim to suspect, as a request for a supervisor with the reason.
func (s *Server) handlePersonRole() http.Handler {
	return s.personLinkAction(func(r *http.Request, actor tropic.Actor, link int64) (string, personRoleForm, error) {
		f := personRoleForm{Link: link, Role: r.PostFormValue("role"), Reason: r.PostFormValue("reason")}
		to := tropic.PersonRole(f.Role)
		if !to.Valid() {
			return "", f, invalid("role", "Choose the person’s new role")
		}
		rc, err := s.deps.Cases.ChangeRole(r.Context(), actor, link, to, f.Reason)
		if err != nil {
			return "", f, err
		}
		if rc.Status == tropic.RoleChangeRequested {
			return "The change from " + strings.ToLower(rc.From.Label()) + " to " + strings.ToLower(rc.To.Label()) + " on case " + rc.CaseReference +
				" needs a supervisor’s approval. Your request and reason have been sent to the supervisors of your agency; the role stays as it is until one approves it.", f, nil
		}
		return "Role on case " + rc.CaseReference + " changed to " + strings.ToLower(rc.To.Label()) + ".", f, nil
	})
}

// handlePersonCoerced sets or clears the flag that a person may have been compelled to offend.
func (s *Server) handlePersonCoerced() http.Handler {
	return s.personLinkAction(func(r *http.Request, actor tropic.Actor, link int64) (string, personRoleForm, error) {
		coerced := r.PostFormValue("coerced") == "1"
		if err := s.deps.Cases.SetCoercedOffender(r.Context(), actor, link, coerced); err != nil {
			return "", personRoleForm{}, err
		}
		if coerced {
			return "Marked as possibly compelled to offend: the s.45 defence may apply.", personRoleForm{}, nil
		}
		return "The s.45 flag has been removed.", personRoleForm{}, nil
	})
}

// personLinkAction runs an action on the person's link to one case, then goes back
// to the person; a problem re-renders the person's page with it.
func (s *Server) personLinkAction(do func(r *http.Request, actor tropic.Actor, link int64) (string, personRoleForm, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := personIDFrom(r)
		link, err := strconv.ParseInt(r.PathValue("link"), 10, 64)
		if !ok || err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		msg, f, err := do(r, actorOf(r), link)
		prefix := "link-" + strconv.FormatInt(link, 10) + "-"
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, msg)
			http.Redirect(w, r, personPath(id), http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderPerson(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, prefix, "role", "reason"), "")
		case tropic.ECONFLICT:
			s.renderPerson(w, r, http.StatusConflict, f, []FieldError{{Field: prefix + "role", Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

// handlePersonEditForm shows the person's details for editing, with their version.
func (s *Server) handlePersonEditForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pe, ok := s.loadEditablePerson(w, r)
		if !ok {
			return
		}
		s.renderPersonEdit(w, r, http.StatusOK, pe, personFormOf(pe), pe.Version, nil)
	})
}

// handlePersonEdit saves the person's details, refusing a stale version.
func (s *Server) handlePersonEdit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := personIDFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := personFormFrom(r)
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		p, err := f.person()
		if err == nil {
			p.ID, p.Version = id, version
			err = s.deps.Cases.UpdatePerson(r.Context(), actorOf(r), p)
		}
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "The person’s details have been saved.")
			http.Redirect(w, r, personPath(id), http.StatusSeeOther)
		case tropic.EINVALID:
			pe, ok := s.loadEditablePerson(w, r)
			if !ok {
				return
			}
			s.renderPersonEdit(w, r, http.StatusUnprocessableEntity, pe, f, version, fieldErrors(err, "", personFieldOrder...))
		case tropic.ECONFLICT:
			pe, ok := s.loadEditablePerson(w, r)
			if !ok {
				return
			}
			// The form carries the current version now: saving again replaces the other change.
			s.renderPersonEdit(w, r, http.StatusConflict, pe, f, pe.Version, []FieldError{{Message: tropic.ErrorMessage(err)}})
		default:
			s.fail(w, r, err)
		}
	})
}

// loadEditablePerson finds the person in the path if the user's agency may edit them:
// it has them on one of its own cases.
func (s *Server) loadEditablePerson(w http.ResponseWriter, r *http.Request) (*tropic.Person, bool) {
	id, ok := personIDFrom(r)
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	ctx, actor := r.Context(), actorOf(r)
	pe, links, err := s.deps.Cases.FindPerson(ctx, actor, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	owned, err := s.ownedCases(ctx, actor, links)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if err := tropic.MayEditPerson(len(owned) > 0 && !pe.SensitiveHidden); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return pe, true
}

func (s *Server) renderPersonEdit(w http.ResponseWriter, r *http.Request, status int, pe *tropic.Person, f personForm, version int, errs []FieldError) {
	p := &personFormPage{
		Layout:  s.newLayout(r, "Edit "+personName(pe)),
		Step:    "edit",
		Caption: personName(pe),
		Heading: "Edit the person’s details",
		Intro:   "The person’s details are shared by every case they are on.",
		Action:  personPath(pe.ID) + "/edit",
		Back:    personPath(pe.ID),
		Submit:  "Save changes",
		Form:    f,
		Version: version,
	}
	p.Nav = "cases"
	p.Errors = errs
	p.fillOptions(false)
	s.render(w, r, status, "case_person_form", p)
}
