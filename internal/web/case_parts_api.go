package web

import (
	"net/http"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases API: what a case holds (places, businesses, vehicles, phones, orders),
// its notes and its tasks.

type apiPlace struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Address  string `json:"address"`
	Postcode string `json:"postcode,omitempty"`
	Notes    string `json:"notes,omitempty"`
	Version  int    `json:"version"`
}

type apiBusiness struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	CompanyNumber string `json:"company_number,omitempty"`
	Address       string `json:"address,omitempty"`
	Version       int    `json:"version"`
}

type apiVehicle struct {
	ID           int64  `json:"id"`
	Registration string `json:"registration"` // as typed
	Normalised   string `json:"normalised"`
	Description  string `json:"description,omitempty"`
	Version      int    `json:"version"`
}

type apiPhone struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"` // as typed
	E164    string `json:"e164"`
	Notes   string `json:"notes,omitempty"`
	Version int    `json:"version"`
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
	Version       int        `json:"version"`
}

type apiOrder struct {
	ID        int64  `json:"id"`
	PersonID  int64  `json:"person_id"`
	Kind      string `json:"kind"`
	MadeOn    string `json:"made_on,omitempty"`
	ExpiresOn string `json:"expires_on,omitempty"`
	Notes     string `json:"notes,omitempty"`
	Version   int    `json:"version"`
}

type apiTaskList struct {
	Tasks []apiTask `json:"tasks"`
}

type apiNoteEdited struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
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

func apiPlaceFrom(p *tropic.Place) apiPlace {
	return apiPlace{ID: p.ID, Kind: string(p.Kind), Address: p.Address, Postcode: p.Postcode, Notes: p.Notes, Version: max(p.Version, 1)}
}

func apiBusinessFrom(x *tropic.Business) apiBusiness {
	return apiBusiness{ID: x.ID, Name: x.Name, Kind: x.Kind, CompanyNumber: x.CompanyNumber, Address: x.Address, Version: max(x.Version, 1)}
}

func apiVehicleFrom(v *tropic.CaseVehicle) apiVehicle {
	return apiVehicle{ID: v.ID, Registration: v.Registration, Normalised: v.Normalised, Description: v.Description, Version: max(v.Version, 1)}
}

func apiPhoneFrom(ph *tropic.CasePhone) apiPhone {
	return apiPhone{ID: ph.ID, Number: ph.Number, E164: ph.E164, Notes: ph.Notes, Version: max(ph.Version, 1)}
}

func apiNoteFrom(n *tropic.Note) apiNote {
	return apiNote{ID: n.ID, Author: n.Author, Agency: n.Agency, At: n.At, Text: n.Text, Sensitive: n.Sensitive,
		Corrects: n.Corrects, EditedAt: apiTime(n.EditedAt)}
}

func apiTaskFrom(t *tropic.Task, now time.Time) apiTask {
	return apiTask{ID: t.ID, CaseReference: t.CaseReference, Title: t.Title, AgencyID: t.AssignedAgency, AgencyName: t.AgencyName,
		UserID: t.AssignedUser, UserName: t.UserName, Due: t.Due, Done: t.Done, DoneAt: apiTime(t.DoneAt),
		Overdue: t.Overdue(now), CreatedBy: t.CreatedBy, Version: max(t.Version, 1)}
}

func apiOrderFrom(o *tropic.Order) apiOrder {
	return apiOrder{ID: o.ID, PersonID: o.PersonID, Kind: string(o.Kind), MadeOn: o.MadeOn, ExpiresOn: o.ExpiresOn, Notes: o.Notes, Version: max(o.Version, 1)}
}

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
		return apiPlaceFrom(p), err
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
		return apiVehicleFrom(v), err
	})
}

func (s *Server) handleAPIAddPhone() http.Handler {
	return apiAddToCase(s, func(r *http.Request, ref string, in *apiPhoneInput) (any, error) {
		ph := &tropic.CasePhone{Number: in.Number, Notes: in.Notes}
		err := s.deps.Cases.AddPhone(r.Context(), apiActor(r), ref, ph)
		return apiPhoneFrom(ph), err
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
