package web

import (
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// Correcting the record, as pages: a list of what the case holds, each item with a
// form that changes it and one that removes it with a reason. A refused save keeps
// what was typed: with the problems (422), or, when someone saved first, with who and
// when and the item as it is now (409).

// caseItemsPage lists what a case holds that its owner may correct.
type caseItemsPage struct {
	Layout
	Caption string
	Back    string
	Groups  []caseItemGroup
}

type caseItemGroup struct {
	Heading string
	Items   []caseItemRow
}

type caseItemRow struct {
	Summary    string
	ChangeHref string // "" when the user may not change it
	RemoveHref string
}

// caseItemPath is the address of an item's form (edit or remove).
func caseItemPath(ref string, part tropic.CasePart, id int64, form string) string {
	return casePath(ref) + "/" + string(part) + "/" + strconv.FormatInt(id, 10) + "/" + form
}

// caseItemIDs lists the ids of a part's items on c, in the case page's order.
func caseItemIDs(c *tropic.Case, part tropic.CasePart) []int64 {
	var ids []int64
	switch part {
	case tropic.PartPerson:
		for _, x := range c.People {
			ids = append(ids, x.ID)
		}
	case tropic.PartPlace:
		for _, x := range c.Places {
			ids = append(ids, x.ID)
		}
	case tropic.PartBusiness:
		for _, x := range c.Business {
			ids = append(ids, x.ID)
		}
	case tropic.PartVehicle:
		for _, x := range c.Vehicles {
			ids = append(ids, x.ID)
		}
	case tropic.PartPhone:
		for _, x := range c.Phones {
			ids = append(ids, x.ID)
		}
	case tropic.PartOrder:
		for _, x := range c.Orders {
			ids = append(ids, x.ID)
		}
	case tropic.PartTask:
		for _, x := range c.Tasks {
			ids = append(ids, x.ID)
		}
	}
	return ids
}

// partHeading is a part's heading on the list.
func partHeading(part tropic.CasePart) string {
	if part == tropic.PartPerson {
		return "People on the case"
	}
	l := part.Label()
	if part == tropic.PartBusiness {
		return "Businesses"
	}
	return strings.ToUpper(l[:1]) + l[1:] + "s"
}

// mayCorrect is what the user is told before a form opens: the rule the store applies
// again when it saves (for a person, whether they are or were a potential victim on
// the case; the store asks again, counting records merged into theirs).
func mayCorrect(a tropic.Actor, c *tropic.Case, part tropic.CasePart, id int64, remove bool) error {
	switch part {
	case tropic.PartTask:
		for _, t := range c.Tasks {
			if t.ID == id {
				return tropic.MayChangeTask(a, c, t.CreatedByAgency)
			}
		}
		return tropic.MayContributeToCase(a, c)
	case tropic.PartPerson:
		if remove {
			for _, cp := range c.People {
				if cp.ID == id {
					return tropic.MayRemoveCaseLink(a, c, cp.WasVictim)
				}
			}
		}
	}
	return tropic.MayChangeCase(a, c)
}

// handleCaseItems lists what the case holds, with a change and a remove link for each
// item the user may correct.
func (s *Server) handleCaseItems() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Corrections == nil {
			s.notFound(w, r)
			return
		}
		c := s.loadCase(w, r)
		if c == nil {
			return
		}
		a := actorOf(r)
		if err := tropic.MayContributeToCase(a, c); err != nil {
			s.fail(w, r, err)
			return
		}
		p := &caseItemsPage{Layout: s.newLayout(r, "Correct the record: "+c.Reference), Caption: "Case " + c.Reference + ": " + c.Title, Back: casePath(c.Reference)}
		p.Nav = "cases"
		for _, part := range tropic.CaseParts {
			g := caseItemGroup{Heading: partHeading(part)}
			for _, id := range caseItemIDs(c, part) {
				_, _, summary, _ := caseItems[part].find(c, id)
				row := caseItemRow{Summary: summary}
				if mayCorrect(a, c, part, id, false) == nil {
					row.ChangeHref = caseItemPath(c.Reference, part, id, "edit")
				}
				if mayCorrect(a, c, part, id, true) == nil {
					row.RemoveHref = caseItemPath(c.Reference, part, id, "remove")
				}
				g.Items = append(g.Items, row)
			}
			if len(g.Items) > 0 {
				p.Groups = append(p.Groups, g)
			}
		}
		s.render(w, r, http.StatusOK, "case_items", p)
	})
}

// caseItemTarget reads the part and item id in the path.
func caseItemTarget(r *http.Request) (tropic.CasePart, caseItem, int64, bool) {
	part := tropic.CasePart(r.PathValue("part"))
	item, ok := caseItems[part]
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return part, item, id, ok && err == nil && id > 0
}

// handleCaseItemForm shows the form that changes an item, or (remove) removes it.
func (s *Server) handleCaseItemForm(remove bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		part, item, id, ok := caseItemTarget(r)
		if !ok || s.deps.Corrections == nil {
			s.notFound(w, r)
			return
		}
		c := s.loadCase(w, r)
		if c == nil {
			return
		}
		f, version, _, ok := item.find(c, id)
		if !ok {
			s.notFound(w, r)
			return
		}
		if err := mayCorrect(actorOf(r), c, part, id, remove); err != nil {
			s.fail(w, r, err)
			return
		}
		if remove {
			f = caseForm{}
		}
		s.renderCaseItemForm(w, r, http.StatusOK, c, part, id, remove, version, f, nil, nil)
	})
}

// handleCaseItemPost saves a change to an item, or removes it.
func (s *Server) handleCaseItemPost(remove bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, refOK := caseRefFrom(r)
		part, item, id, ok := caseItemTarget(r)
		if !ok || !refOK || s.deps.Corrections == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		var f caseForm
		var msg string
		var err error
		if remove {
			f = caseForm{Reason: r.PostFormValue("reason"), Detail: r.PostFormValue("detail")}
			msg = "The " + part.Label() + " has been removed from the case."
			err = s.deps.Corrections.RemoveFromCase(r.Context(), actorOf(r), ref, tropic.Removal{Part: part, ItemID: id, Version: version,
				Reason: tropic.RemovalReason(f.Reason), Detail: f.Detail})
		} else {
			f = item.add.decode(r)
			msg, _, err = item.save(r.Context(), s, actorOf(r), ref, id, version, f)
		}
		if err == nil {
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
			return
		}
		code := tropic.ErrorCode(err)
		if code != tropic.EINVALID && code != tropic.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		c := s.loadCase(w, r)
		if c == nil {
			return
		}
		order := item.add.order
		if remove {
			order = []string{"reason", "detail"}
		}
		if code == tropic.EINVALID {
			s.renderCaseItemForm(w, r, http.StatusUnprocessableEntity, c, part, id, remove, version, f, fieldErrors(err, "", order...), nil)
			return
		}
		_, now, summary, ok := item.find(c, id)
		if !ok {
			s.notFound(w, r)
			return
		}
		// The form now carries the current version: saving again replaces the other
		// change with what the user typed, knowingly.
		conflict := &caseConflict{Heading: "The " + part.Label() + " as it is now", Message: tropic.ErrorMessage(err) + " What you entered is below.",
			Current: []summaryRow{{Key: "Now", Values: []string{summary}}}}
		s.renderCaseItemForm(w, r, http.StatusConflict, c, part, id, remove, now, f, []FieldError{{Message: conflict.Message}}, conflict)
	})
}

// renderCaseItemForm renders the change or removal form of item id on case c.
func (s *Server) renderCaseItemForm(w http.ResponseWriter, r *http.Request, status int, c *tropic.Case, part tropic.CasePart, id int64, remove bool,
	version int, f caseForm, errs []FieldError, conflict *caseConflict) {
	item := caseItems[part]
	_, _, summary, _ := item.find(c, id)
	label := part.Label()
	p := &caseFormPage{Caption: "Case " + c.Reference + ": " + c.Title, Back: casePath(c.Reference) + "/items",
		Version: version, Versioned: true, Form: f, Conflict: conflict, Item: summary, Kind: item.add.kind,
		Heading: "Change the " + label, Submit: "Save changes", Action: caseItemPath(c.Reference, part, id, "edit")}
	switch {
	case remove:
		p.Kind, p.Heading, p.Submit, p.Action = "remove", "Remove the "+label, "Remove the "+label, caseItemPath(c.Reference, part, id, "remove")
		p.Intro = removalIntro(part)
		for _, rr := range tropic.RemovalReasons {
			p.Reasons = append(p.Reasons, selectOption{Value: string(rr), Label: rr.Label(), Selected: f.Reason == string(rr)})
		}
		p.Reasons = radioOptions("reason", p.Reasons)
		if part == tropic.PartPerson {
			p.Heading, p.Submit = "Take the person off the case", "Take them off the case"
		}
	case part == tropic.PartPerson:
		p.Heading = "Change the person’s link to the case"
		for _, ro := range tropic.PersonRoles {
			p.Roles = append(p.Roles, selectOption{Value: string(ro), Label: ro.Label(), Selected: f.Role == string(ro)})
		}
		p.Roles = radioOptions("role", p.Roles)
	}
	p.Layout = s.newLayout(r, p.Heading+": "+c.Reference)
	p.Nav = "cases"
	p.Errors = errs
	if err := s.fillCaseFormOptions(r.Context(), p, c); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "case_form", p)
}

// removalIntro says, truly, what removing an item of part does.
func removalIntro(part tropic.CasePart) string {
	const kept = " The timeline records that it was removed and why. What it said is kept apart, out of sight, for as long as the retention schedule allows, then disposed of."
	switch part {
	case tropic.PartPhone, tropic.PartVehicle, tropic.PartPlace, tropic.PartBusiness:
		return "This takes the " + part.Label() + " off the case. Any link it made to another record ends now; an agency whose case it linked to sees the link as withdrawn." + kept
	case tropic.PartPerson:
		return "This takes the person off this case; their record stays on any other case they are on. Links made through their details end now; an agency whose case they linked to sees the link as withdrawn." + kept
	}
	return "This takes the " + part.Label() + " off the case." + kept
}
