package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The forms that change a case, one page each: create, edit, close, reopen, add a
// place, business, vehicle, phone, order or task, share, and change a note. Each
// posts to its own address; success goes back to the case with a message, a
// problem re-renders the form with the problem and what was typed (422), and a
// save over someone else's newer change says who and when and keeps the typing (409).

// caseForm is what was typed into any of the case forms, kept on a re-render.
type caseForm struct {
	Title          string
	District       string
	Exploitation   []string
	CountyLines    bool
	Status         string
	CrimeReference string
	Offence        string
	Outcome        string
	Reason         string
	Kind           string
	Address        string
	Postcode       string
	Notes          string
	Name           string
	CompanyNumber  string
	Registration   string
	Description    string
	Number         string
	Person         string
	MadeOn         string
	ExpiresOn      string
	Assignee       string
	Due            string
	Agency         string
	Scope          string
	LawfulBasis    string
	Until          string
	Agreement      string // a share: the agreement it cites, or agreementNone
	AgreementWhy   string // a share: why no agreement applies
	Text           string
	Report         string // the report a new case is created from
	Officer        string // the officer in charge's user id
	ReviewOn       string
	Confirm        bool   // the closure warnings are confirmed
	Decision       string // on a request to close: approve or refuse
	Role           string // a person's link: their role
	Coerced        bool   // a person's link: may have been compelled to offend
	Detail         string // a removal for another reason: why
}

// caseOptionGroup is an <optgroup> of a select.
type caseOptionGroup struct {
	Label   string
	Options []selectOption
}

// caseConflict is what a refused stale save shows: who changed the record, when,
// and the record as it is now.
type caseConflict struct {
	Heading string // above Current; "" for the case's
	Message string
	Current []summaryRow
}

type caseFormPage struct {
	Layout
	Kind      string // which form: new, edit, close, reopen, place, business, vehicle, phone, order, task, share, note
	Caption   string // the case, above the heading
	Heading   string
	Intro     string
	Action    string
	Back      string
	Submit    string
	Version   int
	Versioned bool // the form sends the version it was opened at
	Form      caseForm
	Conflict  *caseConflict
	Supervise bool // the user is a supervisor of the owning agency: a share is made at once

	Districts   []selectOption
	Types       []selectOption
	Statuses    []selectOption
	Offences    []selectOption
	Outcomes    []selectOption
	Kinds       []selectOption
	People      []selectOption
	Agencies    []selectOption
	Scopes      []selectOption
	LawfulBases []selectOption
	Agreements  []selectOption
	Assignees   []caseOptionGroup
	Officers    []selectOption

	// Closing: what closing would leave open, the request that waits, and whether the
	// user closes at once (a supervisor) or asks a supervisor.
	Warnings  []string
	Pending   *closureView
	CloseNow  bool
	NoForm    bool // a request waits and the user may not decide it
	Decisions []selectOption

	// Correcting an item (case_correction_pages.go): what it is, the roles of a
	// person's link, and the reasons for a removal.
	Item    string
	Roles   []selectOption
	Reasons []selectOption
}

// caseFormSpec describes one form on a case.
type caseFormSpec struct {
	kind      string // which form, for the template
	path      string // its address under the case's
	heading   string
	submit    string
	ownerOnly bool // only the owning agency may use it
	contrib   bool // the owner and agencies with a whole-case share may use it
	versioned bool // the form carries the case's version: a stale save is refused
	// initial is what the form shows when opened.
	initial func(c *tropic.Case) caseForm
	// decode reads the posted form; order is its fields in page order, for the error summary.
	decode func(r *http.Request) caseForm
	order  []string
	// save makes the change and returns the message to show on the case.
	save func(ctx context.Context, s *Server, actor tropic.Actor, ref string, version int, f caseForm) (string, error)
}

// handleCaseForm shows a form on the case in the path.
func (s *Server) handleCaseForm(spec caseFormSpec) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.loadCase(w, r)
		if c == nil {
			return
		}
		var refused error
		if spec.ownerOnly {
			refused = tropic.MayChangeCase(actorOf(r), c)
		} else if spec.contrib {
			refused = tropic.MayContributeToCase(actorOf(r), c)
		}
		if refused != nil {
			s.fail(w, r, refused)
			return
		}
		f := caseForm{}
		if spec.initial != nil {
			f = spec.initial(c)
		}
		s.renderCaseForm(w, r, http.StatusOK, spec, c, c.Version, f, nil, nil)
	})
}

// handleCaseFormPost saves a form on the case in the path.
func (s *Server) handleCaseFormPost(spec caseFormSpec) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := spec.decode(r)
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		msg, err := spec.save(r.Context(), s, actorOf(r), ref, version, f)
		if err == nil {
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
			return
		}
		s.caseFormProblem(w, r, spec, version, f, err)
	})
}

// caseFormProblem re-renders a form after a refused save: with the problems (422),
// or, when someone else saved first, with who and when and the case as it is now
// (409). Either way, what the user typed is kept.
func (s *Server) caseFormProblem(w http.ResponseWriter, r *http.Request, spec caseFormSpec, version int, f caseForm, err error) {
	code := tropic.ErrorCode(err)
	if code != tropic.EINVALID && code != tropic.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	c := s.loadCase(w, r)
	if c == nil {
		return
	}
	if code == tropic.EINVALID {
		s.renderCaseForm(w, r, http.StatusUnprocessableEntity, spec, c, version, f, fieldErrors(err, "", spec.order...), nil)
		return
	}
	if !spec.versioned || version == c.Version {
		// Not a save over someone else's: the store's reason, such as "already closed".
		s.renderCaseForm(w, r, http.StatusConflict, spec, c, version, f, []FieldError{{Message: tropic.ErrorMessage(err)}}, nil)
		return
	}
	districts, derr := s.deps.Reports.FindDistricts(r.Context())
	if derr != nil {
		s.serverError(w, r, derr)
		return
	}
	conflict := &caseConflict{Message: staleMessage(c, err), Current: caseSummary(c, districts)}
	// The form now carries the current version: saving again replaces the other change
	// with what the user typed, knowingly.
	s.renderCaseForm(w, r, http.StatusConflict, spec, c, c.Version, f, []FieldError{{Field: "", Message: conflict.Message}}, conflict)
}

// staleMessage says who changed the case since the user opened it, and when.
func staleMessage(c *tropic.Case, err error) string {
	if c.UpdatedBy == "" {
		return tropic.ErrorMessage(err) + " Your changes have not been saved; they are below."
	}
	return fmt.Sprintf("%s changed this case on %s, after you opened it. Your changes have not been saved; they are below. Check the case as it is now, then save again to replace it with your changes.",
		c.UpdatedBy, displayDateTime(c.UpdatedAt))
}

// renderCaseForm renders one form on case c.
func (s *Server) renderCaseForm(w http.ResponseWriter, r *http.Request, status int, spec caseFormSpec, c *tropic.Case, version int, f caseForm, errs []FieldError, conflict *caseConflict) {
	ctx := r.Context()
	p := &caseFormPage{
		Layout:    s.newLayout(r, spec.heading+": "+c.Reference),
		Kind:      spec.kind,
		Caption:   "Case " + c.Reference + ": " + c.Title,
		Heading:   spec.heading,
		Action:    casePath(c.Reference) + "/" + spec.path,
		Back:      casePath(c.Reference),
		Submit:    spec.submit,
		Version:   version,
		Versioned: spec.versioned,
		Form:      f,
		Conflict:  conflict,
	}
	p.Nav = "cases"
	p.Errors = errs
	if err := s.fillCaseFormOptions(ctx, p, c); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "case_form", p)
}

// fillCaseFormOptions builds the choices a form needs, marking what was chosen.
func (s *Server) fillCaseFormOptions(ctx context.Context, p *caseFormPage, c *tropic.Case) error {
	f := p.Form
	switch p.Kind {
	case "new", "edit":
		districts, err := s.deps.Reports.FindDistricts(ctx)
		if err != nil {
			return err
		}
		p.Districts = districtOptions(districts, f.District, "Not known")
		p.Types = exploitationOptions(f.Exploitation)
		p.Offences = radioOptions("offence", []selectOption{{Value: "", Label: "No crime recorded", Selected: f.Offence == ""}})
		for _, o := range tropic.Offences {
			p.Offences = append(p.Offences, selectOption{Value: string(o), Label: o.Label(), Selected: f.Offence == string(o)})
		}
		p.Offences = radioOptions("offence", p.Offences)
		for _, st := range []tropic.CaseStatus{tropic.CaseOpen, tropic.CaseActive} {
			p.Statuses = append(p.Statuses, selectOption{Value: string(st), Label: st.Label(), Selected: f.Status == string(st)})
		}
		p.Statuses = radioOptions("status", p.Statuses)
		if p.Kind == "new" {
			user := userFrom(ctx)
			users, err := s.deps.Users.FindUsers(ctx, tropic.UserFilter{AgencyID: user.AgencyID})
			if err != nil {
				return err
			}
			p.Officers = officerOptions(users, f.Officer, user.ID)
		}
	case "close":
		for _, o := range tropic.CaseOutcomes {
			p.Outcomes = append(p.Outcomes, selectOption{Value: string(o.Key), Label: o.Label, Selected: f.Outcome == string(o.Key)})
		}
		p.Outcomes = radioOptions("outcome", p.Outcomes)
		fillClosureOptions(p, c, tropic.ActorFor(userFrom(ctx)))
	case "officer":
		users, err := s.deps.Users.FindUsers(ctx, tropic.UserFilter{AgencyID: c.OwnerAgencyID})
		if err != nil {
			return err
		}
		p.Officers = officerOptions(users, f.Officer, userFrom(ctx).ID)
	case "place":
		for _, k := range tropic.PlaceKinds {
			p.Kinds = append(p.Kinds, selectOption{Value: string(k.Key), Label: k.Label, Selected: f.Kind == string(k.Key)})
		}
		p.Kinds = radioOptions("kind", p.Kinds)
	case "business":
		p.Kinds = []selectOption{{Value: "", Label: "Choose the kind of business", Selected: f.Kind == ""}}
		for _, k := range tropic.BusinessKinds {
			p.Kinds = append(p.Kinds, selectOption{Value: k.Key, Label: k.Label, Selected: f.Kind == k.Key})
		}
	case "order":
		p.People = []selectOption{{Value: "", Label: "Choose a person", Selected: f.Person == ""}}
		for _, cp := range c.People {
			id := strconv.FormatInt(cp.Person.ID, 10)
			p.People = append(p.People, selectOption{Value: id, Label: cp.Person.FullName() + " (" + strings.ToLower(cp.Role.Label()) + ")", Selected: f.Person == id})
		}
		for _, k := range []tropic.OrderKind{tropic.OrderSTPO, tropic.OrderSTRO} {
			p.Kinds = append(p.Kinds, selectOption{Value: string(k), Label: orderKindLabel(k), Selected: f.Kind == string(k)})
		}
		p.Kinds = radioOptions("kind", p.Kinds)
	case "task":
		agencies := caseOptionGroup{Label: "Agencies working on the case"}
		seen := map[int64]bool{}
		addAgency := func(id int64, name string) {
			if seen[id] || id == 0 {
				return
			}
			seen[id] = true
			v := "agency:" + strconv.FormatInt(id, 10)
			agencies.Options = append(agencies.Options, selectOption{Value: v, Label: name, Selected: f.Assignee == v})
		}
		addAgency(c.OwnerAgencyID, c.OwnerAgency)
		now := s.now()
		for _, sh := range c.Shares {
			if sh.Live(now) {
				addAgency(sh.AgencyID, sh.AgencyName)
			}
		}
		user := userFrom(ctx)
		users, err := s.deps.Users.FindUsers(ctx, tropic.UserFilter{AgencyID: user.AgencyID})
		if err != nil {
			return err
		}
		people := caseOptionGroup{Label: "People in your agency"}
		for _, u := range users {
			if !canWorkCases(u) {
				continue
			}
			v := "user:" + strconv.FormatInt(u.ID, 10)
			label := u.Name
			if u.ID == user.ID {
				label += " (you)"
			}
			people.Options = append(people.Options, selectOption{Value: v, Label: label, Selected: f.Assignee == v})
		}
		p.Assignees = []caseOptionGroup{agencies, people}
	case "share":
		agencies, err := s.deps.Agencies.FindAgencies(ctx)
		if err != nil {
			return err
		}
		p.Agencies = []selectOption{{Value: "", Label: "Choose an agency", Selected: f.Agency == ""}}
		for _, a := range agencies {
			if a.ID == c.OwnerAgencyID {
				continue
			}
			id := strconv.FormatInt(a.ID, 10)
			p.Agencies = append(p.Agencies, selectOption{Value: id, Label: a.Name, Selected: f.Agency == id})
		}
		p.Scopes, p.LawfulBases = shareTermOptions(f.Scope, f.LawfulBasis)
		actor := tropic.ActorFor(userFrom(ctx))
		p.Supervise = tropic.IsOwnerSupervisor(actor, c.OwnerAgencyID)
		if p.Agreements, err = s.agreementChoices(ctx, actor, f.Agreement, c.OwnerAgencyID); err != nil {
			return err
		}
	}
	return nil
}

// The forms.

func caseFieldsForm(r *http.Request) caseForm {
	return caseForm{
		Title:          r.PostFormValue("title"),
		District:       r.PostFormValue("district"),
		Exploitation:   r.PostForm["exploitation"],
		CountyLines:    r.PostFormValue("county_lines") == "1",
		Status:         r.PostFormValue("status"),
		CrimeReference: r.PostFormValue("crime_reference"),
		Offence:        r.PostFormValue("offence"),
		Report:         r.PostFormValue("report"),
	}
}

var caseFieldsOrder = []string{"title", "district", "exploitation", "status", "crime_reference", "offence"}

var caseEditForm = caseFormSpec{
	kind: "edit", path: "edit", versioned: true, heading: "Edit the case", submit: "Save changes", ownerOnly: true,
	initial: func(c *tropic.Case) caseForm {
		f := caseForm{Title: c.Title, District: c.District, CountyLines: c.Exploitation.CountyLines, Status: string(c.Status),
			CrimeReference: c.CrimeReference, Offence: string(c.Offence)}
		for _, t := range c.Exploitation.Types {
			f.Exploitation = append(f.Exploitation, string(t))
		}
		return f
	},
	decode: caseFieldsForm,
	order:  caseFieldsOrder,
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, version int, f caseForm) (string, error) {
		upd := tropic.CaseUpdate{Version: version, Title: f.Title, District: f.District, Exploitation: exploitationFrom(f.Exploitation, f.CountyLines),
			Status: tropic.CaseStatus(f.Status), CrimeReference: f.CrimeReference, Offence: tropic.Offence(f.Offence)}
		if upd.Status == "" {
			upd.Status = tropic.CaseOpen
		}
		return "Your changes to the case have been saved.", s.deps.Cases.UpdateCase(ctx, actor, ref, upd)
	},
}

var caseCloseForm = caseFormSpec{
	kind: "close", path: "close", versioned: true, heading: "Close the case", submit: "Close the case", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Outcome: r.PostFormValue("outcome"), Reason: r.PostFormValue("reason"), Confirm: r.PostFormValue("confirm") == "1",
			Decision: r.PostFormValue("decision"), Notes: r.PostFormValue("note")}
	},
	order: []string{"decision", "outcome", "reason", "note", "confirm"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, version int, f caseForm) (string, error) {
		o := tropic.CaseOutcome(f.Outcome)
		req, err := s.deps.Cases.CloseCase(ctx, actor, ref, tropic.CaseClosure{Outcome: o, Version: version, Reason: f.Reason, Confirmed: f.Confirm})
		if err != nil {
			return "", err
		}
		if req != nil {
			return "Your request to close the case has been sent to the supervisors of your agency. The case stays open until one of them approves it.", nil
		}
		return "The case is closed: " + strings.ToLower(o.Label()) + ".", nil
	},
}

var caseOfficerForm = caseFormSpec{
	kind: "officer", path: "officer", versioned: true, heading: "Officer in charge and review date", submit: "Save", ownerOnly: true,
	initial: func(c *tropic.Case) caseForm {
		f := caseForm{ReviewOn: c.ReviewOn}
		if c.OfficerUserID != 0 {
			f.Officer = strconv.FormatInt(c.OfficerUserID, 10)
		}
		return f
	},
	decode: func(r *http.Request) caseForm {
		return caseForm{Officer: r.PostFormValue("officer"), ReviewOn: r.PostFormValue("review_on")}
	},
	order: []string{"officer", "review_on"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, version int, f caseForm) (string, error) {
		a := tropic.CaseAssignment{Version: version, ReviewOn: caseDateInput(f.ReviewOn)}
		a.OfficerUserID, _ = strconv.ParseInt(f.Officer, 10, 64)
		return "The officer in charge and the review date have been saved.", s.deps.Cases.AssignCase(ctx, actor, ref, a)
	},
}

var caseReopenForm = caseFormSpec{
	kind: "reopen", path: "reopen", versioned: true, heading: "Reopen the case", submit: "Reopen the case", ownerOnly: true,
	decode: func(r *http.Request) caseForm { return caseForm{Reason: r.PostFormValue("reason")} },
	order:  []string{"reason"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, version int, f caseForm) (string, error) {
		if strings.TrimSpace(f.Reason) == "" {
			return "", invalid("reason", "Enter why the case is being reopened")
		}
		return "The case is open again.", s.deps.Cases.ReopenCase(ctx, actor, ref, f.Reason, version)
	},
}

var casePlaceForm = caseFormSpec{
	kind: "place", path: "places/new", heading: "Add a place", submit: "Add the place", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Kind: r.PostFormValue("kind"), Address: r.PostFormValue("address"), Postcode: r.PostFormValue("postcode"), Notes: r.PostFormValue("notes")}
	},
	order: []string{"kind", "address", "postcode", "notes"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		pl := &tropic.Place{Kind: tropic.PlaceKind(f.Kind), Address: f.Address, Postcode: f.Postcode, Notes: strings.TrimSpace(f.Notes)}
		return "The place has been added.", s.deps.Cases.AddPlace(ctx, actor, ref, pl)
	},
}

var caseBusinessForm = caseFormSpec{
	kind: "business", path: "businesses/new", heading: "Add a business", submit: "Add the business", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), CompanyNumber: r.PostFormValue("company_number"), Address: r.PostFormValue("address")}
	},
	order: []string{"name", "kind", "company_number", "address"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		b := &tropic.Business{Name: f.Name, Kind: f.Kind, CompanyNumber: f.CompanyNumber, Address: strings.TrimSpace(f.Address)}
		return strings.TrimSpace(b.Name) + " has been added.", s.deps.Cases.AddBusiness(ctx, actor, ref, b)
	},
}

var caseVehicleForm = caseFormSpec{
	kind: "vehicle", path: "vehicles/new", heading: "Add a vehicle", submit: "Add the vehicle", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Registration: r.PostFormValue("registration"), Description: r.PostFormValue("description")}
	},
	order: []string{"registration", "description"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		v := &tropic.CaseVehicle{Registration: f.Registration, Description: f.Description}
		return "The vehicle " + strings.TrimSpace(v.Registration) + " has been added.", s.deps.Cases.AddVehicle(ctx, actor, ref, v)
	},
}

var casePhoneForm = caseFormSpec{
	kind: "phone", path: "phones/new", heading: "Add a phone number", submit: "Add the phone number", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Number: r.PostFormValue("number"), Notes: r.PostFormValue("notes")}
	},
	order: []string{"number", "notes"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		ph := &tropic.CasePhone{Number: f.Number, Notes: f.Notes}
		return "The phone number " + strings.TrimSpace(ph.Number) + " has been added.", s.deps.Cases.AddPhone(ctx, actor, ref, ph)
	},
}

var caseOrderForm = caseFormSpec{
	kind: "order", path: "orders/new", heading: "Add a prevention or risk order", submit: "Add the order", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Person: r.PostFormValue("person"), Kind: r.PostFormValue("kind"), MadeOn: r.PostFormValue("made_on"),
			ExpiresOn: r.PostFormValue("expires_on"), Notes: r.PostFormValue("notes")}
	},
	order: []string{"person", "kind", "made_on", "expires_on", "notes"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		o := &tropic.Order{Kind: tropic.OrderKind(f.Kind), MadeOn: caseDateInput(f.MadeOn), ExpiresOn: caseDateInput(f.ExpiresOn), Notes: f.Notes}
		o.PersonID, _ = strconv.ParseInt(f.Person, 10, 64)
		return orderKindLabel(o.Kind) + " added.", s.deps.Cases.AddOrder(ctx, actor, ref, o)
	},
}

var caseTaskForm = caseFormSpec{
	kind: "task", path: "tasks/new", heading: "Add a task", submit: "Add the task", contrib: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Title: r.PostFormValue("title"), Assignee: r.PostFormValue("assignee"), Due: r.PostFormValue("due")}
	},
	order: []string{"title", "assignee", "due"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		return "The task has been added.", s.deps.Cases.AddTask(ctx, actor, ref, taskFromForm(f))
	},
}

var caseShareForm = caseFormSpec{
	kind: "share", path: "share", heading: "Share this case", submit: "Share the case", ownerOnly: true,
	decode: func(r *http.Request) caseForm {
		return caseForm{Agency: r.PostFormValue("agency"), Scope: r.PostFormValue("scope"), LawfulBasis: r.PostFormValue("lawful_basis"),
			Reason: r.PostFormValue("reason"), Until: r.PostFormValue("until"), Agreement: r.PostFormValue("agreement"), AgreementWhy: r.PostFormValue("agreement_reason")}
	},
	order: []string{"agency", "scope", "agreement", "lawful_basis", "agreement_reason", "reason", "until"},
	save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, _ int, f caseForm) (string, error) {
		sh := &tropic.Share{Scope: tropic.ShareScope(f.Scope), LawfulBasis: f.LawfulBasis, Reason: f.Reason, Until: caseDateInput(f.Until),
			AgreementID: agreementID(f.Agreement), NoAgreementReason: f.AgreementWhy}
		sh.AgencyID, _ = strconv.ParseInt(f.Agency, 10, 64)
		if err := s.deps.Cases.RequestShare(ctx, actor, ref, sh); err != nil {
			return "", err
		}
		name := sh.AgencyName
		if name == "" {
			if a, err := s.deps.Agencies.FindAgencyByID(ctx, sh.AgencyID); err == nil {
				name = a.Name
			}
		}
		if sh.Status == tropic.ShareActive {
			return "The case is now shared with " + name + ". They can see it under “Shared with us”.", nil
		}
		return "Your request to share the case with " + name + " has been sent to a supervisor of your agency. The case is not shared until a supervisor approves it.", nil
	},
}

// shareTermOptions are the choices of what a share gives and on what basis, the
// chosen ones selected: the same whichever side asks.
func shareTermOptions(scope, basis string) (scopes, bases []selectOption) {
	scopes = radioOptions("scope", []selectOption{
		{Value: string(tropic.ShareWhole), Label: shareScopeLabel(tropic.ShareWhole) + ", sensitive fields included", Selected: scope == string(tropic.ShareWhole)},
		{Value: string(tropic.ShareWithoutSensitive), Label: shareScopeLabel(tropic.ShareWithoutSensitive) + " (such as immigration status, health and sensitive notes)", Selected: scope == string(tropic.ShareWithoutSensitive)},
	})
	for _, b := range tropic.LawfulBases {
		bases = append(bases, selectOption{Value: b.Key, Label: b.Label, Selected: basis == b.Key})
	}
	return scopes, radioOptions("lawful_basis", bases)
}
