package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The partnership plan (issue 17, item 2): one progress page for every member of staff
// (the plan holds no personal data), exported as a PDF for the steering group and the
// Police and Crime Commissioner. Analysts and partnership administrators keep it; the
// owner of an action sets its status.

// planPages wraps a plan page: signed-in staff, when the plan is kept.
func (s *Server) planPages(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Plan == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

// planObjectiveView is an objective as the page shows it.
type planObjectiveView struct {
	*tropic.Objective
	Paras     []string // the description's paragraphs
	Measure   string   // the figure's value in the latest release, or why there is none
	SetBy     string   // who set the status now, when and why
	History   []planRAGRow
	Actions   []planActionView
	RAGs      []selectOption
	Typed     planForm // what was typed into this objective's forms
	FormsPath string
}

type planRAGRow struct {
	RAG          tropic.RAG
	When, Reason string
	By           string
}

type planActionView struct {
	*tropic.PlanAction
	Overdue   bool
	MayUpdate bool
	Statuses  []selectOption
}

// planForm is what was typed into a form of the plan page, kept when refused.
type planForm struct {
	Objective                       int64 // the objective whose form it was; 0: the new objective
	Title, Description, Figure, RAG string
	Reason, Text, Owner, Due        string
}

type planPage struct {
	Layout
	Flash      string
	Objectives []planObjectiveView
	Release    string // the latest release's name; "" when none is published
	MayChange  bool
	New        planForm
	Figures    []selectOption
	NewRAGs    []selectOption
	Owners     []selectOption
	Counts     map[string]int // objectives by RAG status
}

const sessPlanFlash = "plan_flash"

// planView lays out the plan; f is what was typed into a refused form.
func (s *Server) planView(r *http.Request, f planForm) (*planPage, error) {
	me := actorOf(r)
	objs, err := s.deps.Plan.FindPlan(r.Context(), me)
	if err != nil {
		return nil, err
	}
	var rel *tropic.Release
	if s.deps.Releases != nil {
		if rel, err = s.deps.Releases.LatestRelease(r.Context()); tropic.ErrorCode(err) == tropic.ENOTFOUND {
			rel, err = nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	p := &planPage{Layout: s.newLayout(r, "Partnership plan"), MayChange: tropic.CanCoordinate(me), Counts: map[string]int{}}
	p.Nav = "plan"
	if rel != nil {
		p.Release = rel.Name
	}
	today := s.now().In(partnershipZone).Format(time.DateOnly)
	for _, o := range objs {
		v := planObjectiveView{Objective: o, Paras: paragraphs(o.Description), Measure: measure(o.Figure, rel), FormsPath: "/plan/objectives/" + strconv.FormatInt(o.ID, 10)}
		p.Counts[string(o.RAG)]++
		for i, h := range o.History {
			row := planRAGRow{RAG: h.RAG, When: h.At.In(partnershipZone).Format("2 January 2006 15:04"), Reason: h.Reason, By: h.By}
			if i == 0 {
				v.SetBy = row.By + ", " + row.When + ": " + row.Reason
			}
			v.History = append(v.History, row)
		}
		for _, a := range o.Actions {
			v.Actions = append(v.Actions, planActionView{PlanAction: a, Overdue: a.Overdue(today),
				MayUpdate: tropic.MayUpdateAction(me, a.OwnerUserID, p.MayChange) == nil, Statuses: actionStatusOptions(a.Status)})
		}
		if f.Objective == o.ID {
			v.Typed = f
		}
		v.RAGs = ragOptions(tropic.RAG(v.Typed.RAG), fmt.Sprintf("o%d-rag", o.ID))
		p.Objectives = append(p.Objectives, v)
	}
	if !p.MayChange {
		return p, nil
	}
	if f.Objective == 0 {
		p.New = f
	}
	p.Figures = []selectOption{{Value: "", Label: "None", Selected: p.New.Figure == ""}}
	for _, fig := range tropic.Figures {
		p.Figures = append(p.Figures, selectOption{Value: string(fig), Label: fig.Label(), Selected: p.New.Figure == string(fig)})
	}
	p.NewRAGs = ragOptions(tropic.RAG(p.New.RAG), "rag")
	people, err := s.deps.Plan.FindPlanPeople(r.Context(), me)
	if err != nil {
		return nil, err
	}
	p.Owners = personOptions(people, "")
	return p, nil
}

// measure states the figure's value in the latest release.
func measure(f tropic.Figure, rel *tropic.Release) string {
	if f == "" {
		return ""
	}
	h, ok := tropic.ReleasedFigure(rel, f)
	if !ok {
		return f.Label() + ": no statistics release has published it yet."
	}
	return fmt.Sprintf("%s: %s from %s (statistics release %s); %s in the same days a year earlier.", f.Label(), h.ThisYear, rel.Covers.String(), rel.Name, h.LastYear)
}

func ragOptions(now tropic.RAG, idPrefix string) []selectOption {
	var out []selectOption
	for i, g := range tropic.RAGs {
		out = append(out, selectOption{ID: choiceID(idPrefix, i), Value: string(g), Label: g.Label(), Selected: g == now})
	}
	return out
}

func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, f planForm, problems []FieldError) {
	p, err := s.planView(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Errors = problems
	if status == http.StatusOK {
		p.Flash = s.sessions.PopString(r.Context(), sessPlanFlash)
	}
	s.render(w, r, status, "plan", p)
}

func (s *Server) handlePlan() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderPlan(w, r, http.StatusOK, planForm{}, nil)
	})
}

// planDone answers a change to the plan, as meetingDone does for meetings.
func (s *Server) planDone(w http.ResponseWriter, r *http.Request, err error, f planForm, prefix, msg, anchor string, order ...string) {
	s.changeDone(w, r, err, func(problems []FieldError) {
		s.renderPlan(w, r, http.StatusUnprocessableEntity, f, problems)
	}, prefix, order, sessPlanFlash, msg, "/plan"+anchor)
}

func (s *Server) handlePlanObjectiveCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		f := planForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Figure: r.PostFormValue("figure"),
			RAG: r.PostFormValue("rag"), Reason: r.PostFormValue("reason")}
		id, err := s.deps.Plan.CreateObjective(r.Context(), actorOf(r), tropic.ObjectiveInput{Title: f.Title, Description: f.Description,
			Figure: tropic.Figure(f.Figure), RAG: tropic.RAG(f.RAG), Reason: f.Reason})
		s.planDone(w, r, err, f, "", "Objective added.", fmt.Sprintf("#objective-%d", id), "title", "description", "figure", "rag", "reason")
	})
}

func (s *Server) handlePlanRAG() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := planForm{Objective: id, RAG: r.PostFormValue("rag"), Reason: r.PostFormValue("reason")}
		err := s.deps.Plan.SetRAG(r.Context(), actorOf(r), id, tropic.RAG(f.RAG), f.Reason)
		s.planDone(w, r, err, f, fmt.Sprintf("o%d-", id), "Status changed. The change is kept in the objective's history.", fmt.Sprintf("#objective-%d", id), "rag", "reason")
	})
}

func (s *Server) handlePlanActionAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := planForm{Objective: id, Text: r.PostFormValue("text"), Owner: r.PostFormValue("owner"), Due: r.PostFormValue("due")}
		a := &tropic.PlanAction{Action: tropic.Action{Text: f.Text, Due: caseDateInput(f.Due)}}
		a.OwnerUserID, _ = strconv.ParseInt(f.Owner, 10, 64)
		err := s.deps.Plan.AddPlanAction(r.Context(), actorOf(r), id, a)
		s.planDone(w, r, err, f, fmt.Sprintf("o%d-", id), "Action added. Its owner has been told.", fmt.Sprintf("#objective-%d", id), "text", "owner", "due")
	})
}

func (s *Server) handlePlanActionStatus() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		err := s.deps.Plan.SetPlanActionStatus(r.Context(), actorOf(r), id, tropic.ActionStatus(r.PostFormValue("status")))
		s.planDone(w, r, err, planForm{}, fmt.Sprintf("a%d-", id), "Action status saved.", "", "status")
	})
}

// handlePlanPDF sends the progress report for the steering group and the PCC.
func (s *Server) handlePlanPDF() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.planView(r, planForm{})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		day := s.now().In(partnershipZone)
		intro := fmt.Sprintf("Progress against the partnership plan on %s, for the steering group and the Police and Crime Commissioner. %d objectives: %d red, %d amber, %d green.",
			day.Format("2 January 2006"), len(p.Objectives), p.Counts["red"], p.Counts["amber"], p.Counts["green"])
		if p.Release != "" {
			intro += " Figures are from statistics release " + p.Release + "."
		}
		var sections []summarySection
		for _, o := range p.Objectives {
			sec := summarySection{Title: o.Title, Rows: []summaryRow{{"Status", []string{o.RAG.Label(), "Set by " + o.SetBy}}}}
			if o.Description != "" {
				sec.Rows = append(sec.Rows, summaryRow{"Objective", paragraphs(o.Description)})
			}
			if o.Measure != "" {
				sec.Rows = append(sec.Rows, summaryRow{"Measured by", []string{o.Measure}})
			}
			var hist []string
			for i, h := range o.History {
				if i == 0 {
					continue // the status now, above
				}
				hist = append(hist, h.When+": "+h.RAG.Label()+", by "+h.By+": "+h.Reason)
			}
			if len(hist) > 0 {
				sec.Rows = append(sec.Rows, summaryRow{"Earlier statuses", hist})
			}
			for _, a := range o.Actions {
				status := a.Status.Label()
				if a.Overdue {
					status += " (overdue)"
				}
				sec.Rows = append(sec.Rows, summaryRow{"Action: " + a.Owner, []string{a.Text, "Due " + caseDate(a.Due) + ". " + status + "."}})
			}
			sections = append(sections, sec)
		}
		b, err := summaryPDF("Partnership plan: progress", intro, s.cfg.PartnershipName, sections)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sendPDF(w, "partnership-plan-"+day.Format(time.DateOnly)+".pdf", b)
	})
}
