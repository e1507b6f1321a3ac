package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases API: people on cases, their roles and the supervisors' decisions on them.

// apiPersonSummary is a person as lists show them: never a sensitive field.
type apiPersonSummary struct {
	ID          int64    `json:"id"`
	GivenName   string   `json:"given_name"`
	FamilyName  string   `json:"family_name"`
	Aliases     []string `json:"aliases"`
	DateOfBirth string   `json:"date_of_birth,omitempty"`
	ApproxAge   int      `json:"approx_age,omitempty"`
	Gender      string   `json:"gender,omitempty"`
	Nationality string   `json:"nationality,omitempty"`
}

// apiPerson is one person's record. The sensitive fields are present only when the
// user may see them; otherwise sensitive_hidden is true.
type apiPerson struct {
	apiPersonSummary
	Languages         string    `json:"languages,omitempty"`
	Phone             string    `json:"phone,omitempty"`
	PhoneE164         string    `json:"phone_e164,omitempty"`
	Email             string    `json:"email,omitempty"`
	ImmigrationStatus *string   `json:"immigration_status,omitempty"`
	Health            *string   `json:"health,omitempty"`
	SensitiveHidden   bool      `json:"sensitive_hidden,omitempty"`
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
}

// apiPersonRecord is a person with the case links the user may see.
type apiPersonRecord struct {
	Person apiPerson       `json:"person"`
	Cases  []apiPersonCase `json:"cases"`
}

// apiPersonCase is a person's part in one case, seen from the person.
type apiPersonCase struct {
	ID                int64          `json:"id"` // the case-person link, for role changes
	CaseReference     string         `json:"case_reference"`
	Role              string         `json:"role"`
	CoercedOffender   bool           `json:"coerced_offender"`
	AddedAt           time.Time      `json:"added_at"`
	PendingRoleChange *apiRoleChange `json:"pending_role_change,omitempty"`
}

// apiCasePerson is a person on a case, seen from the case.
type apiCasePerson struct {
	ID                int64            `json:"id"` // the case-person link, for role changes
	Person            apiPersonSummary `json:"person"`
	Role              string           `json:"role"`
	CoercedOffender   bool             `json:"coerced_offender"`
	AddedAt           time.Time        `json:"added_at"`
	PendingRoleChange *apiRoleChange   `json:"pending_role_change,omitempty"`
	Version           int              `json:"version"` // of the link, for a correction of it
}

type apiRoleChange struct {
	ID            int64      `json:"id"`
	CasePersonID  int64      `json:"case_person_id"`
	CaseReference string     `json:"case_reference,omitempty"`
	PersonName    string     `json:"person_name,omitempty"`
	From          string     `json:"from"`
	To            string     `json:"to"`
	Reason        string     `json:"reason,omitempty"`
	RequestedBy   string     `json:"requested_by"`
	RequestedAt   time.Time  `json:"requested_at"`
	Status        string     `json:"status"`
	DecidedBy     string     `json:"decided_by,omitempty"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	DecisionNote  string     `json:"decision_note,omitempty"`
}

// apiS45Notice names the person and the agency to contact, never the other case.
type apiS45Notice struct {
	PersonID      int64  `json:"person_id"`
	PersonName    string `json:"person_name"`
	ContactAgency string `json:"contact_agency"`
}

type apiPersonMatch struct {
	Person  apiPersonSummary `json:"person"`
	Cases   []string         `json:"cases"`
	Reasons []string         `json:"reasons"`
}

type apiPersonMatches struct {
	Matches []apiPersonMatch `json:"matches"`
}

type apiRoleChangeList struct {
	RoleChanges []apiRoleChange `json:"role_changes"`
}

// apiDecision is the state of a request after a decision, revocation or completion.
type apiDecision struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

// apiCoerced is a person's s.45 mark on one case.
type apiCoerced struct {
	ID              int64 `json:"id"` // the case-person link
	CoercedOffender bool  `json:"coerced_offender"`
}

type apiPersonInput struct {
	GivenName         string   `json:"given_name"`
	FamilyName        string   `json:"family_name"`
	Aliases           []string `json:"aliases"`
	DateOfBirth       string   `json:"date_of_birth"`
	ApproxAge         int      `json:"approx_age"`
	Gender            string   `json:"gender"`
	Nationality       string   `json:"nationality"`
	Languages         string   `json:"languages"`
	Phone             string   `json:"phone"`
	Email             string   `json:"email"`
	ImmigrationStatus string   `json:"immigration_status"`
	Health            string   `json:"health"`
}

func (in *apiPersonInput) person() *tropic.Person {
	return &tropic.Person{GivenName: in.GivenName, FamilyName: in.FamilyName, Aliases: in.Aliases, DateOfBirth: in.DateOfBirth,
		ApproxAge: in.ApproxAge, Gender: tropic.Gender(in.Gender), Nationality: in.Nationality, Languages: in.Languages,
		Phone: in.Phone, Email: in.Email, ImmigrationStatus: in.ImmigrationStatus, Health: in.Health}
}

type apiNewPersonInput struct {
	apiPersonInput
	Role string `json:"role"`
}

type apiLinkPersonInput struct {
	PersonID int64  `json:"person_id"`
	Role     string `json:"role"`
}

// apiPersonPatch changes some of a person's fields: those left out keep their values.
type apiPersonPatch struct {
	Version           *int      `json:"version"`
	GivenName         *string   `json:"given_name"`
	FamilyName        *string   `json:"family_name"`
	Aliases           *[]string `json:"aliases"`
	DateOfBirth       *string   `json:"date_of_birth"`
	ApproxAge         *int      `json:"approx_age"`
	Gender            *string   `json:"gender"`
	Nationality       *string   `json:"nationality"`
	Languages         *string   `json:"languages"`
	Phone             *string   `json:"phone"`
	Email             *string   `json:"email"`
	ImmigrationStatus *string   `json:"immigration_status"`
	Health            *string   `json:"health"`
}

type apiRoleInput struct {
	Role   string `json:"role"`
	Reason string `json:"reason"`
}

type apiCoercedInput struct {
	CoercedOffender *bool `json:"coerced_offender"`
}

type apiDecisionInput struct {
	Approve *bool  `json:"approve"`
	Note    string `json:"note"`
}

func apiPersonSummaryFrom(p *tropic.Person) apiPersonSummary {
	return apiPersonSummary{ID: p.ID, GivenName: p.GivenName, FamilyName: p.FamilyName, Aliases: append([]string{}, p.Aliases...),
		DateOfBirth: p.DateOfBirth, ApproxAge: p.ApproxAge, Gender: string(p.Gender), Nationality: p.Nationality}
}

func apiPersonFrom(p *tropic.Person) apiPerson {
	b := apiPerson{apiPersonSummary: apiPersonSummaryFrom(p), Languages: p.Languages, Phone: p.Phone, PhoneE164: p.PhoneE164,
		Email: p.Email, SensitiveHidden: p.SensitiveHidden, Version: p.Version, CreatedAt: p.CreatedAt}
	if !p.SensitiveHidden {
		immigration, health := p.ImmigrationStatus, p.Health
		b.ImmigrationStatus, b.Health = &immigration, &health
	}
	return b
}

func apiPersonRecordFrom(p *tropic.Person, links []*tropic.CasePerson) *apiPersonRecord {
	rec := &apiPersonRecord{Person: apiPersonFrom(p), Cases: []apiPersonCase{}}
	for _, cp := range links {
		rec.Cases = append(rec.Cases, apiPersonCase{ID: cp.ID, CaseReference: cp.CaseReference, Role: string(cp.Role),
			CoercedOffender: cp.CoercedOffender, AddedAt: cp.AddedAt, PendingRoleChange: apiRoleChangePtr(cp.PendingRole)})
	}
	return rec
}

func apiRoleChangeFrom(rc *tropic.RoleChange) apiRoleChange {
	return apiRoleChange{ID: rc.ID, CasePersonID: rc.CasePersonID, CaseReference: rc.CaseReference,
		PersonName: rc.PersonName, From: string(rc.From), To: string(rc.To), Reason: rc.Reason,
		RequestedBy: rc.RequestedBy, RequestedAt: rc.RequestedAt, Status: string(rc.Status), DecidedBy: rc.DecidedBy,
		DecidedAt: apiTime(rc.DecidedAt), DecisionNote: rc.DecisionNote}
}

func apiRoleChangePtr(rc *tropic.RoleChange) *apiRoleChange {
	if rc == nil {
		return nil
	}
	b := apiRoleChangeFrom(rc)
	return &b
}

// handleAPIPersonMatches finds people the user may see who may be the person about
// to be recorded, to stop duplicates at the door. It never shows sensitive fields.
func (s *Server) handleAPIPersonMatches() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		p := &tropic.Person{GivenName: q.Get("given_name"), FamilyName: q.Get("family_name"), DateOfBirth: q.Get("date_of_birth"), Phone: q.Get("phone")}
		for _, a := range q["alias"] {
			p.Aliases = append(p.Aliases, a)
		}
		if strings.TrimSpace(p.FullName()) == "" && len(p.Aliases) == 0 && p.DateOfBirth == "" && p.Phone == "" {
			apiInvalid(w, "given_name", "Give a name, alias, date of birth or phone number to look for.")
			return
		}
		s.apiWriteMatches(w, r, actor, p, http.StatusOK)
	})
}

func (s *Server) apiWriteMatches(w http.ResponseWriter, r *http.Request, actor tropic.Actor, p *tropic.Person, status int) {
	matches, err := s.deps.Cases.FindPersonMatches(r.Context(), actor, p)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, status, apiPersonMatchesFrom(matches))
}

func apiPersonMatchesFrom(matches []tropic.PersonMatch) apiPersonMatches {
	out := apiPersonMatches{Matches: []apiPersonMatch{}}
	for _, m := range matches {
		if m.Person == nil {
			continue
		}
		out.Matches = append(out.Matches, apiPersonMatch{Person: apiPersonSummaryFrom(m.Person),
			Cases: append([]string{}, m.Cases...), Reasons: append([]string{}, m.Reasons...)})
	}
	return out
}

// handleAPIAddPerson records a new person on a case. With ?check=1 it first looks for
// possible existing records and, when there are any, answers them (200) instead of
// creating; the client then links one or posts again without check.
func (s *Server) handleAPIAddPerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiNewPersonInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		role, actor := tropic.PersonRole(in.Role), apiActor(r)
		p := in.person()
		if check, _ := strconv.ParseBool(r.URL.Query().Get("check")); check {
			// The case must be one the user may see before anything is said about people.
			if _, err := s.deps.Cases.FindCase(r.Context(), actor, ref); err != nil {
				s.apiFail(w, r, err)
				return
			}
			matches, err := s.deps.Cases.FindPersonMatches(r.Context(), actor, p)
			if err != nil {
				s.apiFail(w, r, err)
				return
			}
			if len(matches) > 0 {
				writeJSON(w, http.StatusOK, apiPersonMatchesFrom(matches))
				return
			}
		}
		if err := s.deps.Cases.AddPerson(r.Context(), actor, ref, p, role); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWritePerson(w, r, http.StatusCreated, p.ID)
	})
}

func (s *Server) handleAPILinkPerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiLinkPersonInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if in.PersonID <= 0 {
			apiInvalid(w, "person_id", "Give the id of the person to add to the case.")
			return
		}
		if err := s.deps.Cases.AddExistingPerson(r.Context(), apiActor(r), ref, in.PersonID, tropic.PersonRole(in.Role)); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWritePerson(w, r, http.StatusCreated, in.PersonID)
	})
}

// apiWritePerson reads the person back for the viewer.
func (s *Server) apiWritePerson(w http.ResponseWriter, r *http.Request, status int, id int64) {
	p, links, err := s.deps.Cases.FindPerson(r.Context(), apiActor(r), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/people/"+strconv.FormatInt(p.ID, 10))
	}
	writeJSON(w, status, apiPersonRecordFrom(p, links))
}

func (s *Server) handleAPIGetPerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := apiPathID(w, r); ok {
			s.apiWritePerson(w, r, http.StatusOK, id)
		}
	})
}

// handleAPIUpdatePerson saves the fields given against the version read.
func (s *Server) handleAPIUpdatePerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiPersonPatch
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		actor := apiActor(r)
		p, _, err := s.deps.Cases.FindPerson(r.Context(), actor, id)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		p.Version = *in.Version
		for _, f := range []struct {
			dst *string
			v   *string
		}{{&p.GivenName, in.GivenName}, {&p.FamilyName, in.FamilyName}, {&p.DateOfBirth, in.DateOfBirth},
			{&p.Nationality, in.Nationality}, {&p.Languages, in.Languages}, {&p.Phone, in.Phone}, {&p.Email, in.Email},
			{&p.ImmigrationStatus, in.ImmigrationStatus}, {&p.Health, in.Health}} {
			apiSet(f.dst, f.v)
		}
		if in.Gender != nil {
			p.Gender = tropic.Gender(*in.Gender)
		}
		if in.Aliases != nil {
			p.Aliases = *in.Aliases
		}
		if in.ApproxAge != nil {
			p.ApproxAge = *in.ApproxAge
		}
		if err := s.deps.Cases.UpdatePerson(r.Context(), actor, p); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWritePerson(w, r, http.StatusOK, id)
	})
}

// handleAPIChangeRole changes a person's role on a case: at once (200), or, for a
// potential victim made a suspect, as a request for a supervisor (202).
func (s *Server) handleAPIChangeRole() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiRoleInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		rc, err := s.deps.Cases.ChangeRole(r.Context(), apiActor(r), id, tropic.PersonRole(in.Role), in.Reason)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := http.StatusOK
		if rc.Status == tropic.RoleChangeRequested {
			status = http.StatusAccepted
		}
		writeJSON(w, status, apiRoleChangeFrom(rc))
	})
}

// handleAPISetCoerced marks a person on a case as possibly compelled to offend (s.45).
func (s *Server) handleAPISetCoerced() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiCoercedInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if in.CoercedOffender == nil {
			apiInvalid(w, "coerced_offender", "Give true or false.")
			return
		}
		if err := s.deps.Cases.SetCoercedOffender(r.Context(), apiActor(r), id, *in.CoercedOffender); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiCoerced{ID: id, CoercedOffender: *in.CoercedOffender})
	})
}

func (s *Server) handleAPIListRoleChanges() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		var bad tropic.Problems
		pending := apiQueryBool(r.URL.Query(), "pending", true, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		changes, err := s.deps.Cases.FindRoleChanges(r.Context(), actor, pending)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiRoleChangeList{RoleChanges: []apiRoleChange{}}
		for _, rc := range changes {
			out.RoleChanges = append(out.RoleChanges, apiRoleChangeFrom(rc))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func apiDecided(w http.ResponseWriter, in *apiDecisionInput) bool {
	if in.Approve == nil {
		apiInvalid(w, "approve", "Give true to approve or false to decline.")
		return false
	}
	return true
}

func (s *Server) handleAPIDecideRoleChange() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiDecisionInput
		if !s.decodeJSON(w, r, &in) || !apiDecided(w, &in) {
			return
		}
		if err := s.deps.Cases.DecideRoleChange(r.Context(), apiActor(r), id, *in.Approve, in.Note); err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := tropic.RoleChangeDeclined
		if *in.Approve {
			status = tropic.RoleChangeApproved
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(status)})
	})
}
