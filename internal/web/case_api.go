package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases API: the operations of the case pages as JSON. The store enforces need to
// know on every call; the handlers decode, call it and encode. A case, person, task,
// share or request the token's user may not see answers exactly as a missing one.
// Sensitive fields (immigration status, health) are in the answer only when the user
// may see them, and never in lists.

// apiCaseSummary is a case as lists show it.
type apiCaseSummary struct {
	Reference         string        `json:"reference"`
	OwnerAgency       agencySummary `json:"owner_agency"`
	Title             string        `json:"title"`
	District          string        `json:"district"`
	ExploitationTypes []string      `json:"exploitation_types"`
	ExploitationLabel string        `json:"exploitation_label"`
	CountyLines       bool          `json:"county_lines"`
	Status            string        `json:"status"`
	Outcome           string        `json:"outcome,omitempty"`
	OpenedAt          time.Time     `json:"opened_at"`
	ClosedAt          *time.Time    `json:"closed_at,omitempty"`
	UpdatedAt         *time.Time    `json:"updated_at,omitempty"`
	Version           int           `json:"version"`
}

// apiCase is one case with everything the user may see on it.
type apiCase struct {
	apiCaseSummary
	CrimeReference  string          `json:"crime_reference,omitempty"`
	Offence         string          `json:"offence,omitempty"`
	CrimeRecordedAt *time.Time      `json:"crime_recorded_at,omitempty"`
	UpdatedBy       string          `json:"updated_by,omitempty"`
	Access          string          `json:"access"`
	SensitiveHidden bool            `json:"sensitive_hidden,omitempty"`
	Reports         []string        `json:"reports"`
	People          []apiCasePerson `json:"people"`
	Places          []apiPlace      `json:"places"`
	Businesses      []apiBusiness   `json:"businesses"`
	Vehicles        []apiVehicle    `json:"vehicles"`
	Phones          []apiPhone      `json:"phones"`
	Notes           []apiNote       `json:"notes"`
	Tasks           []apiTask       `json:"tasks"`
	Shares          []apiShare      `json:"shares"`
	Orders          []apiOrder      `json:"orders"`
	S45Notices      []apiS45Notice  `json:"s45_notices"`
}

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

type apiPlace struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Address  string `json:"address"`
	Postcode string `json:"postcode,omitempty"`
	Notes    string `json:"notes,omitempty"`
}

type apiBusiness struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	CompanyNumber string `json:"company_number,omitempty"`
	Address       string `json:"address,omitempty"`
}

type apiVehicle struct {
	ID           int64  `json:"id"`
	Registration string `json:"registration"` // as typed
	Normalised   string `json:"normalised"`
	Description  string `json:"description,omitempty"`
}

type apiPhone struct {
	ID     int64  `json:"id"`
	Number string `json:"number"` // as typed
	E164   string `json:"e164"`
	Notes  string `json:"notes,omitempty"`
}

type apiNote struct {
	ID        int64      `json:"id"`
	Author    string     `json:"author"`
	Agency    string     `json:"agency"`
	At        time.Time  `json:"at"`
	Text      string     `json:"text"`
	Sensitive bool       `json:"sensitive"`
	Corrects  int64      `json:"corrects,omitempty"`
	EditedAt  *time.Time `json:"edited_at,omitempty"`
}

type apiTask struct {
	ID            int64      `json:"id"`
	CaseReference string     `json:"case_reference,omitempty"`
	Title         string     `json:"title"`
	AgencyID      int64      `json:"agency_id,omitempty"`
	AgencyName    string     `json:"agency_name,omitempty"`
	UserID        int64      `json:"user_id,omitempty"`
	UserName      string     `json:"user_name,omitempty"`
	Due           string     `json:"due,omitempty"`
	Done          bool       `json:"done"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
	Overdue       bool       `json:"overdue"`
	CreatedBy     string     `json:"created_by,omitempty"`
}

type apiShare struct {
	ID          int64         `json:"id"`
	Agency      agencySummary `json:"agency"`
	Scope       string        `json:"scope"`
	LawfulBasis string        `json:"lawful_basis"`
	Reason      string        `json:"reason"`
	Until       string        `json:"until,omitempty"`
	Status      string        `json:"status"`
	Live        bool          `json:"live"`
	RequestedBy string        `json:"requested_by,omitempty"`
	GrantedBy   string        `json:"granted_by,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	DecidedAt   *time.Time    `json:"decided_at,omitempty"`
	RevokedAt   *time.Time    `json:"revoked_at,omitempty"`
}

type apiOrder struct {
	ID        int64  `json:"id"`
	PersonID  int64  `json:"person_id"`
	Kind      string `json:"kind"`
	MadeOn    string `json:"made_on,omitempty"`
	ExpiresOn string `json:"expires_on,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// apiS45Notice names the person and the agency to contact, never the other case.
type apiS45Notice struct {
	PersonID      int64  `json:"person_id"`
	PersonName    string `json:"person_name"`
	ContactAgency string `json:"contact_agency"`
}

type apiAccessLogEntry struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Agency string    `json:"agency"`
	What   string    `json:"what"`
}

type apiCaseList struct {
	Total int              `json:"total"`
	Cases []apiCaseSummary `json:"cases"`
}

type apiSearchHit struct {
	Case  apiCaseSummary `json:"case"`
	Match string         `json:"match"`
}

type apiSearchResult struct {
	Query string         `json:"query"`
	Hits  []apiSearchHit `json:"hits"`
}

type apiPersonMatch struct {
	Person  apiPersonSummary `json:"person"`
	Cases   []string         `json:"cases"`
	Reasons []string         `json:"reasons"`
}

type apiPersonMatches struct {
	Matches []apiPersonMatch `json:"matches"`
}

type apiTaskList struct {
	Tasks []apiTask `json:"tasks"`
}

type apiRoleChangeList struct {
	RoleChanges []apiRoleChange `json:"role_changes"`
}

type apiAccessLog struct {
	Entries []apiAccessLogEntry `json:"entries"`
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

type apiNoteEdited struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// Request bodies.

type apiCaseInput struct {
	Title             string   `json:"title"`
	District          string   `json:"district"`
	ExploitationTypes []string `json:"exploitation_types"`
	CountyLines       bool     `json:"county_lines"`
	Status            string   `json:"status"`
	CrimeReference    string   `json:"crime_reference"`
	Offence           string   `json:"offence"`
	FromReport        string   `json:"from_report"`
}

// apiCasePatch changes some of a case's fields: those left out keep their values.
type apiCasePatch struct {
	Version           *int      `json:"version"`
	Title             *string   `json:"title"`
	District          *string   `json:"district"`
	ExploitationTypes *[]string `json:"exploitation_types"`
	CountyLines       *bool     `json:"county_lines"`
	Status            *string   `json:"status"`
	CrimeReference    *string   `json:"crime_reference"`
	Offence           *string   `json:"offence"`
}

type apiCloseInput struct {
	Outcome string `json:"outcome"`
	Version *int   `json:"version"`
}

type apiReopenInput struct {
	Reason  string `json:"reason"`
	Version *int   `json:"version"`
}

type apiLinkReportInput struct {
	Reference string `json:"reference"`
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

type apiShareDecisionInput struct {
	Approve *bool `json:"approve"`
}

type apiPlaceInput struct {
	Kind     string `json:"kind"`
	Address  string `json:"address"`
	Postcode string `json:"postcode"`
	Notes    string `json:"notes"`
}

type apiBusinessInput struct {
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	CompanyNumber string `json:"company_number"`
	Address       string `json:"address"`
}

type apiVehicleInput struct {
	Registration string `json:"registration"`
	Description  string `json:"description"`
}

type apiPhoneInput struct {
	Number string `json:"number"`
	Notes  string `json:"notes"`
}

type apiNoteInput struct {
	Text      string `json:"text"`
	Sensitive bool   `json:"sensitive"`
	Corrects  int64  `json:"corrects"`
}

type apiNoteEditInput struct {
	Text string `json:"text"`
}

type apiTaskInput struct {
	Title    string `json:"title"`
	AgencyID int64  `json:"agency_id"`
	UserID   int64  `json:"user_id"`
	Due      string `json:"due"`
}

type apiOrderInput struct {
	PersonID  int64  `json:"person_id"`
	Kind      string `json:"kind"`
	MadeOn    string `json:"made_on"`
	ExpiresOn string `json:"expires_on"`
	Notes     string `json:"notes"`
}

type apiShareInput struct {
	AgencyID    int64  `json:"agency_id"`
	Scope       string `json:"scope"`
	LawfulBasis string `json:"lawful_basis"`
	Reason      string `json:"reason"`
	Until       string `json:"until"`
}

// Encoding.

func apiTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func apiAccessName(a tropic.CaseAccess) string {
	if a == tropic.AccessWhole {
		return string(tropic.ShareWhole)
	}
	return string(tropic.ShareWithoutSensitive)
}

func apiCaseSummaryFrom(c *tropic.Case) apiCaseSummary {
	out := apiCaseSummary{
		Reference: c.Reference, OwnerAgency: agencySummary{ID: c.OwnerAgencyID, Name: c.OwnerAgency}, Title: c.Title,
		District: c.District, ExploitationTypes: []string{}, ExploitationLabel: c.Exploitation.Label(),
		CountyLines: c.Exploitation.CountyLines, Status: string(c.Status), Outcome: string(c.Outcome), OpenedAt: c.OpenedAt,
		ClosedAt: apiTime(c.ClosedAt), UpdatedAt: apiTime(c.UpdatedAt), Version: c.Version,
	}
	for _, t := range c.Exploitation.Types {
		out.ExploitationTypes = append(out.ExploitationTypes, string(t))
	}
	return out
}

// apiCaseFrom encodes a case for its viewer. The store leaves out what the viewer
// may not see; without a whole-case share, sensitive notes are dropped here as well.
func apiCaseFrom(c *tropic.Case, now time.Time) *apiCase {
	whole := c.Access == tropic.AccessWhole
	b := &apiCase{
		apiCaseSummary: apiCaseSummaryFrom(c), CrimeReference: c.CrimeReference, Offence: string(c.Offence),
		CrimeRecordedAt: apiTime(c.CrimeRecorded), UpdatedBy: c.UpdatedBy, Access: apiAccessName(c.Access), SensitiveHidden: !whole,
		Reports: append([]string{}, c.Reports...), People: []apiCasePerson{}, Places: []apiPlace{}, Businesses: []apiBusiness{},
		Vehicles: []apiVehicle{}, Phones: []apiPhone{}, Notes: []apiNote{}, Tasks: []apiTask{}, Shares: []apiShare{},
		Orders: []apiOrder{}, S45Notices: []apiS45Notice{},
	}
	for _, cp := range c.People {
		if cp.Person == nil {
			continue
		}
		b.People = append(b.People, apiCasePerson{ID: cp.ID, Person: apiPersonSummaryFrom(cp.Person), Role: string(cp.Role),
			CoercedOffender: cp.CoercedOffender, AddedAt: cp.AddedAt, PendingRoleChange: apiRoleChangePtr(cp.PendingRole)})
	}
	for _, p := range c.Places {
		b.Places = append(b.Places, apiPlace{ID: p.ID, Kind: string(p.Kind), Address: p.Address, Postcode: p.Postcode, Notes: p.Notes})
	}
	for _, x := range c.Business {
		b.Businesses = append(b.Businesses, apiBusinessFrom(x))
	}
	for _, v := range c.Vehicles {
		b.Vehicles = append(b.Vehicles, apiVehicle{ID: v.ID, Registration: v.Registration, Normalised: v.Normalised, Description: v.Description})
	}
	for _, ph := range c.Phones {
		b.Phones = append(b.Phones, apiPhone{ID: ph.ID, Number: ph.Number, E164: ph.E164, Notes: ph.Notes})
	}
	for _, n := range c.Notes {
		if n.Sensitive && !whole {
			continue
		}
		b.Notes = append(b.Notes, apiNoteFrom(n))
	}
	for _, t := range c.Tasks {
		b.Tasks = append(b.Tasks, apiTaskFrom(t, now))
	}
	for _, s := range c.Shares {
		b.Shares = append(b.Shares, apiShareFrom(s, now))
	}
	for _, o := range c.Orders {
		b.Orders = append(b.Orders, apiOrderFrom(o))
	}
	for _, n := range c.Notices {
		b.S45Notices = append(b.S45Notices, apiS45Notice{PersonID: n.PersonID, PersonName: n.PersonName, ContactAgency: n.ContactAgency})
	}
	return b
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

func apiBusinessFrom(x *tropic.Business) apiBusiness {
	return apiBusiness{ID: x.ID, Name: x.Name, Kind: x.Kind, CompanyNumber: x.CompanyNumber, Address: x.Address}
}

func apiNoteFrom(n *tropic.Note) apiNote {
	return apiNote{ID: n.ID, Author: n.Author, Agency: n.Agency, At: n.At, Text: n.Text, Sensitive: n.Sensitive,
		Corrects: n.Corrects, EditedAt: apiTime(n.EditedAt)}
}

func apiTaskFrom(t *tropic.Task, now time.Time) apiTask {
	return apiTask{ID: t.ID, CaseReference: t.CaseReference, Title: t.Title, AgencyID: t.AssignedAgency, AgencyName: t.AgencyName,
		UserID: t.AssignedUser, UserName: t.UserName, Due: t.Due, Done: t.Done, DoneAt: apiTime(t.DoneAt),
		Overdue: t.Overdue(now), CreatedBy: t.CreatedBy}
}

func apiShareFrom(s *tropic.Share, now time.Time) apiShare {
	return apiShare{ID: s.ID, Agency: agencySummary{ID: s.AgencyID, Name: s.AgencyName}, Scope: string(s.Scope),
		LawfulBasis: s.LawfulBasis, Reason: s.Reason, Until: s.Until, Status: string(s.Status), Live: s.Live(now),
		RequestedBy: s.RequestedBy, GrantedBy: s.GrantedBy, CreatedAt: s.CreatedAt, DecidedAt: apiTime(s.DecidedAt),
		RevokedAt: apiTime(s.RevokedAt)}
}

func apiOrderFrom(o *tropic.Order) apiOrder {
	return apiOrder{ID: o.ID, PersonID: o.PersonID, Kind: string(o.Kind), MadeOn: o.MadeOn, ExpiresOn: o.ExpiresOn, Notes: o.Notes}
}

// Decoding and failing.

func apiInvalid(w http.ResponseWriter, field, problem string) {
	writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, problem, map[string]string{field: problem})
}

// apiCaseRef reads the case reference of the path as people type it; a malformed one
// answers as a missing case.
func apiCaseRef(w http.ResponseWriter, r *http.Request) (string, bool) {
	ref, err := tropic.ParseCaseReference(r.PathValue("reference"))
	if err != nil {
		apiNotFound(w)
		return "", false
	}
	return ref, true
}

// apiPathID reads a numeric id of the path; anything else answers as a missing record.
func apiPathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		apiNotFound(w)
		return 0, false
	}
	return id, true
}

func apiActor(r *http.Request) tropic.Actor { return tropic.ActorFor(userFrom(r.Context())) }

// apiRequireCaseWorker refuses the collection operations (list, create, search, tasks)
// to roles that do not work cases; single records answer as missing instead.
func (s *Server) apiRequireCaseWorker(w http.ResponseWriter, r *http.Request, actor tropic.Actor) bool {
	if !tropic.CaseWorker(actor) {
		s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only caseworkers and supervisors work cases."))
		return false
	}
	return true
}

func apiRequireVersion(w http.ResponseWriter, v *int) bool {
	if v == nil {
		apiInvalid(w, "version", "Give the version of the record you edited, from the last read.")
		return false
	}
	return true
}

// apiQueryInt reads a whole number of at least 0 from the query, with a default and a cap.
func apiQueryInt(q map[string][]string, name string, def, max int, bad *tropic.Problems) int {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = vs[0]
	}
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		bad.Add(name, "must be a whole number, 0 or more")
		return def
	}
	return min(n, max)
}

func apiQueryBool(q map[string][]string, name string, def bool, bad *tropic.Problems) bool {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return def
	}
	b, err := strconv.ParseBool(vs[0])
	if err != nil {
		bad.Add(name, "must be true or false")
		return def
	}
	return b
}

func apiBadQuery(w http.ResponseWriter, bad *tropic.Problems) bool {
	if err := bad.Err(); err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The query has problems; see fields.", tropic.ErrorFields(err))
		return true
	}
	return false
}

// apiWriteCase reads the case back for the viewer, as it now stands.
func (s *Server) apiWriteCase(w http.ResponseWriter, r *http.Request, status int, ref string) {
	c, err := s.deps.Cases.FindCase(r.Context(), apiActor(r), ref)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/cases/"+c.Reference)
	}
	writeJSON(w, status, apiCaseFrom(c, s.now()))
}

// Cases.

var apiCaseSorts = []string{"", "updated", "opened", "reference", "title"}

func (s *Server) handleAPIListCases() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		var bad tropic.Problems
		f := tropic.CaseFilter{Scope: q.Get("scope"), Status: tropic.CaseStatus(q.Get("status")), District: q.Get("district"),
			Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
		switch f.Scope {
		case "", "ours", "shared":
		default:
			bad.Add("scope", "must be ours or shared, or left out for both")
		}
		switch f.Status {
		case "", tropic.CaseOpen, tropic.CaseActive, tropic.CaseClosed:
		default:
			bad.Add("status", "must be open, active or closed")
		}
		if !apiOneOf(apiCaseSorts, f.Sort) {
			bad.Add("sort", "must be updated, opened, reference or title")
		}
		f.Limit = apiQueryInt(q, "limit", 50, 200, &bad)
		f.Offset = apiQueryInt(q, "offset", 0, 1<<30, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		cases, total, err := s.deps.Cases.FindCases(r.Context(), actor, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiCaseList{Total: total, Cases: []apiCaseSummary{}}
		for _, c := range cases {
			out.Cases = append(out.Cases, apiCaseSummaryFrom(c))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func apiOneOf(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *Server) handleAPICreateCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !tropic.CanOpenCases(actor) {
			s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only caseworkers, supervisors and the triage hub can open cases."))
			return
		}
		var in apiCaseInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		c := &tropic.Case{Title: in.Title, District: in.District, Status: tropic.CaseStatus(in.Status),
			CrimeReference: in.CrimeReference, Offence: tropic.Offence(in.Offence)}
		c.Exploitation.CountyLines = in.CountyLines
		for _, t := range in.ExploitationTypes {
			c.Exploitation.Types = append(c.Exploitation.Types, tropic.ExploitationType(t))
		}
		if c.Status == tropic.CaseClosed {
			apiInvalid(w, "status", "A case opens as open or active; close it with POST /cases/{reference}/close.")
			return
		}
		if err := s.deps.Cases.CreateCase(r.Context(), actor, c, strings.TrimSpace(in.FromReport)); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"report": "from_report"})
			return
		}
		if !tropic.CaseWorker(actor) {
			// The triage hub opens cases for its agency but does not see them.
			w.Header().Set("Location", "/api/v1/cases/"+c.Reference)
			writeJSON(w, http.StatusCreated, map[string]string{"reference": c.Reference})
			return
		}
		s.apiWriteCase(w, r, http.StatusCreated, c.Reference)
	})
}

func (s *Server) handleAPIGetCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ref, ok := apiCaseRef(w, r); ok {
			s.apiWriteCase(w, r, http.StatusOK, ref)
		}
	})
}

// handleAPIUpdateCase saves the fields given; a stale version is refused with 409,
// naming who changed the case and when.
func (s *Server) handleAPIUpdateCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiCasePatch
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		actor := apiActor(r)
		c, err := s.deps.Cases.FindCase(r.Context(), actor, ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		upd := tropic.CaseUpdate{Version: *in.Version, Title: c.Title, District: c.District, Exploitation: c.Exploitation,
			Status: c.Status, CrimeReference: c.CrimeReference, Offence: c.Offence}
		apiSet(&upd.Title, in.Title)
		apiSet(&upd.District, in.District)
		apiSet(&upd.CrimeReference, in.CrimeReference)
		if in.Offence != nil {
			upd.Offence = tropic.Offence(*in.Offence)
		}
		if in.Status != nil {
			upd.Status = tropic.CaseStatus(*in.Status)
			if upd.Status != tropic.CaseOpen && upd.Status != tropic.CaseActive {
				apiInvalid(w, "status", "Set open or active; close and reopen a case with their own calls.")
				return
			}
		}
		if in.ExploitationTypes != nil {
			upd.Exploitation.Types = nil
			for _, t := range *in.ExploitationTypes {
				upd.Exploitation.Types = append(upd.Exploitation.Types, tropic.ExploitationType(t))
			}
		}
		if in.CountyLines != nil {
			upd.Exploitation.CountyLines = *in.CountyLines
		}
		if err := s.deps.Cases.UpdateCase(r.Context(), actor, ref, upd); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

func apiSet(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func (s *Server) handleAPICloseCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiCloseInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		if err := s.deps.Cases.CloseCase(r.Context(), apiActor(r), ref, tropic.CaseOutcome(in.Outcome), *in.Version); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

func (s *Server) handleAPIReopenCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiReopenInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		if err := s.deps.Cases.ReopenCase(r.Context(), apiActor(r), ref, in.Reason, *in.Version); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

func (s *Server) handleAPILinkReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiLinkReportInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		actor := apiActor(r)
		if err := s.deps.Cases.LinkReport(r.Context(), actor, ref, strings.TrimSpace(in.Reference)); err != nil {
			s.apiFail(w, r, err)
			return
		}
		if !tropic.CaseWorker(actor) {
			writeJSON(w, http.StatusOK, map[string]string{"reference": ref})
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

// People.

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

// Places, businesses, vehicles, phones, orders, notes and tasks.

// apiAddToCase decodes a body, adds what it describes to the case and answers it (201).
func apiAddToCase[In any](s *Server, add func(r *http.Request, ref string, in *In) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in In
		if !s.decodeJSON(w, r, &in) {
			return
		}
		out, err := add(r, ref, &in)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, out)
	})
}

func (s *Server) handleAPIAddPlace() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiPlaceInput) (any, error) {
		p := &tropic.Place{Kind: tropic.PlaceKind(in.Kind), Address: in.Address, Postcode: in.Postcode, Notes: in.Notes}
		err := s.deps.Cases.AddPlace(r.Context(), apiActor(r), ref, p)
		return apiPlace{ID: p.ID, Kind: string(p.Kind), Address: p.Address, Postcode: p.Postcode, Notes: p.Notes}, err
	})
}

func (s *Server) handleAPIAddBusiness() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiBusinessInput) (any, error) {
		b := &tropic.Business{Name: in.Name, Kind: in.Kind, CompanyNumber: in.CompanyNumber, Address: in.Address}
		err := s.deps.Cases.AddBusiness(r.Context(), apiActor(r), ref, b)
		return apiBusinessFrom(b), err
	})
}

func (s *Server) handleAPIAddVehicle() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiVehicleInput) (any, error) {
		v := &tropic.CaseVehicle{Registration: in.Registration, Description: in.Description}
		err := s.deps.Cases.AddVehicle(r.Context(), apiActor(r), ref, v)
		return apiVehicle{ID: v.ID, Registration: v.Registration, Normalised: v.Normalised, Description: v.Description}, err
	})
}

func (s *Server) handleAPIAddPhone() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiPhoneInput) (any, error) {
		ph := &tropic.CasePhone{Number: in.Number, Notes: in.Notes}
		err := s.deps.Cases.AddPhone(r.Context(), apiActor(r), ref, ph)
		return apiPhone{ID: ph.ID, Number: ph.Number, E164: ph.E164, Notes: ph.Notes}, err
	})
}

func (s *Server) handleAPIAddOrder() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiOrderInput) (any, error) {
		o := &tropic.Order{PersonID: in.PersonID, Kind: tropic.OrderKind(in.Kind), MadeOn: in.MadeOn, ExpiresOn: in.ExpiresOn, Notes: in.Notes}
		err := s.deps.Cases.AddOrder(r.Context(), apiActor(r), ref, o)
		return apiOrderFrom(o), err
	})
}

func (s *Server) handleAPIAddNote() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiNoteInput) (any, error) {
		n := &tropic.Note{Text: in.Text, Sensitive: in.Sensitive, Corrects: in.Corrects}
		err := s.deps.Cases.AddNote(r.Context(), apiActor(r), ref, n)
		return apiNoteFrom(n), err
	})
}

func (s *Server) handleAPIAddTask() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiTaskInput) (any, error) {
		t := &tropic.Task{Title: in.Title, AssignedAgency: in.AgencyID, AssignedUser: in.UserID, Due: in.Due}
		err := s.deps.Cases.AddTask(r.Context(), apiActor(r), ref, t)
		if t.CaseReference == "" {
			t.CaseReference = ref
		}
		return apiTaskFrom(t, s.now()), err
	})
}

// handleAPIEditNote corrects a note in place, by its author within the grace period;
// afterwards a later note must say what it corrects.
func (s *Server) handleAPIEditNote() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiNoteEditInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if err := s.deps.Cases.EditNote(r.Context(), apiActor(r), id, in.Text); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiNoteEdited{ID: id, Text: strings.TrimSpace(in.Text)})
	})
}

func (s *Server) handleAPICompleteTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		if err := s.deps.Cases.CompleteTask(r.Context(), apiActor(r), id); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: "done"})
	})
}

// handleAPIListTasks lists the user's tasks, their agency's, or the overdue ones.
func (s *Server) handleAPIListTasks() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		var bad tropic.Problems
		f := tropic.TaskFilter{Mine: apiQueryBool(q, "mine", false, &bad), MyAgency: apiQueryBool(q, "agency", false, &bad),
			Overdue: apiQueryBool(q, "overdue", false, &bad), OpenOnly: apiQueryBool(q, "open", true, &bad), Limit: apiQueryInt(q, "limit", 100, 500, &bad)}
		if !f.Mine && !f.MyAgency {
			f.Mine, f.MyAgency = true, true
		}
		if apiBadQuery(w, &bad) {
			return
		}
		tasks, err := s.deps.Cases.FindTasks(r.Context(), actor, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiTaskList{Tasks: []apiTask{}}
		for _, t := range tasks {
			out.Tasks = append(out.Tasks, apiTaskFrom(t, s.now()))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// Shares.

// handleAPIRequestShare asks to share a case (202, for a supervisor to decide), or,
// from a supervisor of the owning agency, shares it at once (201).
func (s *Server) handleAPIRequestShare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiShareInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		sh := &tropic.Share{AgencyID: in.AgencyID, Scope: tropic.ShareScope(in.Scope), LawfulBasis: in.LawfulBasis, Reason: in.Reason, Until: strings.TrimSpace(in.Until)}
		if err := s.deps.Cases.RequestShare(r.Context(), apiActor(r), ref, sh); err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := http.StatusCreated
		if sh.Status == tropic.ShareRequested {
			status = http.StatusAccepted
		}
		writeJSON(w, status, apiShareFrom(sh, s.now()))
	})
}

func (s *Server) handleAPIDecideShare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiShareDecisionInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if in.Approve == nil {
			apiInvalid(w, "approve", "Give true to approve or false to decline.")
			return
		}
		if err := s.deps.Cases.DecideShare(r.Context(), apiActor(r), id, *in.Approve); err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := tropic.ShareDeclined
		if *in.Approve {
			status = tropic.ShareActive
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(status)})
	})
}

func (s *Server) handleAPIRevokeShare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		if err := s.deps.Cases.RevokeShare(r.Context(), apiActor(r), id); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(tropic.ShareRevoked)})
	})
}

// Access log and search.

func (s *Server) handleAPIAccessLog() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		entries, err := s.deps.Cases.FindAccessLog(r.Context(), apiActor(r), ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiAccessLog{Entries: []apiAccessLogEntry{}}
		for _, e := range entries {
			out.Entries = append(out.Entries, apiAccessLogEntry{At: e.At, User: e.User, Agency: e.Agency, What: e.What})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPISearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		var bad tropic.Problems
		query := strings.TrimSpace(q.Get("q"))
		if query == "" {
			bad.Add("q", "Enter what to search for: a reference, name, phone, registration, postcode or business")
		}
		limit := apiQueryInt(q, "limit", 20, 100, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		hits, err := s.deps.Cases.Search(r.Context(), actor, query, limit)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiSearchResult{Query: query, Hits: []apiSearchHit{}}
		for _, h := range hits {
			if h.Case != nil {
				out.Hits = append(out.Hits, apiSearchHit{Case: apiCaseSummaryFrom(h.Case), Match: h.Match})
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
}
