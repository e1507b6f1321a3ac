package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Referring a potential victim: first the consent gate (age, consent), which decides
// the route; then the NRM referral, or the Duty to Notify report, which offers no field
// that could identify the person (MSA s.52(3)). The route is decided again from the
// gate's answers on every post, never taken from the browser.

// referralForm is what was typed, kept on a re-render and carried between the steps
// in hidden fields.
type referralForm struct {
	AgeGroup           string // "adult", "child" or "not_sure"
	Consent            string // "yes" or "no"
	ConsentAt          string
	SubmittedOn        string
	Exploitation       []string
	CountyLines        bool
	Location           string
	CompetentAuthority string
	HomeOfficeRef      string
	CrimeRef           string
	SupportProvider    string
	ChildrensServices  string
	ICTG               bool
	Notes              string
	Gender             string
	Nationality        string
	AgeAtExploitation  string // "adult", "child" or "" (not known); asked of adults only
}

var referralFieldOrder = []string{"age_group", "consent", "consent_at", "submitted_on", "gender", "nationality", "age_at_exploitation", "exploitation", "location",
	"competent_authority", "home_office_reference", "crime_reference", "support_provider", "childrens_services", "notes"}

func referralFormFrom(r *http.Request) referralForm {
	v := r.PostFormValue
	return referralForm{AgeGroup: v("age_group"), Consent: v("consent"), ConsentAt: v("consent_at"), SubmittedOn: v("submitted_on"),
		Exploitation: r.PostForm["exploitation"], CountyLines: v("county_lines") != "", Location: v("location"),
		CompetentAuthority: v("competent_authority"), HomeOfficeRef: v("home_office_reference"), CrimeRef: v("crime_reference"),
		SupportProvider: v("support_provider"), ChildrensServices: v("childrens_services"), ICTG: v("ictg") != "", Notes: v("notes"),
		Gender: v("gender"), Nationality: v("nationality"), AgeAtExploitation: v("age_at_exploitation")}
}

// gate reads the age and consent answers and runs the consent gate for agency.
// Problems are on the gate's own fields: a refusal because of the agency is shown on
// the answer that led to it.
func (f referralForm) gate(agency *tropic.Agency) (route tropic.Route, age tropic.AgeGroup, possiblyChild, consent bool, err error) {
	var p tropic.Problems
	switch f.AgeGroup {
	case "adult":
		age = tropic.AgeAdult
	case "child":
		age = tropic.AgeChild
	case "not_sure":
		// s.51: a person who may be under 18 is treated as a child until their age is known.
		age, possiblyChild = tropic.AgeChild, true
	default:
		p.Add("age_group", "Say whether the person is an adult or a child, or that you are not sure")
	}
	consent = f.Consent == "yes"
	if age == tropic.AgeAdult {
		switch {
		case f.Consent != "yes" && f.Consent != "no":
			p.Add("consent", "Say whether the person consents to a referral into the NRM")
		case consent && strings.TrimSpace(f.ConsentAt) == "":
			p.Add("consent_at", "Enter the date consent was given, like 2026-11-20")
		}
	}
	if err := p.Err(); err != nil {
		return "", age, possiblyChild, consent, err
	}
	if agency == nil {
		agency = &tropic.Agency{}
	}
	route, err = tropic.ConsentGate(age, possiblyChild, consent, agency)
	if msg, ok := tropic.ErrorFields(err)["agency"]; ok {
		field := "consent"
		if age == tropic.AgeChild {
			field = "age_group"
		}
		err = invalid(field, msg)
	}
	return route, age, possiblyChild, consent, err
}

// referral builds the record for route from what was typed. A Duty to Notify report
// takes only what cannot identify the person.
func (f referralForm) referral(route tropic.Route, age tropic.AgeGroup, possiblyChild, consent bool) (*tropic.Referral, error) {
	// Gender and nationality on both routes, as the API takes them: on a Duty to
	// Notify report the nationality must be one word from the list (the domain's check).
	ref := &tropic.Referral{
		Route:        route,
		AgeGroup:     age,
		SubmittedOn:  caseDateInput(f.SubmittedOn),
		Exploitation: exploitationFrom(f.Exploitation, f.CountyLines),
		Location:     tropic.ExploitationLocation(f.Location),
		Gender:       tropic.Gender(f.Gender),
		Nationality:  strings.TrimSpace(f.Nationality),
	}
	var p tropic.Problems
	ok := f.Gender == ""
	for _, g := range tropic.Genders {
		ok = ok || string(g.Key) == f.Gender
	}
	if !ok {
		p.Add("gender", "Choose the person’s gender, or ‘Not recorded’")
	}
	// A child, or a person who may be one, was exploited as a child: the form does not
	// ask, and what a browser sends anyway is not read.
	if age != tropic.AgeChild && !possiblyChild {
		switch f.AgeAtExploitation {
		case "", "adult", "child":
			ref.AgeAtExploitation = tropic.AgeGroup(f.AgeAtExploitation)
		default:
			p.Add("age_at_exploitation", "Choose whether the person was an adult or a child when they were exploited, or ‘Not known’")
		}
	}
	if len(f.Exploitation) == 0 {
		p.Add("exploitation", "Choose the kinds of exploitation, or ‘Not specified or unknown’")
	}
	if f.Location == "" {
		p.Add("location", "Choose where the exploitation took place")
	}
	switch route {
	case tropic.RouteNRM:
		ref.PossiblyChild = possiblyChild
		ref.Consent = consent
		if consent {
			ref.ConsentAt = caseDateInput(f.ConsentAt)
		}
		ref.CompetentAuthority = tropic.CompetentAuthority(f.CompetentAuthority)
		ref.HomeOfficeReference = strings.TrimSpace(f.HomeOfficeRef)
		ref.CrimeReference = strings.TrimSpace(f.CrimeRef)
		ref.Notes = strings.TrimSpace(f.Notes)
		if age == tropic.AgeChild {
			ref.ChildrensServices = strings.TrimSpace(f.ChildrensServices)
			ref.ICTG = f.ICTG
		} else {
			ref.SupportProvider = strings.TrimSpace(f.SupportProvider)
		}
		if f.CompetentAuthority == "" {
			p.Add("competent_authority", "Choose the competent authority that will decide")
		}
	}
	return ref, p.Err()
}

type referralFormPage struct {
	Layout
	Step           string // "gate", "nrm" or "dtn"
	Caption        string
	Heading        string
	Action         string
	Back           string
	Form           referralForm
	Child          bool   // the NRM form for a child
	NotSure        bool   // the person may be under 18
	RouteReason    string // why the gate led here
	AgeGroups      []selectOption
	Consents       []selectOption
	Types          []selectOption
	Locations      []selectOption
	Authorities    []selectOption
	Genders        []selectOption
	ExploitedAs    []selectOption // for an adult: adult or child when exploited
	AgeText        string
	ConsentText    string
	SubmittedLabel string
}

// loadReferralPerson finds the case and the potential victim in the path whom the
// user may refer; anything else answers as a missing page.
func (s *Server) loadReferralPerson(w http.ResponseWriter, r *http.Request) (*tropic.Case, *tropic.CasePerson) {
	link, err := strconv.ParseInt(r.PathValue("link"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return nil, nil
	}
	c := s.loadCase(w, r)
	if c == nil {
		return nil, nil
	}
	if err := tropic.MayReferFromCase(userFrom(r.Context()).Agency, c); err != nil {
		s.fail(w, r, err)
		return nil, nil
	}
	for _, cp := range c.People {
		if cp.ID == link && cp.Role == tropic.RolePotentialVictim {
			return c, cp
		}
	}
	s.notFound(w, r)
	return nil, nil
}

// handleReferralNewForm shows the consent gate for the person in the path.
func (s *Server) handleReferralNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, cp := s.loadReferralPerson(w, r)
		if c == nil {
			return
		}
		s.renderReferralForm(w, r, http.StatusOK, c, cp, "gate", referralForm{}, nil)
	})
}

// handleReferralNew takes the gate's answers (step "gate") and shows the form of the
// route they lead to, or takes that form and stores the referral.
func (s *Server) handleReferralNew() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, cp := s.loadReferralPerson(w, r)
		if c == nil {
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		user := userFrom(r.Context())
		f := referralFormFrom(r)
		route, age, possiblyChild, consent, err := f.gate(user.Agency)
		if err != nil {
			s.referralFormProblem(w, r, c, cp, "gate", f, err)
			return
		}
		step := string(route)
		if r.PostFormValue("step") != step {
			// Just through the gate (or the answers changed): show the route's form, for
			// an NRM referral with the gender and nationality the person's record holds.
			f.SubmittedOn = s.now().In(partnershipZone).Format(time.DateOnly)
			if route == tropic.RouteNRM && cp.Person != nil {
				f.Gender = cmp.Or(f.Gender, string(cp.Person.Gender))
				f.Nationality = cmp.Or(f.Nationality, cp.Person.Nationality)
			}
			s.renderReferralForm(w, r, http.StatusOK, c, cp, step, f, nil)
			return
		}
		ref, err := f.referral(route, age, possiblyChild, consent)
		if vErr := ref.Validate(s.now()); vErr != nil {
			for k, v := range tropic.ErrorFields(vErr) {
				err = withProblem(err, k, v)
			}
			if err == nil {
				err = vErr
			}
		}
		if err != nil {
			s.referralFormProblem(w, r, c, cp, step, f, err)
			return
		}
		// A Duty to Notify report names the case it came from, for access, but never the person.
		link := cp.ID
		if route == tropic.RouteDtN {
			link = 0
		}
		if err := s.deps.Referrals.CreateReferral(r.Context(), actorOf(r), c.Reference, link, ref); err != nil {
			s.referralFormProblem(w, r, c, cp, step, f, err)
			return
		}
		msg := "The NRM referral has been recorded. Use the summary to make the referral on the Home Office’s online form."
		if route == tropic.RouteDtN {
			msg = "The Duty to Notify report has been recorded. It holds nothing that identifies the person."
		}
		s.caseFlash(r, msg)
		http.Redirect(w, r, referralPath(ref.ID), http.StatusSeeOther)
	})
}

func (s *Server) referralFormProblem(w http.ResponseWriter, r *http.Request, c *tropic.Case, cp *tropic.CasePerson, step string, f referralForm, err error) {
	if tropic.ErrorCode(err) != tropic.EINVALID {
		s.fail(w, r, err)
		return
	}
	s.renderReferralForm(w, r, http.StatusUnprocessableEntity, c, cp, step, f, fieldErrors(err, "", referralFieldOrder...))
}

// renderReferralForm shows one step of the referral of person cp on case c.
func (s *Server) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, c *tropic.Case, cp *tropic.CasePerson, step string, f referralForm, errs []FieldError) {
	name := personName(cp.Person)
	p := &referralFormPage{
		Layout:  s.newLayout(r, "Refer to the NRM: "+c.Reference),
		Step:    step,
		Caption: "Case " + c.Reference + ": " + name,
		Action:  referralNewPath(c.Reference, cp.ID),
		Back:    casePath(c.Reference) + "#people",
		Form:    f,
		NotSure: f.AgeGroup == "not_sure",
		Child:   f.AgeGroup == "child" || f.AgeGroup == "not_sure",
	}
	p.Nav = "cases"
	p.Errors = errs
	agency := "your agency"
	if u := p.User; u != nil && u.Agency != nil {
		agency = u.Agency.Name
	}
	switch step {
	case "gate":
		p.Heading = "Can this person be referred into the NRM?"
		p.AgeGroups = radioOptions("age_group", []selectOption{
			{Value: "adult", Label: "Adult (18 or over)", Selected: f.AgeGroup == "adult"},
			{Value: "child", Label: "Child (under 18)", Selected: f.AgeGroup == "child"},
			{Value: "not_sure", Label: "Not sure", Selected: f.AgeGroup == "not_sure"},
		})
		p.Consents = radioOptions("consent", []selectOption{
			{Value: "yes", Label: "Yes, they consent to a referral into the NRM", Selected: f.Consent == "yes"},
			{Value: "no", Label: "No, they do not consent", Selected: f.Consent == "no"},
		})
	case "nrm":
		p.Heading = "Refer " + name + " into the NRM"
		p.Title = "NRM referral: " + c.Reference
		switch {
		case p.NotSure:
			p.RouteReason = "You are not sure of the person’s age. Under section 51 of the Modern Slavery Act 2015 a person who may be under 18 is treated as a child until their age is known: they go into the NRM without needing to consent, and children’s services must be told."
			p.AgeText = "May be under 18: treated as a child (s.51)"
		case p.Child:
			p.RouteReason = "A child is referred into the NRM without needing to consent. Tell the local authority’s children’s services."
			p.AgeText = "Child (under 18)"
		default:
			p.RouteReason = "An adult who gives informed consent is referred into the NRM, and can get support through the Modern Slavery Victim Care Contract."
			p.AgeText = "Adult (18 or over)"
		}
		p.ConsentText = "Not needed for a child"
		if f.Consent == "yes" {
			p.ConsentText = "Given on " + caseDate(caseDateInput(f.ConsentAt))
		}
		p.SubmittedLabel = "Date the referral was submitted"
		p.fillReferralOptions(false)
	case "dtn":
		p.Heading = "Report under the Duty to Notify"
		p.Title = "Duty to Notify report: " + c.Reference
		p.Caption = "Case " + c.Reference // the report names nobody: neither does its form
		p.RouteReason = "An adult who does not consent cannot be referred into the NRM. " + agency + " is bound by the Duty to Notify (Modern Slavery Act 2015 s.52), so you must still tell the Home Office, anonymously."
		p.AgeText = "Adult (18 or over)"
		p.ConsentText = "Not given"
		p.SubmittedLabel = "Date the report was made"
		p.fillReferralOptions(true)
	}
	s.render(w, r, status, "referral_form", p)
}

func (p *referralFormPage) fillReferralOptions(dtn bool) {
	f := p.Form
	p.Types = exploitationOptions(f.Exploitation)
	p.Locations = []selectOption{{Value: "", Label: "Choose where", Selected: f.Location == ""}}
	for _, l := range tropic.ExploitationLocations {
		p.Locations = append(p.Locations, selectOption{Value: string(l.Key), Label: l.Label, Selected: f.Location == string(l.Key)})
	}
	for _, g := range tropic.Genders {
		p.Genders = append(p.Genders, selectOption{Value: string(g.Key), Label: g.Label, Selected: f.Gender == string(g.Key)})
	}
	p.Genders = radioOptions("gender", p.Genders)
	if !p.Child {
		p.ExploitedAs = radioOptions("age_at_exploitation", []selectOption{
			{Value: "adult", Label: "Adult (18 or over)", Selected: f.AgeAtExploitation == "adult"},
			{Value: "child", Label: "Child (under 18): exploited before they turned 18", Selected: f.AgeAtExploitation == "child"},
			{Value: "", Label: "Not known", Selected: f.AgeAtExploitation == ""},
		})
	}
	if dtn {
		return
	}
	for _, a := range tropic.CompetentAuthorities {
		p.Authorities = append(p.Authorities, selectOption{Value: string(a.Key), Label: a.Label, Selected: f.CompetentAuthority == string(a.Key)})
	}
	p.Authorities = radioOptions("competent_authority", p.Authorities)
}
