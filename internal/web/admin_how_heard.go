package web

import (
	"net/http"

	"tropic/internal/tropic"
)

// The answers to "how did you hear about this service", for partnership
// administrators: add one, change its wording, retire it (no longer offered; reports
// that gave it keep it) or bring it back. A code never changes: reports store it.

type howHeardRow struct {
	tropic.HowHeardOption
	RetireLabel string // the button's words, naming the option for screen readers
}

type adminHowHeardPage struct {
	AdminLayout
	Options []howHeardRow
	Choices []selectOption // the options whose wording may be changed
	Code    string         // the add form, as typed
	Label   string
	Change  string // the wording form, as typed
	Wording string
	Changes []referenceChangeRow
}

func (s *Server) handleAdminHowHeard() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderHowHeard(w, r, http.StatusOK, &adminHowHeardPage{}, nil)
	})
}

func (s *Server) renderHowHeard(w http.ResponseWriter, r *http.Request, status int, p *adminHowHeardPage, problems []FieldError) {
	if s.deps.Reference == nil {
		s.notFound(w, r)
		return
	}
	options, err := s.deps.Reference.FindHowHeardOptions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	changes, err := s.deps.Reference.FindReferenceChanges(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.AdminLayout = s.adminLayout(r, "How did you hear", "how-heard")
	p.Errors = problems
	p.Choices = []selectOption{{Value: "", Label: "Choose an answer"}}
	for _, o := range options {
		verb := "Retire"
		if o.Retired {
			verb = "Bring back"
		}
		p.Options = append(p.Options, howHeardRow{HowHeardOption: o, RetireLabel: verb})
		p.Choices = append(p.Choices, selectOption{Value: o.Code, Label: o.Label, Selected: o.Code == p.Change})
	}
	for _, c := range changes {
		if code, ok := tropic.HowHeardChangeCode(c.Name); ok {
			p.Changes = append(p.Changes, referenceChangeRow{At: displayDateTime(c.At), Who: c.ActorName, What: "the answer " + code, Old: c.Old, New: c.New})
		}
	}
	s.render(w, r, status, "admin_how_heard", p)
}

func (s *Server) handleAdminHowHeardAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Reference == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		typed := &adminHowHeardPage{Code: r.PostFormValue("code"), Label: r.PostFormValue("label")}
		err := s.deps.Reference.AddHowHeardOption(r.Context(), actorOf(r), tropic.HowHeardOption{Code: typed.Code, Label: typed.Label})
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			s.renderHowHeard(w, r, statusFor(code), typed, errorsFrom(err, "label", "code"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Answer added: the report forms offer it from now on.", "/admin/how-heard")
	})
}

// handleAdminHowHeardChange changes an option's wording (the wording form: code in
// "change", wording in "wording") or retires it or brings it back (a row's button:
// code in "change", "retired" yes or no).
func (s *Server) handleAdminHowHeardChange() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Reference == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		typed := &adminHowHeardPage{Change: r.PostFormValue("change"), Wording: r.PostFormValue("wording")}
		options, err := s.deps.Reference.FindHowHeardOptions(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		var o *tropic.HowHeardOption
		for i := range options {
			if options[i].Code == typed.Change {
				o = &options[i]
			}
		}
		if o == nil {
			s.renderHowHeard(w, r, http.StatusUnprocessableEntity, typed, []FieldError{{Field: "change", Message: "Choose the answer to change"}})
			return
		}
		done := "Wording changed: reports that gave this answer show the new wording."
		switch r.PostFormValue("retired") {
		case "yes":
			o.Retired, done = true, "Answer retired: the report forms no longer offer it; reports that gave it keep it."
		case "no":
			o.Retired, done = false, "Answer brought back: the report forms offer it again."
		default:
			o.Label = typed.Wording
		}
		err = s.deps.Reference.UpdateHowHeardOption(r.Context(), actorOf(r), *o)
		if code := tropic.ErrorCode(err); code == tropic.EINVALID {
			errs := errorsFrom(err)
			for i := range errs {
				if errs[i].Field == "label" {
					errs[i].Field = "wording"
				}
			}
			s.renderHowHeard(w, r, statusFor(code), typed, errs)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, done, "/admin/how-heard")
	})
}
