package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Multi-agency meetings (issue 17, item 1). Every signed-in member of staff lists the
// meetings their agency attends; a meeting it does not attend answers as a missing
// page. Supervisors and partnership administrators arrange meetings, and keep the
// record of those their agency convenes. What a reader sees of a case on the agenda is
// decided by the store (tropic.AgendaView), never here.

const sessMeetingFlash = "meeting_flash"

// meetingPages wraps a meeting page: signed-in staff, when meetings are kept.
func (s *Server) meetingPages(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Meetings == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

type meetingListPage struct {
	Layout
	Flash      string
	Meetings   []*tropic.Meeting
	MayConvene bool
}

func (s *Server) handleMeetingList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.deps.Meetings.FindMeetings(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &meetingListPage{Layout: s.newLayout(r, "Meetings"), Meetings: list, MayConvene: tropic.CanConveneMeetings(actorOf(r))}
		p.Nav = "meetings"
		p.Flash = s.sessions.PopString(r.Context(), sessMeetingFlash)
		s.render(w, r, http.StatusOK, "meetings", p)
	})
}

type meetingNewPage struct {
	Layout
	Kinds    []selectOption
	Agencies []selectOption
	Title    string
	HeldOn   string
	People   string
	// Editing an arranged meeting: its id and the version the editor saw, and the
	// reason typed into the form that cancels it.
	EditID   int64
	Version  int
	Reason   string
	Recorded bool // the meeting took place: not cancelled, its date not moved
}

// renderMeetingForm shows the form to arrange a meeting, with what was typed.
func (s *Server) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, m *tropic.Meeting, heldOn string, problems []FieldError) {
	if !tropic.CanConveneMeetings(actorOf(r)) {
		s.notFound(w, r)
		return
	}
	p := &meetingNewPage{Layout: s.newLayout(r, "Arrange a meeting"), Title: m.Title, HeldOn: heldOn, People: m.People}
	s.renderMeetingFields(w, r, status, p, m, nil, problems)
}

// renderMeetingFields shows the form of a meeting's details, new or changed; the
// agencies offered are the enabled ones and those attending now (attending).
func (s *Server) renderMeetingFields(w http.ResponseWriter, r *http.Request, status int, p *meetingNewPage, m *tropic.Meeting, attending []int64, problems []FieldError) {
	agencies, err := s.deps.Agencies.FindAgencies(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	me := actorOf(r).AgencyID
	p.Nav, p.Errors = "meetings", problems
	for i, k := range tropic.MeetingKinds {
		p.Kinds = append(p.Kinds, selectOption{ID: choiceID("kind", i), Value: string(k), Label: k.Label(), Selected: m.Kind == k})
	}
	for _, a := range agencies {
		if (a.Disabled && !slices.Contains(attending, a.ID)) || a.ID == me {
			continue
		}
		p.Agencies = append(p.Agencies, selectOption{ID: choiceID("agencies", len(p.Agencies)), Value: strconv.FormatInt(a.ID, 10), Label: a.Name,
			Selected: slices.Contains(m.AgencyIDs, a.ID)})
	}
	s.render(w, r, status, "meeting_new", p)
}

// meetingEditForm is what was typed into the form changing a meeting.
type meetingEditForm struct {
	HeldOn, Reason string
	Version        int
}

// renderMeetingEdit shows the form changing meeting m (as it stands), filled with e
// and what was typed (f); only its keeper sees it, to anyone else it is missing.
func (s *Server) renderMeetingEdit(w http.ResponseWriter, r *http.Request, status int, m *tropic.Meeting, e *tropic.Meeting, f meetingEditForm, problems []FieldError) {
	if err := tropic.MayChangeMeeting(actorOf(r), m); err != nil {
		s.fail(w, r, err)
		return
	}
	p := &meetingNewPage{Layout: s.newLayout(r, "Change the meeting"), Title: e.Title, HeldOn: f.HeldOn, People: e.People,
		EditID: m.ID, Version: f.Version, Reason: f.Reason, Recorded: m.Recorded}
	s.renderMeetingFields(w, r, status, p, e, m.AgencyIDs, problems)
}

// typedDay writes a YYYY-MM-DD day as the date field asks for it: 1/12/2026.
func typedDay(day string) string {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return d.Format("2/1/2006")
	}
	return day
}

func (s *Server) handleMeetingEditForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := s.meetingFromPath(w, r)
		if m == nil {
			return
		}
		s.renderMeetingEdit(w, r, http.StatusOK, m, m, meetingEditForm{HeldOn: typedDay(m.HeldOn), Version: m.Version}, nil)
	})
}

// meetingFromForm reads the form of a meeting's details, as typed.
func meetingFromForm(r *http.Request) (*tropic.Meeting, string) {
	heldOn := r.PostFormValue("held_on")
	m := &tropic.Meeting{Kind: tropic.MeetingKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), HeldOn: caseDateInput(heldOn),
		People: r.PostFormValue("people")}
	for _, v := range r.PostForm["agencies"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			m.AgencyIDs = append(m.AgencyIDs, id)
		}
	}
	return m, heldOn
}

func (s *Server) handleMeetingEdit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		m := s.meetingFromPath(w, r)
		if m == nil {
			return
		}
		e, heldOn := meetingFromForm(r)
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		err := s.deps.Meetings.UpdateMeeting(r.Context(), actorOf(r), m.ID, tropic.MeetingEdit{Kind: e.Kind, Title: e.Title, HeldOn: e.HeldOn,
			AgencyIDs: append(e.AgencyIDs, actorOf(r).AgencyID), People: e.People, Version: version})
		f := meetingEditForm{HeldOn: heldOn, Version: version}
		switch tropic.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), sessMeetingFlash, "Meeting changed. The agencies it concerns have been told.")
			http.Redirect(w, r, meetingPath(m.ID), http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderMeetingEdit(w, r, http.StatusUnprocessableEntity, m, e, f, errorsFrom(err, "kind", "title", "held_on", "agencies", "people"))
		case tropic.ECONFLICT:
			// What was typed stays; saving again applies it over the meeting as it now stands.
			f.Version = m.Version
			s.renderMeetingEdit(w, r, http.StatusConflict, m, e, f, []FieldError{{Field: "title", Message: tropic.ErrorMessage(err)}})
		default:
			s.fail(w, r, err)
		}
	})
}

func (s *Server) handleMeetingCancel() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		m := s.meetingFromPath(w, r)
		if m == nil {
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		f := meetingEditForm{HeldOn: typedDay(m.HeldOn), Version: version, Reason: r.PostFormValue("reason")}
		err := s.deps.Meetings.CancelMeeting(r.Context(), actorOf(r), m.ID, f.Reason, version)
		switch tropic.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), sessMeetingFlash, "Meeting cancelled. The agencies attending have been told, and what was shared for it has ended.")
			http.Redirect(w, r, meetingPath(m.ID), http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderMeetingEdit(w, r, http.StatusUnprocessableEntity, m, m, f, errorsFrom(err, "reason"))
		case tropic.ECONFLICT:
			f.Version = m.Version
			s.renderMeetingEdit(w, r, http.StatusConflict, m, m, f, []FieldError{{Field: "reason", Message: tropic.ErrorMessage(err)}})
		default:
			s.fail(w, r, err)
		}
	})
}

func (s *Server) handleMeetingNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderMeetingForm(w, r, http.StatusOK, &tropic.Meeting{}, "", nil)
	})
}

func (s *Server) handleMeetingCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		if !tropic.CanConveneMeetings(actorOf(r)) {
			s.notFound(w, r)
			return
		}
		m, heldOn := meetingFromForm(r)
		err := s.deps.Meetings.CreateMeeting(r.Context(), actorOf(r), m)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, m, heldOn, errorsFrom(err, "kind", "title", "held_on", "agencies", "people"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessMeetingFlash, "Meeting arranged. Add the agenda below.")
		http.Redirect(w, r, meetingPath(m.ID), http.StatusSeeOther)
	})
}

func meetingPath(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

// meetingItemView is an agenda item as the page shows it.
type meetingItemView struct {
	*tropic.AgendaItem
	Heading  string
	Basis    string   // the lawful basis of a share made for the meeting
	Minutes  []string // paragraphs
	Typed    string   // the minutes in the form: what was typed, or what is recorded
	MinuteBy string
}

// meetingActionView is an action as the page shows it.
type meetingActionView struct {
	*tropic.MeetingAction
	Item      string // the agenda item it comes from
	Overdue   bool
	MayUpdate bool
	Statuses  []selectOption
}

// meetingForm is what was typed into the keeper's forms, kept when one is refused.
type meetingForm struct {
	Mode, Topic, Case, Scope, Basis, Until string
	Agreement, NoneWhy                     string // a shared case: the agreement cited, or why none applies
	Text, Owner, Due, Item                 string
	MinutesItem                            int64
	Minutes                                string
}

type meetingPage struct {
	Layout
	Flash   string
	M       *tropic.Meeting
	Items   []meetingItemView
	Actions []meetingActionView
	Form    meetingForm
	// The keeper's forms.
	Modes, Scopes, Bases, Agreements, ItemChoices, Owners []selectOption
	MaxShareDays                                          int
	// Held: the day of the meeting has come, so its minutes and actions may be
	// recorded (tropic.MayRecordMeeting).
	Held bool
}

// meetingView lays out a meeting for its reader, with the keeper's forms filled from f.
func (s *Server) meetingView(r *http.Request, m *tropic.Meeting, f meetingForm) (*meetingPage, error) {
	p := &meetingPage{Layout: s.newLayout(r, m.Title), M: m, Form: f, MaxShareDays: tropic.MaxMeetingShareDays, Held: m.Held(s.now())}
	p.Nav = "meetings"
	today := s.now().In(partnershipZone).Format(time.DateOnly)
	labels := map[int64]string{}
	for _, it := range m.Items {
		v := meetingItemView{AgendaItem: it, Heading: agendaHeading(it), Minutes: paragraphs(it.Minutes), Typed: it.Minutes}
		if it.Mode == tropic.AgendaShared {
			v.Basis = lawfulBasisLabel(it.LawfulBasis)
		}
		if f.MinutesItem == it.ID {
			v.Typed = f.Minutes
		}
		if !it.MinutesAt.IsZero() {
			v.MinuteBy = it.MinutesBy + ", " + caseDay(it.MinutesAt)
		}
		labels[it.ID] = v.Heading
		p.Items = append(p.Items, v)
	}
	me := actorOf(r)
	for _, a := range m.Actions {
		v := meetingActionView{MeetingAction: a, Item: labels[a.ItemID], Overdue: a.Overdue(today),
			MayUpdate: tropic.MayUpdateAction(me, a.OwnerUserID, m.MayRun) == nil}
		if a.ItemID == 0 {
			v.Item = "The meeting as a whole"
		}
		v.Statuses = actionStatusOptions(a.Status)
		p.Actions = append(p.Actions, v)
	}
	if !m.MayRun {
		return p, nil
	}
	for i, mode := range []struct{ v, l string }{{"topic", "A topic, not a case"}, {"shared", "A case shared with the attending agencies for the meeting"},
		{"reference", "A case by reference only: attendees without access see its reference and owner, nothing more"}} {
		p.Modes = append(p.Modes, selectOption{ID: choiceID("mode", i), Value: mode.v, Label: mode.l, Selected: f.Mode == mode.v})
	}
	p.Scopes = []selectOption{{Value: string(tropic.ShareWhole), Label: "The whole case", Selected: f.Scope == string(tropic.ShareWhole)},
		{Value: string(tropic.ShareWithoutSensitive), Label: "The case without sensitive fields and notes", Selected: f.Scope == string(tropic.ShareWithoutSensitive)}}
	p.Bases = []selectOption{{Value: "", Label: "Choose a lawful basis"}}
	for _, b := range tropic.LawfulBases {
		p.Bases = append(p.Bases, selectOption{Value: b.Key, Label: b.Label, Selected: f.Basis == b.Key})
	}
	// One agreement is cited for every share the item makes: one covering the keeper's
	// agency and every attending agency.
	var err error
	if p.Agreements, err = s.agreementChoices(r.Context(), me, f.Agreement, append([]int64{me.AgencyID}, m.AgencyIDs...)...); err != nil {
		return nil, err
	}
	p.ItemChoices = []selectOption{{Value: "", Label: "The meeting as a whole"}}
	for _, it := range p.Items {
		id := strconv.FormatInt(it.ID, 10)
		p.ItemChoices = append(p.ItemChoices, selectOption{Value: id, Label: it.Heading, Selected: f.Item == id})
	}
	people, err := s.deps.Meetings.FindMeetingPeople(r.Context(), me, m.ID)
	if err != nil {
		return nil, err
	}
	p.Owners = personOptions(people, f.Owner)
	return p, nil
}

// agendaHeading names an item: its topic, or its case as far as the reader may see it.
func agendaHeading(it *tropic.AgendaItem) string {
	prefix := strconv.Itoa(it.Position) + ". "
	switch {
	case it.Mode == tropic.AgendaTopic:
		return prefix + it.Topic
	case it.CaseTitle != "":
		return prefix + "Case " + it.CaseReference + ": " + it.CaseTitle
	}
	return prefix + "Case " + it.CaseReference + " (held by " + it.CaseOwner + ")"
}

// actionStatusOptions are the statuses of an action, as a select.
func actionStatusOptions(now tropic.ActionStatus) []selectOption {
	var out []selectOption
	for _, st := range tropic.ActionStatuses {
		out = append(out, selectOption{Value: string(st), Label: st.Label(), Selected: st == now})
	}
	return out
}

// meetingFromPath reads the meeting named in the path as the user may see it; it
// answers a missing or hidden one itself and then returns nil.
func (s *Server) meetingFromPath(w http.ResponseWriter, r *http.Request) *tropic.Meeting {
	id, ok := s.pathID(w, r)
	if !ok {
		return nil
	}
	m, err := s.deps.Meetings.FindMeeting(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return m
}

func (s *Server) renderMeeting(w http.ResponseWriter, r *http.Request, status int, f meetingForm, problems []FieldError) {
	m := s.meetingFromPath(w, r)
	if m == nil {
		return
	}
	p, err := s.meetingView(r, m, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Errors = problems
	if status == http.StatusOK {
		p.Flash = s.sessions.PopString(r.Context(), sessMeetingFlash)
	}
	s.render(w, r, status, "meeting", p)
}

func (s *Server) handleMeeting() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderMeeting(w, r, http.StatusOK, meetingForm{}, nil)
	})
}

// meetingDone answers a change to a meeting: on success back to the meeting with msg;
// refused input re-renders the meeting with the problems and what was typed.
func (s *Server) meetingDone(w http.ResponseWriter, r *http.Request, err error, f meetingForm, prefix, msg string, order ...string) {
	s.changeDone(w, r, err, func(problems []FieldError) {
		s.renderMeeting(w, r, http.StatusUnprocessableEntity, f, problems)
	}, prefix, order, sessMeetingFlash, msg, "/meetings/"+r.PathValue("id"))
}

// changeDone answers a form that changed something: refused input goes to refused with
// its problems (field ids prefixed), another error to the error page, and success to
// target with msg shown once (flashKey).
func (s *Server) changeDone(w http.ResponseWriter, r *http.Request, err error, refused func([]FieldError), prefix string, order []string, flashKey, msg, target string) {
	if tropic.ErrorCode(err) == tropic.EINVALID {
		refused(fieldErrors(err, prefix, order...))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), flashKey, msg)
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// personOptions lists people who may own an action, for a select.
func personOptions(people []tropic.MeetingPerson, chosen string) []selectOption {
	out := []selectOption{{Value: "", Label: "Choose the owner"}}
	for _, pe := range people {
		id := strconv.FormatInt(pe.UserID, 10)
		out = append(out, selectOption{Value: id, Label: pe.Name + " (" + pe.Agency + ")", Selected: chosen == id})
	}
	return out
}

func (s *Server) handleMeetingItemAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := meetingForm{Mode: r.PostFormValue("mode"), Topic: r.PostFormValue("topic"), Case: r.PostFormValue("case"),
			Scope: r.PostFormValue("scope"), Basis: r.PostFormValue("lawful_basis"), Until: r.PostFormValue("until"),
			Agreement: r.PostFormValue("agreement"), NoneWhy: r.PostFormValue("agreement_reason")}
		in := tropic.AgendaInput{Mode: tropic.AgendaMode(f.Mode), Topic: f.Topic, CaseRef: f.Case, Scope: tropic.ShareScope(f.Scope),
			LawfulBasis: f.Basis, Until: caseDateInput(f.Until), AgreementID: agreementID(f.Agreement), NoAgreement: f.NoneWhy}
		err := s.deps.Meetings.AddAgendaItem(r.Context(), actorOf(r), id, in)
		s.meetingDone(w, r, err, f, "", "Added to the agenda.", "mode", "topic", "case", "scope", "agreement", "agreement_reason", "lawful_basis", "until")
	})
}

func (s *Server) handleMeetingMinutes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil || item <= 0 {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := meetingForm{MinutesItem: item, Minutes: r.PostFormValue("minutes")}
		err = s.deps.Meetings.RecordMinutes(r.Context(), actorOf(r), id, item, f.Minutes)
		s.meetingDone(w, r, err, f, fmt.Sprintf("item-%d-", item), "Minutes saved.", "minutes")
	})
}

func (s *Server) handleMeetingActionAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := meetingForm{Text: r.PostFormValue("text"), Owner: r.PostFormValue("owner"), Due: r.PostFormValue("due"), Item: r.PostFormValue("item")}
		a := &tropic.MeetingAction{Action: tropic.Action{Text: f.Text, Due: caseDateInput(f.Due)}}
		a.OwnerUserID, _ = strconv.ParseInt(f.Owner, 10, 64)
		a.ItemID, _ = strconv.ParseInt(f.Item, 10, 64)
		err := s.deps.Meetings.AddMeetingAction(r.Context(), actorOf(r), id, a)
		s.meetingDone(w, r, err, f, "action-", "Action set. Its owner has been told.", "item", "text", "owner", "due")
	})
}

func (s *Server) handleMeetingActionStatus() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		action, err := strconv.ParseInt(r.PathValue("action"), 10, 64)
		if err != nil || action <= 0 {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		err = s.deps.Meetings.SetMeetingActionStatus(r.Context(), actorOf(r), id, action, tropic.ActionStatus(r.PostFormValue("status")))
		s.meetingDone(w, r, err, meetingForm{}, fmt.Sprintf("status-%d-", action), "Action status saved.", "status")
	})
}

// handleMeetingMinutesPDF sends the minutes as the reader may see them, as a PDF.
func (s *Server) handleMeetingMinutesPDF() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := s.meetingFromPath(w, r)
		if m == nil {
			return
		}
		p, err := s.meetingView(r, m, meetingForm{})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b, err := summaryPDF("Minutes: "+m.Title, meetingIntro(m), s.cfg.PartnershipName, meetingSections(p))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sendPDF(w, fmt.Sprintf("meeting-%d-minutes.pdf", m.ID), b)
	})
}

// sendPDF answers with a PDF to download.
func sendPDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func meetingIntro(m *tropic.Meeting) string {
	return m.Kind.Label() + " held on " + caseDate(m.HeldOn) + ", convened by " + m.ConvenorAgency + ". Agencies attending: " +
		strings.Join(m.Agencies, ", ") + ". These minutes show only what the reader who exported them may see: a case they have no access to appears by its reference alone."
}

// meetingSections lays out the minutes for the PDF.
func meetingSections(p *meetingPage) []summarySection {
	people := p.M.PeopleLines()
	if len(people) == 0 {
		people = []string{"Not recorded"}
	}
	out := []summarySection{{Title: "Attending", Rows: []summaryRow{{"Agencies", p.M.Agencies}, {"People", people}}}}
	agenda := summarySection{Title: "Agenda and minutes"}
	for _, it := range p.Items {
		vals := it.Minutes
		switch {
		case it.MinutesHidden:
			vals = []string{"Minuted by " + it.CaseOwner + "; you do not have access to this case."}
		case len(vals) == 0:
			vals = []string{"No minutes recorded."}
		}
		if it.Mode == tropic.AgendaShared {
			vals = append(vals, "Shared for the meeting under "+it.Basis+", until "+caseDate(it.ShareUntil)+".")
		}
		agenda.Rows = append(agenda.Rows, summaryRow{it.Heading, vals})
	}
	if len(agenda.Rows) == 0 {
		agenda.Rows = []summaryRow{{"Agenda", []string{"Nothing on the agenda."}}}
	}
	actions := summarySection{Title: "Actions"}
	for _, a := range p.Actions {
		text := a.Text
		if a.Hidden {
			text = "An action on a case you do not have access to."
		}
		status := a.Status.Label()
		if a.Overdue {
			status += " (overdue)"
		}
		actions.Rows = append(actions.Rows, summaryRow{a.Owner, []string{text, "Due " + caseDate(a.Due) + ". " + status + ". From: " + a.Item + "."}})
	}
	if len(actions.Rows) == 0 {
		actions.Rows = []summaryRow{{"Actions", []string{"No actions were set."}}}
	}
	return append(out, agenda, actions)
}
