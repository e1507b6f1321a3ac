package web

import (
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The JSON API of meetings and the partnership plan (issue 17): the operations of the
// pages, under the same rules (the store's) and the one error mapping (apiFail). What
// a reader sees of a case on an agenda is decided by the store (tropic.AgendaView):
// an attendee without access to the case gets its reference and owner only.

type apiMeeting struct {
	ID             int64               `json:"id"`
	Kind           string              `json:"kind"`
	Title          string              `json:"title"`
	HeldOn         string              `json:"held_on"`
	ConvenorAgency string              `json:"convenor_agency"`
	AgencyIDs      []int64             `json:"agency_ids"`
	Agencies       []string            `json:"agencies"`
	People         string              `json:"people"`
	Version        int                 `json:"version"`
	MayRun         bool                `json:"may_run"`
	CancelledAt    *time.Time          `json:"cancelled_at"`
	CancelReason   string              `json:"cancel_reason"`
	Items          []apiAgendaItem     `json:"items,omitempty"`
	Actions        []apiMeetingActionV `json:"actions,omitempty"`
}

type apiAgendaItem struct {
	ID            int64      `json:"id"`
	Position      int        `json:"position"`
	Mode          string     `json:"mode"`
	Topic         string     `json:"topic"`
	CaseReference string     `json:"case_reference"`
	CaseOwner     string     `json:"case_owner"`
	CaseTitle     string     `json:"case_title"`
	Readable      bool       `json:"readable"`
	LawfulBasis   string     `json:"lawful_basis"`
	ShareUntil    string     `json:"share_until"`
	Minutes       string     `json:"minutes"`
	MinutesHidden bool       `json:"minutes_hidden"`
	MinutesBy     string     `json:"minutes_by"`
	MinutesAt     *time.Time `json:"minutes_at"`
}

type apiMeetingActionV struct {
	ID          int64      `json:"id"`
	ItemID      int64      `json:"item_id"`
	Text        string     `json:"text"`
	Hidden      bool       `json:"hidden"`
	OwnerUserID int64      `json:"owner_user_id"`
	Owner       string     `json:"owner"`
	Due         string     `json:"due"`
	Status      string     `json:"status"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

type apiMeetingList struct {
	Meetings []apiMeeting `json:"meetings"`
}

func apiMeetingOf(m *tropic.Meeting) apiMeeting {
	out := apiMeeting{ID: m.ID, Kind: string(m.Kind), Title: m.Title, HeldOn: m.HeldOn, ConvenorAgency: m.ConvenorAgency,
		AgencyIDs: m.AgencyIDs, Agencies: m.Agencies, People: m.People, Version: m.Version, MayRun: m.MayRun,
		CancelledAt: apiTime(m.CancelledAt), CancelReason: m.CancelReason}
	for _, it := range m.Items {
		out.Items = append(out.Items, apiAgendaItem{ID: it.ID, Position: it.Position, Mode: string(it.Mode), Topic: it.Topic,
			CaseReference: it.CaseReference, CaseOwner: it.CaseOwner, CaseTitle: it.CaseTitle, Readable: it.Readable(),
			LawfulBasis: it.LawfulBasis, ShareUntil: it.ShareUntil, Minutes: it.Minutes, MinutesHidden: it.MinutesHidden,
			MinutesBy: it.MinutesBy, MinutesAt: apiTime(it.MinutesAt)})
	}
	for _, a := range m.Actions {
		out.Actions = append(out.Actions, apiMeetingActionV{ID: a.ID, ItemID: a.ItemID, Text: a.Text, Hidden: a.Hidden,
			OwnerUserID: a.OwnerUserID, Owner: a.Owner, Due: a.Due, Status: string(a.Status), UpdatedBy: a.UpdatedBy, UpdatedAt: apiTime(a.UpdatedAt)})
	}
	return out
}

// Request bodies.

type apiMeetingInput struct {
	Kind      string  `json:"kind"`
	Title     string  `json:"title"`
	HeldOn    string  `json:"held_on"`
	AgencyIDs []int64 `json:"agency_ids"`
	People    string  `json:"people"`
}

type apiMeetingPatch struct {
	Kind      *string  `json:"kind"`
	Title     *string  `json:"title"`
	HeldOn    *string  `json:"held_on"`
	AgencyIDs *[]int64 `json:"agency_ids"`
	People    *string  `json:"people"`
	Version   *int     `json:"version"`
}

type apiMeetingCancel struct {
	Reason  string `json:"reason"`
	Version *int   `json:"version"`
}

type apiAgendaInput struct {
	Mode              string `json:"mode"`
	Topic             string `json:"topic"`
	CaseReference     string `json:"case_reference"`
	Scope             string `json:"scope"`
	LawfulBasis       string `json:"lawful_basis"`
	Until             string `json:"until"`
	AgreementID       int64  `json:"agreement_id"`
	NoAgreementReason string `json:"no_agreement_reason"`
}

type apiMinutesInput struct {
	Minutes string `json:"minutes"`
}

type apiActionInput struct {
	Text        string `json:"text"`
	OwnerUserID int64  `json:"owner_user_id"`
	Due         string `json:"due"`
	ItemID      int64  `json:"item_id"`
}

type apiPlanActionInput struct {
	Text        string `json:"text"`
	OwnerUserID int64  `json:"owner_user_id"`
	Due         string `json:"due"`
}

type apiStatusInput struct {
	Status string `json:"status"`
}

// apiMeetingFields names the domain's fields of meetings by their JSON names.
var apiMeetingFields = map[string]string{"agencies": "agency_ids", "case": "case_reference", "owner": "owner_user_id", "item": "item_id"}

// meetingsAPI wraps a meeting route: answered as missing when meetings are not kept.
func (s *Server) meetingsAPI(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Meetings == nil {
			apiNotFound(w)
			return
		}
		h(w, r)
	})
}

// apiWriteMeeting answers with meeting id as the actor may now see it.
func (s *Server) apiWriteMeeting(w http.ResponseWriter, r *http.Request, status int, id int64) {
	m, err := s.deps.Meetings.FindMeeting(r.Context(), apiActor(r), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, status, apiMeetingOf(m))
}

// apiMeetingDone answers a change to meeting id: the meeting, or the refusal.
func (s *Server) apiMeetingDone(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if err != nil {
		s.apiFailNamed(w, r, err, apiMeetingFields)
		return
	}
	s.apiWriteMeeting(w, r, http.StatusOK, id)
}

func (s *Server) handleAPIListMeetings() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.deps.Meetings.FindMeetings(r.Context(), apiActor(r))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiMeetingList{Meetings: []apiMeeting{}}
		for _, m := range list {
			out.Meetings = append(out.Meetings, apiMeetingOf(m))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPICreateMeeting() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		var in apiMeetingInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		m := &tropic.Meeting{Kind: tropic.MeetingKind(in.Kind), Title: in.Title, HeldOn: in.HeldOn, AgencyIDs: in.AgencyIDs, People: in.People}
		if err := s.deps.Meetings.CreateMeeting(r.Context(), apiActor(r), m); err != nil {
			s.apiFailNamed(w, r, err, apiMeetingFields)
			return
		}
		s.apiWriteMeeting(w, r, http.StatusCreated, m.ID)
	})
}

func (s *Server) handleAPIGetMeeting() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := apiPathID(w, r); ok {
			s.apiWriteMeeting(w, r, http.StatusOK, id)
		}
	})
}

// handleAPIUpdateMeeting changes the fields given, against the version read.
func (s *Server) handleAPIUpdateMeeting() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiMeetingPatch
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		actor := apiActor(r)
		m, err := s.deps.Meetings.FindMeeting(r.Context(), actor, id)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		e := tropic.MeetingEdit{Kind: m.Kind, Title: m.Title, HeldOn: m.HeldOn, AgencyIDs: m.AgencyIDs, People: m.People, Version: *in.Version}
		if in.Kind != nil {
			e.Kind = tropic.MeetingKind(*in.Kind)
		}
		apiSet(&e.Title, in.Title)
		apiSet(&e.HeldOn, in.HeldOn)
		apiSet(&e.People, in.People)
		if in.AgencyIDs != nil {
			e.AgencyIDs = *in.AgencyIDs
		}
		s.apiMeetingDone(w, r, id, s.deps.Meetings.UpdateMeeting(r.Context(), actor, id, e))
	})
}

func (s *Server) handleAPICancelMeeting() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiMeetingCancel
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		s.apiMeetingDone(w, r, id, s.deps.Meetings.CancelMeeting(r.Context(), apiActor(r), id, in.Reason, *in.Version))
	})
}

func (s *Server) handleAPIAddAgendaItem() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, in, ok := apiIDAndBody[apiAgendaInput](s, w, r)
		if !ok {
			return
		}
		err := s.deps.Meetings.AddAgendaItem(r.Context(), apiActor(r), id, tropic.AgendaInput{Mode: tropic.AgendaMode(in.Mode), Topic: in.Topic,
			CaseRef: in.CaseReference, Scope: tropic.ShareScope(in.Scope), LawfulBasis: in.LawfulBasis, Until: in.Until,
			AgreementID: in.AgreementID, NoAgreement: in.NoAgreementReason})
		s.apiMeetingDone(w, r, id, err)
	})
}

// apiIDAndBody reads the id of the path and the JSON body; it answers a missing
// record or a bad body itself, and then returns false.
func apiIDAndBody[T any](s *Server, w http.ResponseWriter, r *http.Request) (int64, T, bool) {
	var in T
	id, ok := apiPathID(w, r)
	if !ok || !s.decodeJSON(w, r, &in) {
		return 0, in, false
	}
	return id, in, true
}

// apiPairAndBody is apiIDAndBody for a path with a second id (name) below the first.
func apiPairAndBody[T any](s *Server, w http.ResponseWriter, r *http.Request, name string) (int64, int64, T, bool) {
	var in T
	id, ok := apiPathID(w, r)
	if !ok {
		return 0, 0, in, false
	}
	sub, ok := apiSubID(w, r, name)
	if !ok || !s.decodeJSON(w, r, &in) {
		return 0, 0, in, false
	}
	return id, sub, in, true
}

// apiSubID reads a second numeric id of the path; anything else answers as missing.
func apiSubID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		apiNotFound(w)
		return 0, false
	}
	return id, true
}

func (s *Server) handleAPIRecordMinutes() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, item, in, ok := apiPairAndBody[apiMinutesInput](s, w, r, "item")
		if !ok {
			return
		}
		s.apiMeetingDone(w, r, id, s.deps.Meetings.RecordMinutes(r.Context(), apiActor(r), id, item, in.Minutes))
	})
}

func (s *Server) handleAPIAddMeetingAction() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, in, ok := apiIDAndBody[apiActionInput](s, w, r)
		if !ok {
			return
		}
		a := &tropic.MeetingAction{Action: tropic.Action{Text: in.Text, OwnerUserID: in.OwnerUserID, Due: in.Due}, ItemID: in.ItemID}
		err := s.deps.Meetings.AddMeetingAction(r.Context(), apiActor(r), id, a)
		if err != nil {
			s.apiFailNamed(w, r, err, apiMeetingFields)
			return
		}
		s.apiWriteMeeting(w, r, http.StatusCreated, id)
	})
}

func (s *Server) handleAPIMeetingActionStatus() http.Handler {
	return s.meetingsAPI(func(w http.ResponseWriter, r *http.Request) {
		id, action, in, ok := apiPairAndBody[apiStatusInput](s, w, r, "action")
		if !ok {
			return
		}
		s.apiMeetingDone(w, r, id, s.deps.Meetings.SetMeetingActionStatus(r.Context(), apiActor(r), id, action, tropic.ActionStatus(in.Status)))
	})
}

// The partnership plan.

type apiRAGChange struct {
	RAG    string     `json:"rag"`
	Reason string     `json:"reason"`
	By     string     `json:"by"`
	At     *time.Time `json:"at"`
}

type apiPlanActionV struct {
	ID          int64      `json:"id"`
	ObjectiveID int64      `json:"objective_id"`
	Text        string     `json:"text"`
	OwnerUserID int64      `json:"owner_user_id"`
	Owner       string     `json:"owner"`
	Due         string     `json:"due"`
	Status      string     `json:"status"`
	UpdatedBy   string     `json:"updated_by"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

type apiObjective struct {
	ID          int64            `json:"id"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Figure      string           `json:"figure"`
	RAG         string           `json:"rag"`
	History     []apiRAGChange   `json:"history"`
	Actions     []apiPlanActionV `json:"actions"`
	CreatedAt   *time.Time       `json:"created_at"`
}

type apiPlan struct {
	Objectives []apiObjective `json:"objectives"`
	MayChange  bool           `json:"may_change"`
}

type apiObjectiveInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Figure      string `json:"figure"`
	RAG         string `json:"rag"`
	Reason      string `json:"reason"`
}

type apiRAGInput struct {
	RAG    string `json:"rag"`
	Reason string `json:"reason"`
}

// planAPI wraps a plan route: answered as missing when the plan is not kept.
func (s *Server) planAPI(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Plan == nil {
			apiNotFound(w)
			return
		}
		h(w, r)
	})
}

// apiWritePlan answers with the plan as it stands.
func (s *Server) apiWritePlan(w http.ResponseWriter, r *http.Request, status int) {
	actor := apiActor(r)
	objs, err := s.deps.Plan.FindPlan(r.Context(), actor)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	out := apiPlan{Objectives: []apiObjective{}, MayChange: tropic.CanCoordinate(actor)}
	for _, o := range objs {
		v := apiObjective{ID: o.ID, Title: o.Title, Description: o.Description, Figure: string(o.Figure), RAG: string(o.RAG),
			History: []apiRAGChange{}, Actions: []apiPlanActionV{}, CreatedAt: apiTime(o.CreatedAt)}
		for _, h := range o.History {
			v.History = append(v.History, apiRAGChange{RAG: string(h.RAG), Reason: h.Reason, By: h.By, At: apiTime(h.At)})
		}
		for _, a := range o.Actions {
			v.Actions = append(v.Actions, apiPlanActionV{ID: a.ID, ObjectiveID: o.ID, Text: a.Text, OwnerUserID: a.OwnerUserID, Owner: a.Owner,
				Due: a.Due, Status: string(a.Status), UpdatedBy: a.UpdatedBy, UpdatedAt: apiTime(a.UpdatedAt)})
		}
		out.Objectives = append(out.Objectives, v)
	}
	writeJSON(w, status, out)
}

// apiPlanDone answers a change to the plan: the plan, or the refusal.
func (s *Server) apiPlanDone(w http.ResponseWriter, r *http.Request, status int, err error) {
	if err != nil {
		s.apiFailNamed(w, r, err, apiMeetingFields)
		return
	}
	s.apiWritePlan(w, r, status)
}

func (s *Server) handleAPIGetPlan() http.Handler {
	return s.planAPI(func(w http.ResponseWriter, r *http.Request) { s.apiWritePlan(w, r, http.StatusOK) })
}

func (s *Server) handleAPICreateObjective() http.Handler {
	return s.planAPI(func(w http.ResponseWriter, r *http.Request) {
		var in apiObjectiveInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		_, err := s.deps.Plan.CreateObjective(r.Context(), apiActor(r), tropic.ObjectiveInput{Title: in.Title, Description: in.Description,
			Figure: tropic.Figure(in.Figure), RAG: tropic.RAG(in.RAG), Reason: in.Reason})
		s.apiPlanDone(w, r, http.StatusCreated, err)
	})
}

func (s *Server) handleAPISetRAG() http.Handler {
	return s.planAPI(func(w http.ResponseWriter, r *http.Request) {
		id, in, ok := apiIDAndBody[apiRAGInput](s, w, r)
		if !ok {
			return
		}
		s.apiPlanDone(w, r, http.StatusOK, s.deps.Plan.SetRAG(r.Context(), apiActor(r), id, tropic.RAG(in.RAG), in.Reason))
	})
}

func (s *Server) handleAPIAddPlanAction() http.Handler {
	return s.planAPI(func(w http.ResponseWriter, r *http.Request) {
		id, in, ok := apiIDAndBody[apiPlanActionInput](s, w, r)
		if !ok {
			return
		}
		a := &tropic.PlanAction{Action: tropic.Action{Text: in.Text, OwnerUserID: in.OwnerUserID, Due: in.Due}}
		s.apiPlanDone(w, r, http.StatusCreated, s.deps.Plan.AddPlanAction(r.Context(), apiActor(r), id, a))
	})
}

func (s *Server) handleAPIPlanActionStatus() http.Handler {
	return s.planAPI(func(w http.ResponseWriter, r *http.Request) {
		id, in, ok := apiIDAndBody[apiStatusInput](s, w, r)
		if !ok {
			return
		}
		s.apiPlanDone(w, r, http.StatusOK, s.deps.Plan.SetPlanActionStatus(r.Context(), apiActor(r), id, tropic.ActionStatus(in.Status)))
	})
}
