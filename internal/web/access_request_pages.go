package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"tropic/internal/tropic"
)

// Asking for access: where a case page says a record is "held by AGENCY", a case
// worker asks that agency's supervisors for it, with a reason; they decide it in
// their approvals queue as a share (tropic.MayRequestAccess).

// accessRequestPath is the form asking holder for the record sharing identifier
// (kind, value) with case ref.
func accessRequestPath(ref string, kind tropic.LinkKind, value string, holder int64) string {
	return accessRequestPathFor(ref, url.Values{"kind": {string(kind)}, "value": {value}}, holder)
}

// accessRequestMatchPath is the form asking holder for the record that possible
// match id suggests for a person on case ref: the form, like the request, names the
// match, never the other record.
func accessRequestMatchPath(ref string, id, holder int64) string {
	return accessRequestPathFor(ref, url.Values{"match": {strconv.FormatInt(id, 10)}}, holder)
}

// accessRequestS45Path is the form asking holder for the case on which the suspect
// person on case ref is a potential victim.
func accessRequestS45Path(ref string, person, holder int64) string {
	return accessRequestPathFor(ref, url.Values{"person": {strconv.FormatInt(person, 10)}}, holder)
}

func accessRequestPathFor(ref string, q url.Values, holder int64) string {
	q.Set("agency", strconv.FormatInt(holder, 10))
	return casePath(ref) + "/access-request?" + q.Encode()
}

type accessRequestForm struct {
	Kind, Value, Match, Person, Agency string
	Scope, LawfulBasis                 string
	Reason                             string
	Agreement, NoneWhy                 string // the agreement cited, or why none applies
}

// request is the form as the domain reads it.
func (f accessRequestForm) request(ref string) *tropic.AccessRequest {
	num := func(v string) int64 {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil && v != "" {
			return -1 // not a number: the domain names the field
		}
		return n
	}
	return &tropic.AccessRequest{CaseReference: ref, Kind: tropic.LinkKind(f.Kind), Value: f.Value, MatchID: num(f.Match), PersonID: num(f.Person),
		AgencyID: max(num(f.Agency), 0), Scope: tropic.ShareScope(f.Scope), LawfulBasis: f.LawfulBasis, Reason: f.Reason,
		AgreementID: agreementID(f.Agreement), NoAgreement: f.NoneWhy}
}

type accessRequestPage struct {
	Layout
	CaseRef     string
	CaseHref    string
	BackText    string
	Action      string
	Lead        string // what the record is, as far as the requester may know it
	Form        accessRequestForm
	Scopes      []selectOption
	LawfulBases []selectOption
	Agreements  []selectOption
}

var accessRequestOrder = []string{"scope", "agreement", "lawful_basis", "agreement_reason", "reason"}

func accessRequestFormFrom(v url.Values) accessRequestForm {
	return accessRequestForm{Kind: v.Get("kind"), Value: v.Get("value"), Match: v.Get("match"), Person: v.Get("person"), Agency: v.Get("agency"),
		Scope: v.Get("scope"), LawfulBasis: v.Get("lawful_basis"), Reason: v.Get("reason"), Agreement: v.Get("agreement"), NoneWhy: v.Get("agreement_reason")}
}

// accessRequestBack is where the requester came from, and goes back to: the case's
// links, its possible matches, or the case (an s.45 notice).
func accessRequestBack(ref string, by tropic.AccessBy) (href, text string) {
	switch by {
	case tropic.AccessByMatch:
		return casePath(ref) + "/matches", "Back to the possible matches"
	case tropic.AccessByS45:
		return casePath(ref), "Back to the case"
	}
	return casePath(ref) + "#links", "Back to the case"
}

func (s *Server) renderAccessRequest(w http.ResponseWriter, r *http.Request, status int, ref string, f accessRequestForm, errs []FieldError) {
	req := f.request(ref)
	p := &accessRequestPage{Layout: s.newLayout(r, "Ask for access to a record"), CaseRef: ref,
		Action: casePath(ref) + "/access-request", Form: f}
	p.CaseHref, p.BackText = accessRequestBack(ref, req.By())
	switch req.By() {
	case tropic.AccessByMatch:
		p.Lead = "Another agency holds a person record that Tropic suggests may be the same person as someone on your case. You cannot see it unless they share their case with your agency."
	case tropic.AccessByS45:
		p.Lead = "A suspect on your case is a potential victim on a case another agency holds. You cannot see that case unless they share it with your agency."
	default:
		p.Lead = "Another agency holds a record with the same " + tropic.LinkKind(f.Kind).Label() + " " + f.Value + " as your case. You cannot see it unless they share it with your agency."
	}
	p.Nav = "cases"
	p.Errors = errs
	p.Scopes, p.LawfulBases = shareTermOptions(f.Scope, f.LawfulBasis)
	holder, _ := strconv.ParseInt(f.Agency, 10, 64)
	var err error
	if p.Agreements, err = s.agreementChoices(r.Context(), actorOf(r), f.Agreement, p.User.AgencyID, holder); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "access_request", p)
}

// handleAccessRequestForm shows the form, from a case the user may see. The identifier
// and the agency it names are checked when the request is sent.
func (s *Server) handleAccessRequestForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Access == nil {
			s.notFound(w, r)
			return
		}
		c := s.loadCase(w, r) // a case the user may not see is the missing page
		if c == nil {
			return
		}
		f := accessRequestFormFrom(r.URL.Query())
		f.Scope, f.LawfulBasis, f.Reason, f.Agreement, f.NoneWhy = "", "", "", "", ""
		s.renderAccessRequest(w, r, http.StatusOK, c.Reference, f, nil)
	})
}

func (s *Server) handleAccessRequest() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok || s.deps.Access == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := accessRequestFormFrom(r.PostForm)
		req := f.request(ref)
		err := s.deps.Access.RequestAccess(r.Context(), actorOf(r), req)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "Your request for access went to the supervisors at "+req.AgencyName+". You will be told of their decision in your notifications, and “Your requests for access” shows it.")
			back, _ := accessRequestBack(ref, req.By())
			if req.By() == tropic.AccessByIdentifier {
				back = casePath(ref)
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
		case tropic.EINVALID:
			errs := fieldErrors(err, "", accessRequestOrder...)
			for i := range errs {
				if !slices.Contains(accessRequestOrder, errs[i].Field) {
					errs[i].Field = "" // the hidden fields: the message alone
				}
			}
			s.renderAccessRequest(w, r, http.StatusUnprocessableEntity, ref, f, errs)
		case tropic.ECONFLICT:
			s.renderAccessRequest(w, r, http.StatusConflict, ref, f, []FieldError{{Message: tropic.ErrorMessage(err)}})
		default:
			s.fail(w, r, err)
		}
	})
}
