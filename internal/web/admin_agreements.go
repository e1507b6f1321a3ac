package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The register of data sharing agreements, for partnership administrators: list, add,
// change (a review sets the next review date), and each agreement's history.

type adminAgreementRow struct {
	Title, Parties, ReviewOn, Document, Path string
	StatusLabel, StatusClass                 string
}

type adminAgreementsPage struct {
	AdminLayout
	Rows []adminAgreementRow
}

// agreementStatus is the tag an agreement shows on day now.
func agreementStatus(g *tropic.SharingAgreement, s *Server) (label, class string) {
	now := s.now()
	switch {
	case g.Expired(now):
		return "Review date passed", "govuk-tag--red"
	case g.ReviewDue(now):
		return "Review due soon", "govuk-tag--yellow"
	}
	return "In force", "govuk-tag--green"
}

// withAgreements answers the missing page where there is no register.
func (s *Server) withAgreements(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Agreements == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func agreementPath(id int64) string { return "/admin/agreements/" + strconv.FormatInt(id, 10) }

func (s *Server) handleAdminAgreements() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.deps.Agreements.FindAgreements(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &adminAgreementsPage{AdminLayout: s.adminLayout(r, "Sharing agreements", "agreements")}
		for _, g := range list {
			row := adminAgreementRow{Title: g.Title, Parties: strings.Join(g.PartyNames, ", "), ReviewOn: caseDate(g.ReviewOn), Document: g.DocumentRef, Path: agreementPath(g.ID)}
			row.StatusLabel, row.StatusClass = agreementStatus(g, s)
			p.Rows = append(p.Rows, row)
		}
		s.render(w, r, http.StatusOK, "admin_agreements", p)
	})
}

type adminAgreementPage struct {
	AdminLayout
	Action                   string
	New                      bool
	Agreement                tropic.SharingAgreement
	StatusLabel, StatusClass string
	Parties                  []selectOption
	Bases                    []selectOption
	Categories               []selectOption
	History                  []adminHistoryRow
}

func (s *Server) agreementPage(r *http.Request, g *tropic.SharingAgreement, isNew bool) (*adminAgreementPage, error) {
	title, action := "Edit "+g.Title, agreementPath(g.ID)
	if isNew {
		title, action = "Add a sharing agreement", "/admin/agreements/new"
	}
	p := &adminAgreementPage{AdminLayout: s.adminLayout(r, title, "agreements"), Action: action, New: isNew, Agreement: *g}
	if !isNew {
		p.StatusLabel, p.StatusClass = agreementStatus(g, s)
	}
	agencies, err := s.deps.Agencies.FindAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		chosen := slices.Contains(g.Parties, a.ID)
		if a.Disabled && !chosen {
			continue
		}
		p.Parties = append(p.Parties, selectOption{Value: strconv.FormatInt(a.ID, 10), Label: a.Name, Selected: chosen})
	}
	p.Parties = radioOptions("parties", p.Parties)
	for _, b := range tropic.LawfulBases {
		p.Bases = append(p.Bases, selectOption{Value: b.Key, Label: b.Label, Selected: slices.Contains(g.LawfulBases, b.Key)})
	}
	p.Bases = radioOptions("lawful_bases", p.Bases)
	for _, c := range tropic.DataCategories {
		p.Categories = append(p.Categories, selectOption{Value: c.Key, Label: c.Label, Selected: slices.Contains(g.DataCategories, c.Key)})
	}
	p.Categories = radioOptions("data_categories", p.Categories)
	return p, nil
}

func (s *Server) handleAdminAgreementNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.agreementPage(r, &tropic.SharingAgreement{}, true)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "admin_agreement", p)
	})
}

func (s *Server) handleAdminAgreement() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		g, events, err := s.deps.Agreements.FindAgreement(r.Context(), actorOf(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.agreementPage(r, g, false)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, e := range events {
			p.History = append(p.History, historyRow(e))
		}
		s.render(w, r, http.StatusOK, "admin_agreement", p)
	})
}

var agreementFieldOrder = []string{"title", "parties", "purposes", "lawful_bases", "data_categories", "review_on", "document_ref"}

// handleAdminAgreementSave adds (isNew) or changes an agreement from the form; a
// problem re-renders the form with what was typed.
func (s *Server) handleAdminAgreementSave(isNew bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := &tropic.SharingAgreement{}
		var events []*tropic.AdminEvent
		if !isNew {
			id, ok := s.pathID(w, r)
			if !ok {
				return
			}
			var err error
			if g, events, err = s.deps.Agreements.FindAgreement(r.Context(), actorOf(r), id); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if !s.parseForm(w, r) {
			return
		}
		g.Title, g.Purposes, g.DocumentRef = r.PostFormValue("title"), r.PostFormValue("purposes"), r.PostFormValue("document_ref")
		g.ReviewOn = caseDateInput(r.PostFormValue("review_on"))
		g.LawfulBases, g.DataCategories, g.Parties = r.PostForm["lawful_bases"], r.PostForm["data_categories"], nil
		for _, v := range r.PostForm["parties"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				g.Parties = append(g.Parties, id)
			} else {
				g.Parties = append(g.Parties, -1) // refused by Validate, naming the field
			}
		}
		var err error
		if isNew {
			err = s.deps.Agreements.CreateAgreement(r.Context(), actorOf(r), g)
		} else {
			err = s.deps.Agreements.UpdateAgreement(r.Context(), actorOf(r), g)
		}
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			g.ReviewOn = r.PostFormValue("review_on") // as typed
			p, perr := s.agreementPage(r, g, isNew)
			if perr != nil {
				s.serverError(w, r, perr)
				return
			}
			for _, e := range events {
				p.History = append(p.History, historyRow(e))
			}
			p.Errors = errorsFrom(err, agreementFieldOrder...)
			s.render(w, r, statusFor(code), "admin_agreement", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, g.Title+" saved.", "/admin/agreements")
	})
}

// agreementNone is the choice of the agreement field that cites none.
const agreementNone = "none"

// agreementChoices are the agreements a share between agencies may cite, for the
// share and access request forms, chosen marked, then "none applies".
func (s *Server) agreementChoices(ctx context.Context, actor tropic.Actor, chosen string, agencies ...int64) ([]selectOption, error) {
	out := []selectOption{{Value: "", Label: "Choose an agreement", Selected: chosen == ""}}
	if s.deps.Agreements != nil {
		list, err := s.deps.Agreements.FindAgreements(ctx, actor)
		if err != nil {
			return nil, err
		}
		for _, g := range tropic.AgreementsFor(list, s.now(), agencies...) {
			id := strconv.FormatInt(g.ID, 10)
			out = append(out, selectOption{Value: id, Label: g.Title + " (" + strings.Join(g.PartyNames, ", ") + "; review by " + caseDate(g.ReviewOn) + ")", Selected: chosen == id})
		}
	}
	return append(out, selectOption{Value: agreementNone, Label: "No agreement applies (say why below)", Selected: chosen == agreementNone}), nil
}

// agreementID reads the agreement field: 0 for none or none chosen.
func agreementID(v string) int64 {
	id, _ := strconv.ParseInt(v, 10, 64)
	return max(id, 0)
}
