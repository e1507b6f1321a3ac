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
	q := url.Values{"kind": {string(kind)}, "value": {value}, "agency": {strconv.FormatInt(holder, 10)}}
	return casePath(ref) + "/access-request?" + q.Encode()
}

type accessRequestForm struct {
	Kind, Value, Agency string
	Scope, LawfulBasis  string
	Reason              string
	Agreement, NoneWhy  string // the agreement cited, or why none applies
}

type accessRequestPage struct {
	Layout
	CaseRef     string
	CaseHref    string
	Action      string
	Identifier  string // "phone number 07700 900123"
	Form        accessRequestForm
	Scopes      []selectOption
	LawfulBases []selectOption
	Agreements  []selectOption
}

var accessRequestOrder = []string{"scope", "agreement", "lawful_basis", "agreement_reason", "reason"}

func accessRequestFormFrom(v url.Values) accessRequestForm {
	return accessRequestForm{Kind: v.Get("kind"), Value: v.Get("value"), Agency: v.Get("agency"),
		Scope: v.Get("scope"), LawfulBasis: v.Get("lawful_basis"), Reason: v.Get("reason"), Agreement: v.Get("agreement"), NoneWhy: v.Get("agreement_reason")}
}

func (s *Server) renderAccessRequest(w http.ResponseWriter, r *http.Request, status int, ref string, f accessRequestForm, errs []FieldError) {
	p := &accessRequestPage{Layout: s.newLayout(r, "Ask for access to a record"), CaseRef: ref, CaseHref: casePath(ref) + "#links",
		Action: casePath(ref) + "/access-request", Form: f, Identifier: tropic.LinkKind(f.Kind).Label() + " " + f.Value}
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
		agency, _ := strconv.ParseInt(f.Agency, 10, 64)
		req := &tropic.AccessRequest{CaseReference: ref, Kind: tropic.LinkKind(f.Kind), Value: f.Value, AgencyID: agency,
			Scope: tropic.ShareScope(f.Scope), LawfulBasis: f.LawfulBasis, Reason: f.Reason, AgreementID: agreementID(f.Agreement), NoAgreement: f.NoneWhy}
		err := s.deps.Access.RequestAccess(r.Context(), actorOf(r), req)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "Your request for access went to the supervisors at "+req.AgencyName+". You will be told of their decision in your notifications.")
			http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
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
