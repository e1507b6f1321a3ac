package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// The partner agencies, for partnership administrators: add, edit (name, kind, first
// responder, Duty to Notify, triage hub, inbox and NRM reminder addresses), disable and
// enable, through the store functions the command line uses.

type adminAgencyRow struct {
	ID                                  int64
	Name, Kind                          string
	FirstResponder, DutyToNotify, Hub   bool
	Disabled                            bool
	InboxEmail, ReminderEmail, EditPath string
}

type adminAgenciesPage struct {
	AdminLayout
	Rows []adminAgencyRow
}

func (s *Server) handleAdminAgencies() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agencies, err := s.deps.Agencies.FindAgencies(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := &adminAgenciesPage{AdminLayout: s.adminLayout(r, "Agencies", "agencies")}
		for _, a := range agencies {
			p.Rows = append(p.Rows, adminAgencyRow{ID: a.ID, Name: a.Name, Kind: a.Kind.Label(), FirstResponder: a.FirstResponder,
				DutyToNotify: a.DutyToNotify, Hub: a.TriageHub, Disabled: a.Disabled, InboxEmail: a.InboxEmail, ReminderEmail: a.ReminderEmail,
				EditPath: "/admin/agencies/" + strconv.FormatInt(a.ID, 10) + "/edit"})
		}
		s.render(w, r, http.StatusOK, "admin_agencies", p)
	})
}

type adminAgencyPage struct {
	AdminLayout
	Action   string
	New      bool
	ID       int64
	Disabled bool
	Name     string
	Kinds    []selectOption
	Flags    []selectOption // first responder, Duty to Notify, triage hub
	Inbox    string
	Reminder string
}

func (s *Server) agencyPage(r *http.Request, a *tropic.Agency, isNew bool) *adminAgencyPage {
	title := "Edit " + a.Name
	action := "/admin/agencies/" + strconv.FormatInt(a.ID, 10) + "/edit"
	if isNew {
		title, action = "Add an agency", "/admin/agencies/new"
	}
	p := &adminAgencyPage{AdminLayout: s.adminLayout(r, title, "agencies"), Action: action, New: isNew, ID: a.ID, Disabled: a.Disabled,
		Name: a.Name, Inbox: a.InboxEmail, Reminder: a.ReminderEmail}
	p.Kinds = []selectOption{{Value: "", Label: "Choose the kind"}}
	for _, k := range tropic.AgencyKinds {
		p.Kinds = append(p.Kinds, selectOption{Value: string(k), Label: k.Label(), Selected: k == a.Kind})
	}
	p.Flags = []selectOption{
		{ID: "flags", Value: "first_responder", Label: "A designated NRM first responder", Selected: a.FirstResponder},
		{ID: "flag-dtn", Value: "duty_to_notify", Label: "Bound by the Duty to Notify (Modern Slavery Act 2015, section 52)", Selected: a.DutyToNotify},
		{ID: "flag-hub", Value: "triage_hub", Label: "Part of the triage hub: its triage users see every new report", Selected: a.TriageHub},
	}
	return p
}

func (s *Server) handleAdminAgencyNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "admin_agency", s.agencyPage(r, &tropic.Agency{}, true))
	})
}

func (s *Server) handleAdminAgencyEditForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		a, err := s.deps.Agencies.FindAgencyByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "admin_agency", s.agencyPage(r, a, false))
	})
}

// handleAdminAgencySave adds (isNew) or changes an agency from the form.
func (s *Server) handleAdminAgencySave(isNew bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &tropic.Agency{}
		if !isNew {
			id, ok := s.pathID(w, r)
			if !ok {
				return
			}
			var err error
			if a, err = s.deps.Agencies.FindAgencyByID(r.Context(), id); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if !s.parseForm(w, r) {
			return
		}
		flags := map[string]bool{}
		for _, v := range r.PostForm["flags"] {
			flags[v] = true
		}
		a.Name, a.Kind = r.PostFormValue("name"), tropic.AgencyKind(r.PostFormValue("kind"))
		a.FirstResponder, a.DutyToNotify, a.TriageHub = flags["first_responder"], flags["duty_to_notify"], flags["triage_hub"]
		a.InboxEmail, a.ReminderEmail = r.PostFormValue("inbox_email"), r.PostFormValue("reminder_email")
		var err error
		if isNew {
			err = s.deps.Agencies.CreateAgency(r.Context(), actorOf(r), a)
		} else {
			err = s.deps.Agencies.UpdateAgency(r.Context(), actorOf(r), a)
		}
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			p := s.agencyPage(r, a, isNew)
			p.Errors = errorsFrom(err, "name", "kind", "inbox_email", "reminder_email")
			s.render(w, r, statusFor(code), "admin_agency", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, a.Name+" saved.", "/admin/agencies")
	})
}

// handleAdminAgencySwitch disables (off) or enables an agency.
func (s *Server) handleAdminAgencySwitch(off bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		change, done := s.deps.Agencies.EnableAgency, "Agency enabled: its users may sign in again."
		if off {
			change, done = s.deps.Agencies.DisableAgency, "Agency disabled: its users can no longer sign in. Its records stay."
		}
		if err := change(r.Context(), actorOf(r), id); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, done, "/admin/agencies")
	})
}
