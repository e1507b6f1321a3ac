package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Rights requests (issue 16 item 3): subject access, rectification, erasure and
// restriction requests, worked by the agency's data protection officer (or a
// supervisor where it has none). Who may is decided by the store
// (tropic.MayWorkRightsRequests); to anyone else every page is missing.

const sessRightsFlash = "rights_flash"

// rightsPages wraps a rights page: signed-in staff, when rights requests are kept.
func (s *Server) rightsPages(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Rights == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

type rightsListPage struct {
	Layout
	Flash    string
	Requests []*tropic.RightsRequest
	Today    string
	Kinds    []selectOption
	Received string
	Identity string
	Ref      string
}

func (s *Server) renderRightsList(w http.ResponseWriter, r *http.Request, status int, in *tropic.RightsRequest, received string, problems []FieldError) {
	list, err := s.deps.Rights.FindRightsRequests(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &rightsListPage{Layout: s.newLayout(r, "Rights requests"), Requests: list, Today: s.rightsToday(),
		Received: received, Identity: in.IdentityVerified, Ref: in.Reference}
	p.Errors = problems
	for i, k := range tropic.RightsKinds {
		p.Kinds = append(p.Kinds, selectOption{ID: choiceID("kind", i), Value: string(k), Label: k.Label(), Selected: in.Kind == k})
	}
	if status == http.StatusOK {
		p.Flash = s.sessions.PopString(r.Context(), sessRightsFlash)
	}
	s.render(w, r, status, "rights", p)
}

func (s *Server) rightsToday() string { return s.now().In(partnershipZone).Format(time.DateOnly) }

func (s *Server) handleRightsList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderRightsList(w, r, http.StatusOK, &tropic.RightsRequest{}, "", nil)
	})
}

func (s *Server) handleRightsCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		received := r.PostFormValue("received_on")
		in := &tropic.RightsRequest{Kind: tropic.RightsKind(r.PostFormValue("kind")), ReceivedOn: caseDateInput(received),
			IdentityVerified: r.PostFormValue("identity_verified"), Reference: r.PostFormValue("reference")}
		err := s.deps.Rights.OpenRightsRequest(r.Context(), actorOf(r), in)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderRightsList(w, r, http.StatusUnprocessableEntity, in, received, errorsFrom(err, "kind", "received_on", "identity_verified", "reference"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessRightsFlash, "Request recorded. It is due by "+caseDate(in.Deadline)+".")
		http.Redirect(w, r, rightsPath(in.ID), http.StatusSeeOther)
	})
}

func rightsPath(id int64) string { return "/rights/" + strconv.FormatInt(id, 10) }

// rightsForm is what was typed in the request page's forms, kept when refused.
type rightsForm struct {
	ExtendReason, Outcome, Exemption, Status string
	RedactPerson                             int64
	RedactReason                             string
}

type rightsPage struct {
	Layout
	Flash      string
	Req        *tropic.RightsRequest
	Overdue    bool
	Access     bool // an access request: people to confirm and a package
	Open       bool // unanswered and its package not released
	Released   bool
	ReleasedBy string
	Name       string // the name searched for
	Searched   bool
	Found      []tropic.RightsCandidate
	Package    *tropic.RightsPackage
	Form       rightsForm
	Statuses   []selectOption
}

func (s *Server) rightsID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

func (s *Server) renderRights(w http.ResponseWriter, r *http.Request, status int, f rightsForm, problems []FieldError) {
	id, ok := s.rightsID(w, r)
	if !ok {
		return
	}
	ctx, actor := r.Context(), actorOf(r)
	req, err := s.deps.Rights.FindRightsRequest(ctx, actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &rightsPage{Layout: s.newLayout(r, "Rights request "+strconv.FormatInt(id, 10)), Req: req, Overdue: req.Overdue(s.rightsToday()),
		Access: req.Kind == tropic.RightsAccess, Form: f}
	p.Errors = problems
	for i, st := range []tropic.RightsStatus{tropic.RightsCompleted, tropic.RightsRefused} {
		p.Statuses = append(p.Statuses, selectOption{ID: choiceID("close-status", i), Value: string(st), Label: st.Label(), Selected: f.Status == string(st)})
	}
	if p.Access {
		if p.Package, err = s.deps.Rights.RightsPackage(ctx, actor, id); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Released, p.ReleasedBy = p.Package.ReleasedAt != nil, p.Package.ReleasedBy
		p.Name = strings.TrimSpace(r.URL.Query().Get("name"))
		if p.Name != "" {
			p.Searched = true
			p.Found, err = s.deps.Rights.SearchRightsPeople(ctx, actor, id, p.Name)
			if tropic.ErrorCode(err) == tropic.EINVALID {
				p.Errors, status = append(p.Errors, fieldErrors(err, "search-")...), http.StatusUnprocessableEntity
			} else if err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	p.Open = !req.Status.Closed() && !p.Released
	if status == http.StatusOK {
		p.Flash = s.sessions.PopString(ctx, sessRightsFlash)
	}
	s.render(w, r, status, "rights_request", p)
}

func (s *Server) handleRights() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderRights(w, r, http.StatusOK, rightsForm{}, nil)
	})
}

// rightsDone answers a change to a request: back to it with msg, or the page again
// with the problems and what was typed.
func (s *Server) rightsDone(w http.ResponseWriter, r *http.Request, err error, f rightsForm, prefix, msg string, order ...string) {
	s.changeDone(w, r, err, func(problems []FieldError) {
		s.renderRights(w, r, http.StatusUnprocessableEntity, f, problems)
	}, prefix, order, sessRightsFlash, msg, "/rights/"+r.PathValue("id"))
}

func (s *Server) handleRightsExtend() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.rightsID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := rightsForm{ExtendReason: r.PostFormValue("reason")}
		err := s.deps.Rights.ExtendRightsRequest(r.Context(), actorOf(r), id, f.ExtendReason)
		s.rightsDone(w, r, err, f, "extend-", "Request extended by two months.", "reason")
	})
}

func (s *Server) handleRightsClose() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.rightsID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		f := rightsForm{Status: r.PostFormValue("status"), Outcome: r.PostFormValue("outcome"), Exemption: r.PostFormValue("exemption")}
		err := s.deps.Rights.CloseRightsRequest(r.Context(), actorOf(r), id, tropic.RightsStatus(f.Status), f.Outcome, f.Exemption)
		s.rightsDone(w, r, err, f, "close-", "Request answered.", "status", "outcome", "exemption")
	})
}

// formPerson reads the person a form names; a missing or bad one answers as missing.
func (s *Server) formPerson(w http.ResponseWriter, r *http.Request) (int64, bool) {
	p, err := strconv.ParseInt(r.PostFormValue("person"), 10, 64)
	if err != nil || p <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return p, true
}

func (s *Server) handleRightsPerson() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.rightsID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		person, ok := s.formPerson(w, r)
		if !ok {
			return
		}
		confirm := r.PostFormValue("confirm") == "yes"
		err := s.deps.Rights.ConfirmRightsPerson(r.Context(), actorOf(r), id, person, confirm)
		msg := "Person record confirmed as the requester."
		if !confirm {
			msg = "Person record no longer confirmed as the requester."
		}
		s.rightsDone(w, r, err, rightsForm{}, "", msg)
	})
}

func (s *Server) handleRightsRedaction() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.rightsID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		person, ok := s.formPerson(w, r)
		if !ok {
			return
		}
		redact := r.PostFormValue("redact") == "yes"
		f := rightsForm{RedactPerson: person, RedactReason: r.PostFormValue("reason")}
		err := s.deps.Rights.SetRightsRedaction(r.Context(), actorOf(r), id, person, redact, f.RedactReason)
		msg := "Name redacted in the package."
		if !redact {
			msg = "Name shown in the package, with your reason recorded."
		}
		s.rightsDone(w, r, err, f, fmt.Sprintf("redact-%d-", person), msg, "reason")
	})
}

// handleRightsRelease records the release of an access request's package and answers
// with it to download: as JSON, or as a PDF for the requester when the form asks for
// format "pdf". Either way the store records and audits the release.
func (s *Server) handleRightsRelease() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.rightsID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		if !s.authenticatedRecently(r) {
			// An export of personal data (issue 13 item 8): whoever may not see the
			// request is told it is missing, as before; whoever may confirms who they
			// are and comes back to the request to release it.
			if _, err := s.deps.Rights.FindRightsRequest(r.Context(), actorOf(r), id); err != nil {
				s.fail(w, r, err)
				return
			}
			http.Redirect(w, r, "/account/confirm?next="+url.QueryEscape("/rights/"+strconv.FormatInt(id, 10)), http.StatusSeeOther)
			return
		}
		pkg, err := s.deps.Rights.ReleaseRightsPackage(r.Context(), actorOf(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if r.PostFormValue("format") == "pdf" {
			b, err := summaryPDF("Your personal data held by "+pkg.Agency, rightsIntro(pkg), s.cfg.PartnershipName, rightsSections(pkg))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			sendPDF(w, fmt.Sprintf("access-request-%d.pdf", id), b)
			return
		}
		b, err := json.MarshalIndent(pkg, "", "  ")
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="access-request-%d.json"`, id))
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	})
}

// rightsIntro opens the package's PDF: who holds the data, the request and its dates.
func rightsIntro(pkg *tropic.RightsPackage) string {
	ref := fmt.Sprintf("request %d", pkg.RequestID)
	if pkg.Reference != "" {
		ref = "reference " + pkg.Reference + ", " + ref
	}
	released := ""
	if pkg.ReleasedAt != nil {
		released = " Released on " + caseDay(*pkg.ReleasedAt) + "."
	}
	return fmt.Sprintf("%s's answer to your subject access request (our %s), received on %s and due by %s.%s "+
		"It holds each record of a person that we confirmed is you, and the cases of ours you are named on, with your role on each. "+
		"Other people named on those cases are third parties: their names are replaced by %q unless shown for the reason given.",
		pkg.Agency, ref, caseDate(pkg.ReceivedOn), caseDate(pkg.Deadline), released, tropic.RedactedThirdParty)
}

// rightsSections lays out the package for its PDF, grouped by kind of record: each
// person record, then the cases. A third party marked redacted is printed as
// tropic.RedactedThirdParty whatever the package holds, so that the PDF never names one.
func rightsSections(pkg *tropic.RightsPackage) []summarySection {
	var out []summarySection
	for i, p := range pkg.Subjects {
		title := "Your personal details"
		if len(pkg.Subjects) > 1 {
			title = fmt.Sprintf("Your personal details: record %d of %d", i+1, len(pkg.Subjects))
		}
		out = append(out, summarySection{Title: title, Rows: personRows(&tropic.Person{GivenName: p.GivenName, FamilyName: p.FamilyName,
			Aliases: p.Aliases, DateOfBirth: p.DateOfBirth, Gender: tropic.Gender(p.Gender), Nationality: p.Nationality, Languages: p.Languages,
			Phone: p.Phone, Email: p.Email, ImmigrationStatus: p.ImmigrationStatus, Health: p.Health})})
	}
	cases := summarySection{Title: "Cases you are named on"}
	for i, p := range pkg.Subjects {
		for _, c := range p.Cases {
			dates := "Opened " + caseDate(c.OpenedOn)
			if c.ClosedOn != "" {
				dates += ", closed " + caseDate(c.ClosedOn)
			}
			vals := []string{c.Title, "Your role: " + c.Role + ".", dates + "."}
			if len(pkg.Subjects) > 1 {
				vals = append(vals, fmt.Sprintf("Named as record %d (%s %s).", i+1, p.GivenName, p.FamilyName))
			}
			for _, t := range c.ThirdParties {
				if t.Redacted {
					vals = append(vals, "Third party ("+t.Role+"): "+tropic.RedactedThirdParty+".")
				} else {
					vals = append(vals, "Third party ("+t.Role+"): "+t.Name+".", "Name shown because: "+t.Reason)
				}
			}
			cases.Rows = append(cases.Rows, summaryRow{c.Reference, vals})
		}
	}
	if len(cases.Rows) == 0 {
		cases.Rows = []summaryRow{{"Cases", []string{"None."}}}
	}
	return append(out, cases)
}

// homeRights lists the open rights requests for the home page of the agency's
// officer; nil for anyone else.
func (s *Server) homeRights(r *http.Request) ([]*tropic.RightsRequest, error) {
	u := userFrom(r.Context())
	if s.deps.Rights == nil || u == nil || !(u.Has(tropic.RoleDPO) || u.Has(tropic.RoleSupervisor)) {
		return nil, nil
	}
	list, err := s.deps.Rights.FindRightsRequests(r.Context(), actorOf(r))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	open := []*tropic.RightsRequest{}
	for _, q := range list {
		if !q.Status.Closed() {
			open = append(open, q)
		}
	}
	return open, nil
}
