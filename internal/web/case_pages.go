package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases pages: the list and search, a case with everything on it, the forms
// that change it, people and their roles, sharing and the supervisors' approvals.
// Only those who work cases may use them; for anyone else, and for a case or person
// the user may not see, they answer exactly as a missing page does. What a user may
// do is decided here in Go and by the store, never in a template.

// sessCaseFlash holds the success message shown once after a case action.
const sessCaseFlash = "case_flash"

// cases wraps a case page: a browser route, for signed-in staff who work cases.
func (s *Server) cases(h http.Handler) http.Handler {
	return s.browser(s.requireUser(s.requireCaseWorker(h)))
}

// canWorkCases says whether u may use the case pages: caseworkers, supervisors and
// the triage hub (tropic.CaseWorker).
func canWorkCases(u *tropic.User) bool { return u != nil && tropic.CaseWorker(tropic.ActorFor(u)) }

// requireCaseWorker answers as a missing page to anyone who does not work cases.
func (s *Server) requireCaseWorker(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canWorkCases(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func actorOf(r *http.Request) tropic.Actor { return tropic.ActorFor(userFrom(r.Context())) }

// caseRefFrom reads the case reference in the path as people type it.
func caseRefFrom(r *http.Request) (string, bool) {
	ref, err := tropic.ParseCaseReference(r.PathValue("ref"))
	return ref, err == nil
}

// loadCase finds the case named in the path as the user may see it, and logs the
// view. It answers a missing or hidden case itself and then returns nil.
func (s *Server) loadCase(w http.ResponseWriter, r *http.Request) *tropic.Case {
	ref, ok := caseRefFrom(r)
	if !ok {
		s.notFound(w, r)
		return nil
	}
	c, err := s.deps.Cases.FindCase(r.Context(), actorOf(r), ref)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return c
}

// caseRights is what the user may do on a case, decided once from the case and the
// user. The store enforces the same rules; these only choose what the page offers.
type caseRights struct {
	Owner      bool // the user's agency owns the case: it may change it
	Contribute bool // the owner, or an agency with a whole-case share: may add notes and tasks
	Supervisor bool // a supervisor of the owning agency: approves shares and sees the access log
	Sensitive  bool // the user sees sensitive fields
	Closed     bool
}

func rightsOn(c *tropic.Case, u *tropic.User) caseRights {
	a := tropic.ActorFor(u)
	return caseRights{
		Owner:      tropic.MayChangeCase(a, c) == nil,
		Contribute: tropic.MayContributeToCase(a, c) == nil,
		Supervisor: tropic.IsOwnerSupervisor(a, c.OwnerAgencyID),
		Sensitive:  c.Access == tropic.AccessWhole,
		Closed:     c.Status == tropic.CaseClosed,
	}
}

// casePath is the page of a case.
func casePath(ref string) string { return "/cases/" + ref }

// personPath is the page of a person.
func personPath(id int64) string { return "/people/" + strconv.FormatInt(id, 10) }

// caseFlash stores the message shown once on the next page.
func (s *Server) caseFlash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), sessCaseFlash, msg)
}

// caseStatusTag colours a case status's GOV.UK tag.
func caseStatusTag(st tropic.CaseStatus) string {
	switch st {
	case tropic.CaseOpen:
		return "govuk-tag--blue"
	case tropic.CaseActive:
		return "govuk-tag--green"
	}
	return "govuk-tag--grey"
}

// caseRoleTag colours a person's role tag: potential victims stand out.
func caseRoleTag(r tropic.PersonRole) string {
	switch r {
	case tropic.RolePotentialVictim:
		return "govuk-tag--purple"
	case tropic.RoleSuspect:
		return "govuk-tag--red"
	case tropic.RoleWitness:
		return "govuk-tag--turquoise"
	}
	return "govuk-tag--grey"
}

// lawfulBasisLabel names a lawful basis for sharing.
func lawfulBasisLabel(key string) string {
	for _, b := range tropic.LawfulBases {
		if b.Key == key {
			return b.Label
		}
	}
	return key
}

// shareScopeLabel says what a share lets the other agency see.
func shareScopeLabel(sc tropic.ShareScope) string {
	switch sc {
	case tropic.ShareWhole:
		return "The whole case"
	case tropic.ShareWithoutSensitive:
		return "The case without sensitive fields"
	}
	return string(sc)
}

// shareStatusTag names and colours a share's status.
func shareStatusTag(st tropic.ShareStatus) (string, string) {
	switch st {
	case tropic.ShareRequested:
		return "Awaiting a supervisor", "govuk-tag--yellow"
	case tropic.ShareActive:
		return "Active", "govuk-tag--green"
	case tropic.ShareDeclined:
		return "Declined", "govuk-tag--grey"
	case tropic.ShareRevoked:
		return "Revoked", "govuk-tag--red"
	case tropic.ShareCovered:
		return "Already shared", "govuk-tag--grey"
	}
	return string(st), "govuk-tag--grey"
}

// placeKindLabel, businessKindLabel and orderKindLabel name the kinds of things on a case.
func placeKindLabel(k tropic.PlaceKind) string {
	for _, v := range tropic.PlaceKinds {
		if v.Key == k {
			return v.Label
		}
	}
	return string(k)
}

func businessKindLabel(k string) string {
	for _, v := range tropic.BusinessKinds {
		if v.Key == k {
			return v.Label
		}
	}
	return k
}

func orderKindLabel(k tropic.OrderKind) string {
	switch k {
	case tropic.OrderSTPO:
		return "Slavery and Trafficking Prevention Order"
	case tropic.OrderSTRO:
		return "Slavery and Trafficking Risk Order"
	}
	return string(k)
}

// genderLabel names a gender.
func genderLabel(g tropic.Gender) string {
	for _, v := range tropic.Genders {
		if v.Key == g {
			return v.Label
		}
	}
	return string(g)
}

// caseDateInput reads a date typed as 1/12/2026 or 2026-12-01 into YYYY-MM-DD; what
// does not parse is passed on as typed for the domain to refuse by field.
func caseDateInput(s string) string {
	s = strings.TrimSpace(s)
	if d, ok := parseTypedDate(s); ok {
		return d.Format(time.DateOnly)
	}
	return s
}

// districtOptions lists the districts for a select, with the chosen one marked.
func districtOptions(districts []tropic.District, chosen, none string) []selectOption {
	out := []selectOption{{Value: "", Label: none, Selected: chosen == ""}}
	for _, d := range districts {
		out = append(out, selectOption{Value: d.Slug, Label: d.Name, Selected: chosen == d.Slug})
	}
	return out
}

// exploitationOptions lists the exploitation types as checkboxes.
func exploitationOptions(chosen []string) []selectOption {
	var out []selectOption
	types := append(append([]tropic.ExploitationType(nil), tropic.ExploitationTypes...), tropic.ExploitNotSpecified)
	for _, t := range types {
		sel := false
		for _, c := range chosen {
			sel = sel || c == string(t)
		}
		out = append(out, selectOption{Value: string(t), Label: t.Label(), Selected: sel})
	}
	return radioOptions("exploitation", out)
}

// exploitationFrom reads the exploitation checkboxes.
func exploitationFrom(types []string, countyLines bool) tropic.ExploitationSet {
	set := tropic.ExploitationSet{CountyLines: countyLines}
	for _, t := range types {
		set.Types = append(set.Types, tropic.ExploitationType(t))
	}
	return set
}

// exploitationText is a case's exploitation label, with county lines when flagged.
func exploitationText(e tropic.ExploitationSet) string {
	l := e.Label()
	if e.CountyLines {
		l += " (county lines)"
	}
	return l
}
