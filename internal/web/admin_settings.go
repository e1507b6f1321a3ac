package web

import (
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// The settings a partnership administrator edits in the browser: the disclosure
// threshold of published statistics, and the urgency targets of triage and of agencies
// acknowledging reports. A setting changed here stands over the server's flag; each
// change is kept with who, when, the old and the new value.

type referenceChangeRow struct {
	At, Who, What, Old, New string
}

type targetsForm struct {
	Name                       string // the setting: tropic.SettingTriageTargets or SettingAcknowledgeTargets
	Emergency, Urgent, Routine string
	Stored                     bool
	Flag                       string // the server flag it stands over
}

type adminSettingsPage struct {
	AdminLayout
	Threshold       string
	ThresholdStored bool
	Min, Max        int
	Triage, Ack     targetsForm
	Changes         []referenceChangeRow
}

func (s *Server) handleAdminSettings() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderSettings(w, r, http.StatusOK, nil, nil)
	})
}

// renderSettings shows the settings in force, with typed (what was posted, kept as
// typed) over them when a change was refused.
func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, typed func(*adminSettingsPage), problems []FieldError) {
	if s.deps.Reference == nil {
		s.notFound(w, r)
		return
	}
	set, err := s.deps.Reference.FindSettings(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	changes, err := s.deps.Reference.FindReferenceChanges(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &adminSettingsPage{AdminLayout: s.adminLayout(r, "Statistics and targets", "settings"),
		Threshold: set.Value(tropic.SettingDisclosureThreshold), ThresholdStored: set.Stored[tropic.SettingDisclosureThreshold],
		Min: tropic.MinDisclosureThreshold, Max: tropic.MaxDisclosureThreshold,
		Triage: newTargetsForm(tropic.SettingTriageTargets, set.TriageTargets, set.Stored, "--triage-targets"),
		Ack:    newTargetsForm(tropic.SettingAcknowledgeTargets, set.AcknowledgeTargets, set.Stored, "--acknowledge-targets"),
	}
	p.Errors = problems
	for _, c := range changes {
		if _, ok := tropic.HowHeardChangeCode(c.Name); !ok {
			// Targets get spaces after their commas, to wrap on a phone.
			p.Changes = append(p.Changes, referenceChangeRow{At: displayDateTime(c.At), Who: c.ActorName, What: strings.ToLower(tropic.SettingLabel(c.Name)),
				Old: strings.ReplaceAll(c.Old, ",", ", "), New: strings.ReplaceAll(c.New, ",", ", ")})
		}
	}
	if typed != nil {
		typed(p)
	}
	s.render(w, r, status, "admin_settings", p)
}

func newTargetsForm(name string, t tropic.TriageTargets, stored map[string]bool, flag string) targetsForm {
	return targetsForm{Name: name, Emergency: t.Emergency.String(), Urgent: t.Urgent.String(), Routine: t.Routine.String(),
		Stored: stored[name], Flag: flag}
}

func (s *Server) handleAdminThreshold() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		v := r.PostFormValue(tropic.SettingDisclosureThreshold)
		s.saveSetting(w, r, tropic.SettingDisclosureThreshold, v, func(p *adminSettingsPage) { p.Threshold = v },
			"Disclosure threshold saved. The next statistics release uses it; releases already published stay as they are.")
	})
}

func (s *Server) handleAdminTargets(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		f := targetsForm{Name: name, Emergency: r.PostFormValue(name), Urgent: r.PostFormValue(name + "_urgent"), Routine: r.PostFormValue(name + "_routine")}
		v := strings.Join([]string{"emergency=" + f.Emergency, "urgent=" + f.Urgent, "routine=" + f.Routine}, ",")
		keep := func(p *adminSettingsPage) {
			dst := &p.Triage
			if name == tropic.SettingAcknowledgeTargets {
				dst = &p.Ack
			}
			f.Stored, f.Flag = dst.Stored, dst.Flag
			*dst = f
		}
		s.saveSetting(w, r, name, v, keep, tropic.SettingLabel(name)+" saved. Reports are marked by them from now on.")
	})
}

// saveSetting changes a setting, or shows the page again with the problem and what
// was typed.
func (s *Server) saveSetting(w http.ResponseWriter, r *http.Request, name, value string, typed func(*adminSettingsPage), done string) {
	if s.deps.Reference == nil {
		s.notFound(w, r)
		return
	}
	err := s.deps.Reference.SetSetting(r.Context(), actorOf(r), name, value)
	if code := tropic.ErrorCode(err); code == tropic.EINVALID {
		s.renderSettings(w, r, statusFor(code), typed, errorsFrom(err))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flashAndGo(w, r, done, "/admin/settings")
}

func (s *Server) handleAdminTriageTargets() http.Handler {
	return s.handleAdminTargets(tropic.SettingTriageTargets)
}

func (s *Server) handleAdminAckTargets() http.Handler {
	return s.handleAdminTargets(tropic.SettingAcknowledgeTargets)
}
