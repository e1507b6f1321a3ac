package web

import (
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// Creating a case, and the small actions posted from the case page itself: add a
// note, change a note in its grace period, complete a task, decide or revoke a share.

// handleCaseNewForm shows the form for a new case, filled in from a report when
// opened from one (?report=REF) that the user may see.
func (s *Server) handleCaseNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := caseForm{}
		if ref := strings.TrimSpace(r.URL.Query().Get("report")); ref != "" {
			rep, err := s.findReportForCase(r, ref)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			f = caseFormFromReport(rep, s.lookupDistrictName(r, rep.Location.District))
		}
		s.renderCaseNew(w, r, http.StatusOK, f, nil)
	})
}

// handleCaseCreate opens a case owned by the user's agency.
func (s *Server) handleCaseCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		f := caseFieldsForm(r)
		f.Officer, f.ReviewOn = r.PostFormValue("officer"), r.PostFormValue("review_on")
		c := &tropic.Case{Title: f.Title, District: f.District, Exploitation: exploitationFrom(f.Exploitation, f.CountyLines),
			CrimeReference: f.CrimeReference, Offence: tropic.Offence(f.Offence), ReviewOn: caseDateInput(f.ReviewOn)}
		c.OfficerUserID, _ = strconv.ParseInt(f.Officer, 10, 64)
		from := ""
		if f.Report != "" {
			ref, err := tropic.ParseReference(f.Report)
			if err != nil {
				s.notFound(w, r)
				return
			}
			from = ref
		}
		err := s.deps.Cases.CreateCase(r.Context(), actorOf(r), c, from)
		switch tropic.ErrorCode(err) {
		case "":
			msg := "Case " + c.Reference + " has been created. Your agency owns it."
			if from != "" {
				msg = "Case " + c.Reference + " has been created from report " + from + ", which is now linked to it."
			}
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(c.Reference), http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderCaseNew(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, "", append(caseFieldsOrder, "officer", "review_on")...))
		default:
			s.fail(w, r, err)
		}
	})
}

func (s *Server) renderCaseNew(w http.ResponseWriter, r *http.Request, status int, f caseForm, errs []FieldError) {
	p := &caseFormPage{
		Layout:  s.newLayout(r, "Create a case"),
		Kind:    "new",
		Heading: "Create a case",
		Intro:   "Your agency will own the case. You can add people, places and the rest once it is created, and share it with other agencies that need to know.",
		Action:  "/cases/new",
		Back:    "/cases",
		Submit:  "Create the case",
		Form:    f,
	}
	if f.Report != "" {
		p.Caption = "From report " + f.Report
		p.Intro = "The report will be linked to the case and leave the triage queue. " + p.Intro
		p.Back = triageReportPath(f.Report)
	}
	p.Nav = "cases"
	p.Errors = errs
	if err := s.fillCaseFormOptions(r.Context(), p, nil); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "case_form", p)
}

// findReportForCase finds a report the user may see, by its reference as typed.
func (s *Server) findReportForCase(r *http.Request, typed string) (*tropic.Report, error) {
	ref, err := tropic.ParseReference(typed)
	if err != nil {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "No such report.")
	}
	return s.deps.Reports.FindReportByReference(r.Context(), actorOf(r), ref)
}

// lookupDistrictName names a district slug, "" when unknown.
func (s *Server) lookupDistrictName(r *http.Request, slug string) string {
	districts, err := s.deps.Reports.FindDistricts(r.Context())
	if err != nil {
		return ""
	}
	for _, d := range districts {
		if d.Slug == slug {
			return d.Name
		}
	}
	return ""
}

// caseFormFromReport fills a new case's form from the report it is opened from.
func caseFormFromReport(rep *tropic.Report, districtName string) caseForm {
	f := caseForm{Report: rep.Reference, Title: caseTitleFromReport(rep, districtName), CountyLines: rep.Exploitation.CountyLines}
	if districtName != "" {
		f.District = rep.Location.District
	}
	for _, t := range rep.Exploitation.Types {
		f.Exploitation = append(f.Exploitation, string(t))
	}
	return f
}

// caseTitleFromReport is the title a case opened from a report starts with:
// "Labour exploitation, St Albans (report KM7Q-2XP-A72)".
func caseTitleFromReport(rep *tropic.Report, districtName string) string {
	what := "Suspected exploitation"
	if l := rep.Exploitation.Label(); l != tropic.ExploitNotSpecified.Label() {
		what = l + " exploitation"
	}
	if districtName != "" {
		what += ", " + districtName
	}
	return what + " (report " + rep.Reference + ")"
}

// handleCaseNote adds a note to the timeline; a problem re-renders the case page
// with the note as typed.
func (s *Server) handleCaseNote() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := caseNoteForm{Text: r.PostFormValue("text"), Sensitive: r.PostFormValue("sensitive") == "1", Corrects: r.PostFormValue("corrects")}
		n := &tropic.Note{Text: strings.TrimSpace(f.Text), Sensitive: f.Sensitive}
		n.Corrects, _ = strconv.ParseInt(f.Corrects, 10, 64)
		var err error
		if n.Text == "" {
			err = invalid("text", "Enter the note")
		} else {
			err = s.deps.Cases.AddNote(r.Context(), actorOf(r), ref, n)
		}
		switch tropic.ErrorCode(err) {
		case "":
			msg := "Your note has been added to the timeline."
			if n.Sensitive {
				msg = "Your note has been added to the timeline, marked sensitive."
			}
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref)+"#timeline", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderCase(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, "note-", "text", "corrects"), "")
		default:
			s.fail(w, r, err)
		}
	})
}

// caseNoteTarget finds the note in the path on the case, if the user may still
// change it: its author, within the grace period. ok is false after answering.
func (s *Server) caseNoteTarget(w http.ResponseWriter, r *http.Request) (*tropic.Case, *tropic.Note, bool) {
	c := s.loadCase(w, r)
	if c == nil {
		return nil, nil, false
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	user := userFrom(r.Context())
	for _, n := range c.Notes {
		if n.ID != id {
			continue
		}
		if n.Record || n.AuthorID != user.ID {
			s.fail(w, r, tropic.MayEditNote(actorOf(r), n, s.now()))
			return nil, nil, false
		}
		if s.now().Sub(n.At) >= tropic.NoteGrace {
			s.renderError(w, r, http.StatusConflict, "This note can no longer be changed",
				"Notes can be changed by their author for 10 minutes after they are written. Add a note that corrects it instead: it will be linked to this one.")
			return nil, nil, false
		}
		return c, n, true
	}
	s.notFound(w, r)
	return nil, nil, false
}

var caseNoteEditSpec = caseFormSpec{kind: "note", heading: "Change your note", submit: "Save the note", order: []string{"text"}}

// handleCaseNoteEditForm shows the author's note for changing.
func (s *Server) handleCaseNoteEditForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, n, ok := s.caseNoteTarget(w, r)
		if !ok {
			return
		}
		spec := caseNoteEditSpec
		spec.path = "notes/" + strconv.FormatInt(n.ID, 10) + "/edit"
		s.renderCaseForm(w, r, http.StatusOK, spec, c, c.Version, caseForm{Text: n.Text}, nil, nil)
	})
}

// handleCaseNoteEdit saves the author's change to a note within its grace period.
func (s *Server) handleCaseNoteEdit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, n, ok := s.caseNoteTarget(w, r)
		if !ok {
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := caseForm{Text: r.PostFormValue("text")}
		spec := caseNoteEditSpec
		spec.path = "notes/" + strconv.FormatInt(n.ID, 10) + "/edit"
		var err error
		if strings.TrimSpace(f.Text) == "" {
			err = invalid("text", "Enter the note")
		} else {
			err = s.deps.Cases.EditNote(r.Context(), actorOf(r), n.ID, strings.TrimSpace(f.Text))
		}
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "Your note has been changed.")
			http.Redirect(w, r, casePath(c.Reference)+"#timeline", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderCaseForm(w, r, http.StatusUnprocessableEntity, spec, c, c.Version, f, fieldErrors(err, "", "text"), nil)
		case tropic.ECONFLICT:
			s.renderCaseForm(w, r, http.StatusConflict, spec, c, c.Version, f, []FieldError{{Field: "text", Message: tropic.ErrorMessage(err)}}, nil)
		default:
			s.fail(w, r, err)
		}
	})
}

// caseAction runs a button's action on a case and goes back to the case with its
// message; a refusal shows as a problem on the case page.
func (s *Server) caseAction(do func(r *http.Request, actor tropic.Actor, id int64) (string, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if !ok || err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		msg, err := do(r, actorOf(r), id)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
		case tropic.EINVALID, tropic.ECONFLICT:
			s.renderCase(w, r, statusFor(tropic.ErrorCode(err)), caseNoteForm{}, []FieldError{{Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

func (s *Server) handleCaseTaskComplete() http.Handler {
	return s.caseAction(func(r *http.Request, actor tropic.Actor, id int64) (string, error) {
		return "The task is marked as done.", s.deps.Cases.CompleteTask(r.Context(), actor, id)
	})
}

func (s *Server) handleCaseShareDecision() http.Handler {
	return s.caseAction(func(r *http.Request, actor tropic.Actor, id int64) (string, error) {
		approve := r.PostFormValue("decision") == "approve"
		if err := s.deps.Cases.DecideShare(r.Context(), actor, id, approve, ""); err != nil {
			return "", err
		}
		if approve {
			return "You approved the share. The agency can now see the case.", nil
		}
		return "You declined the share. The agency cannot see the case.", nil
	})
}

func (s *Server) handleCaseShareRevoke() http.Handler {
	return s.caseAction(func(r *http.Request, actor tropic.Actor, id int64) (string, error) {
		return "The share is revoked. The agency can no longer see the case.", s.deps.Cases.RevokeShare(r.Context(), actor, id)
	})
}
