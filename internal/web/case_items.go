package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The items a case holds, as the correction pages and the API change them: each
// part's form is the form that adds one (its kind, decoding and field order), filled
// from the item as the case shows it, and saved through tropic.CaseCorrections.

// caseItem is one part's way of being corrected.
type caseItem struct {
	add caseFormSpec // the form that adds one: its kind, decode and field order
	// find returns the item id on case c as a form, its version and a line naming it.
	find func(c *tropic.Case, id int64) (f caseForm, version int, summary string, ok bool)
	// save saves f over item id at version; it returns the message for the case page
	// and the item as the API answers it.
	save func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error)
}

// caseItems are the parts that can be corrected and removed.
var caseItems = map[tropic.CasePart]caseItem{
	tropic.PartPlace: {add: casePlaceForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, p := range c.Places {
				if p.ID == id {
					return caseForm{Kind: string(p.Kind), Address: p.Address, Postcode: p.Postcode, Notes: p.Notes}, p.Version, joinNonEmpty(p.Address, p.Postcode), true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			p := &tropic.Place{ID: id, Version: version, Kind: tropic.PlaceKind(f.Kind), Address: f.Address, Postcode: f.Postcode, Notes: strings.TrimSpace(f.Notes)}
			err := s.deps.Corrections.UpdatePlace(ctx, actor, ref, p)
			return "The place has been changed.", apiPlaceFrom(p), err
		}},
	tropic.PartBusiness: {add: caseBusinessForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, b := range c.Business {
				if b.ID == id {
					return caseForm{Name: b.Name, Kind: b.Kind, CompanyNumber: b.CompanyNumber, Address: b.Address}, b.Version, b.Name, true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			b := &tropic.Business{ID: id, Version: version, Name: f.Name, Kind: f.Kind, CompanyNumber: f.CompanyNumber, Address: strings.TrimSpace(f.Address)}
			err := s.deps.Corrections.UpdateBusiness(ctx, actor, ref, b)
			return "The business has been changed.", apiBusinessFrom(b), err
		}},
	tropic.PartVehicle: {add: caseVehicleForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, v := range c.Vehicles {
				if v.ID == id {
					return caseForm{Registration: v.Registration, Description: v.Description}, v.Version, joinNonEmpty(v.Registration, v.Description), true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			v := &tropic.CaseVehicle{ID: id, Version: version, Registration: f.Registration, Description: f.Description}
			err := s.deps.Corrections.UpdateVehicle(ctx, actor, ref, v)
			return "The vehicle has been changed.", apiVehicleFrom(v), err
		}},
	tropic.PartPhone: {add: casePhoneForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, ph := range c.Phones {
				if ph.ID == id {
					return caseForm{Number: ph.Number, Notes: ph.Notes}, ph.Version, joinNonEmpty(ph.Number, ph.Notes), true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			ph := &tropic.CasePhone{ID: id, Version: version, Number: f.Number, Notes: f.Notes}
			err := s.deps.Corrections.UpdatePhone(ctx, actor, ref, ph)
			return "The phone number has been changed.", apiPhoneFrom(ph), err
		}},
	tropic.PartOrder: {add: caseOrderForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, o := range c.Orders {
				if o.ID == id {
					f := caseForm{Person: strconv.FormatInt(o.PersonID, 10), Kind: string(o.Kind), MadeOn: o.MadeOn, ExpiresOn: o.ExpiresOn, Notes: o.Notes}
					return f, o.Version, orderKindLabel(o.Kind) + " made on " + o.MadeOn, true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			o := &tropic.Order{ID: id, Version: version, Kind: tropic.OrderKind(f.Kind), MadeOn: caseDateInput(f.MadeOn), ExpiresOn: caseDateInput(f.ExpiresOn), Notes: f.Notes}
			o.PersonID, _ = strconv.ParseInt(f.Person, 10, 64)
			err := s.deps.Corrections.UpdateOrder(ctx, actor, ref, o)
			return "The order has been changed.", apiOrderFrom(o), err
		}},
	tropic.PartTask: {add: caseTaskForm,
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, t := range c.Tasks {
				if t.ID == id {
					f := caseForm{Title: t.Title, Due: t.Due, Assignee: "agency:" + strconv.FormatInt(t.AssignedAgency, 10)}
					if t.AssignedUser != 0 {
						f.Assignee = "user:" + strconv.FormatInt(t.AssignedUser, 10)
					}
					return f, t.Version, t.Title, true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			t := taskFromForm(f)
			t.ID, t.Version = id, version
			err := s.deps.Corrections.UpdateTask(ctx, actor, ref, t)
			return "The task has been changed.", apiTaskFrom(t, s.now()), err
		}},
	tropic.PartPerson: {add: caseFormSpec{kind: "link", order: []string{"role", "reason", "coerced"}, decode: caseLinkFormDecode},
		find: func(c *tropic.Case, id int64) (caseForm, int, string, bool) {
			for _, cp := range c.People {
				if cp.ID == id {
					return caseForm{Role: string(cp.Role), Coerced: cp.CoercedOffender}, cp.Version,
						cp.Person.FullName() + " (" + strings.ToLower(cp.Role.Label()) + ")", true
				}
			}
			return caseForm{}, 0, "", false
		},
		save: func(ctx context.Context, s *Server, actor tropic.Actor, ref string, id int64, version int, f caseForm) (string, any, error) {
			u := &tropic.CaseLinkUpdate{LinkID: id, Version: version, Role: tropic.PersonRole(f.Role), Reason: f.Reason, CoercedOffender: f.Coerced}
			rc, err := s.deps.Corrections.UpdateCaseLink(ctx, actor, ref, u)
			out := apiCaseLink{ID: id, Version: u.Version, Role: f.Role, CoercedOffender: f.Coerced}
			if rc != nil && rc.Status == tropic.RoleChangeRequested {
				out.Role, out.RequestedRole = string(rc.From), string(rc.To)
				return "The person's link has been saved. The change of role has been sent to a supervisor, who decides it.", out, err
			}
			return "The person's link to the case has been changed.", out, err
		}},
}

// apiCaseLink is a person's link to a case as the API answers a change of it.
type apiCaseLink struct {
	ID              int64  `json:"id"`
	Version         int    `json:"version"`
	Role            string `json:"role"`
	CoercedOffender bool   `json:"coerced_offender"`
	RequestedRole   string `json:"requested_role,omitempty"` // a change of role waiting for a supervisor
}

func caseLinkFormDecode(r *http.Request) caseForm {
	return caseForm{Role: r.PostFormValue("role"), Reason: r.PostFormValue("reason"), Coerced: r.PostFormValue("coerced") == "1"}
}

// taskFromForm reads a task's title, due date and assignee ("agency:N" or "user:N").
func taskFromForm(f caseForm) *tropic.Task {
	t := &tropic.Task{Title: f.Title, Due: caseDateInput(f.Due)}
	if kind, id, ok := strings.Cut(f.Assignee, ":"); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		switch kind {
		case "agency":
			t.AssignedAgency = n
		case "user":
			t.AssignedUser = n
		}
	}
	return t
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}
