package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Correcting the record, through the API: PATCH changes an item of a case (only the
// fields given; the rest stay as the case holds them) against the version the caller
// read; DELETE removes it with a reason. The same rules as the pages, in the store.

// apiItemPatch is a change to any item of a case; each part reads its own fields.
type apiItemPatch struct {
	Version *int `json:"version"`
	// places, businesses, orders
	Kind     *string `json:"kind"`
	Address  *string `json:"address"`
	Postcode *string `json:"postcode"`
	Notes    *string `json:"notes"`
	// businesses
	Name          *string `json:"name"`
	CompanyNumber *string `json:"company_number"`
	// vehicles, phones
	Registration *string `json:"registration"`
	Description  *string `json:"description"`
	Number       *string `json:"number"`
	// orders
	PersonID  *int64  `json:"person_id"`
	MadeOn    *string `json:"made_on"`
	ExpiresOn *string `json:"expires_on"`
	// tasks: an agency, or one of its users
	Title    *string `json:"title"`
	AgencyID *int64  `json:"agency_id"`
	UserID   *int64  `json:"user_id"`
	Due      *string `json:"due"`
	// a person's link
	Role            *string `json:"role"`
	Reason          *string `json:"reason"`
	CoercedOffender *bool   `json:"coerced_offender"`
}

// merge applies the fields given onto f, the item as the case holds it.
func (in *apiItemPatch) merge(f *caseForm) {
	for _, x := range []struct {
		dst *string
		v   *string
	}{{&f.Kind, in.Kind}, {&f.Address, in.Address}, {&f.Postcode, in.Postcode}, {&f.Notes, in.Notes}, {&f.Name, in.Name},
		{&f.CompanyNumber, in.CompanyNumber}, {&f.Registration, in.Registration}, {&f.Description, in.Description},
		{&f.Number, in.Number}, {&f.MadeOn, in.MadeOn}, {&f.ExpiresOn, in.ExpiresOn}, {&f.Title, in.Title}, {&f.Due, in.Due},
		{&f.Role, in.Role}, {&f.Reason, in.Reason}} {
		apiSet(x.dst, x.v)
	}
	if in.PersonID != nil {
		f.Person = strconv.FormatInt(*in.PersonID, 10)
	}
	switch {
	case in.UserID != nil && *in.UserID != 0:
		f.Assignee = "user:" + strconv.FormatInt(*in.UserID, 10)
	case in.AgencyID != nil:
		f.Assignee = "agency:" + strconv.FormatInt(*in.AgencyID, 10)
	}
	if in.CoercedOffender != nil {
		f.Coerced = *in.CoercedOffender
	}
}

type apiRemovalInput struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
	Detail  string `json:"detail"`
}

// apiCaseItem reads the case, part and item id in the path.
func (s *Server) apiCaseItem(w http.ResponseWriter, r *http.Request) (string, tropic.CasePart, caseItem, int64, bool) {
	ref, ok := apiCaseRef(w, r)
	if !ok {
		return "", "", caseItem{}, 0, false
	}
	part, item, id, ok := caseItemTarget(r)
	if !ok || s.deps.Corrections == nil {
		apiNotFound(w)
		return "", "", caseItem{}, 0, false
	}
	return ref, part, item, id, true
}

func (s *Server) handleAPIUpdateCaseItem() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, part, item, id, ok := s.apiCaseItem(w, r)
		if !ok {
			return
		}
		var in apiItemPatch
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		actor := apiActor(r)
		c, err := s.deps.Cases.FindCase(r.Context(), actor, ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		f, _, _, found := item.find(c, id)
		if !found {
			s.apiFail(w, r, tropic.Errorf(tropic.ENOTFOUND, "No such %s on this case.", part.Label()))
			return
		}
		in.merge(&f)
		_, out, err := item.save(r.Context(), s, actor, ref, id, *in.Version, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPIRemoveCaseItem() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, part, _, id, ok := s.apiCaseItem(w, r)
		if !ok {
			return
		}
		var in apiRemovalInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		err := s.deps.Corrections.RemoveFromCase(r.Context(), apiActor(r), ref, tropic.Removal{Part: part, ItemID: id, Version: *in.Version,
			Reason: tropic.RemovalReason(in.Reason), Detail: in.Detail})
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: "removed"})
	})
}
