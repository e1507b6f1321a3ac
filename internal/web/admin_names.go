package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The name lists person matching reads, for partnership administrators: the entries
// they added besides the repository's files (familiar forms, other spellings), each
// with its source and who added or withdrew it. Each change is audited and shows on
// the administration history.

type nameEntryRow struct {
	ID                            int64
	List, Name, Forms, Source     string
	Added, Withdrawn              string
	InForce                       bool
	WithdrawLabel, WithdrawAction string
}

type adminNamesPage struct {
	AdminLayout
	InForce, Withdrawn  []nameEntryRow
	Lists               []selectOption
	Name, Forms, Source string
}

func (s *Server) handleAdminNames() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderNames(w, r, http.StatusOK, &adminNamesPage{}, "", nil)
	})
}

// nameListLabels say what each list holds, for people.
var nameListLabels = map[string]string{
	tropic.NameListFamiliar: "Familiar forms (Kasia for Katarzyna)",
	tropic.NameListVariants: "Other spellings of one name (Muhammad for Mohammed)",
}

func (s *Server) renderNames(w http.ResponseWriter, r *http.Request, status int, p *adminNamesPage, list string, problems []FieldError) {
	if s.deps.NameLists == nil {
		s.notFound(w, r)
		return
	}
	entries, err := s.deps.NameLists.NameEntries(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.AdminLayout = s.adminLayout(r, "Name lists", "names")
	p.Errors = problems
	for i, l := range []string{tropic.NameListFamiliar, tropic.NameListVariants} {
		id := "list"
		if i > 0 {
			id = "list-" + l
		}
		p.Lists = append(p.Lists, selectOption{ID: id, Value: l, Label: nameListLabels[l], Selected: l == list})
	}
	for _, e := range entries {
		row := nameEntryRow{ID: e.ID, List: nameListLabels[e.List], Name: e.Name, Forms: strings.Join(e.Forms, ", "), Source: e.Source,
			Added: caseDay(e.AddedAt) + " by " + cmp.Or(e.AddedBy, "the command line"), InForce: e.InForce(),
			WithdrawLabel: "Withdraw " + e.Name, WithdrawAction: "/admin/names/" + strconv.FormatInt(e.ID, 10) + "/withdraw"}
		if row.InForce {
			p.InForce = append(p.InForce, row)
		} else {
			row.Withdrawn = caseDay(e.WithdrawnAt) + " by " + cmp.Or(e.WithdrawnBy, "the command line")
			p.Withdrawn = append(p.Withdrawn, row)
		}
	}
	s.render(w, r, status, "admin_names", p)
}

func (s *Server) handleAdminNameAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.NameLists == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		typed := &adminNamesPage{Name: r.PostFormValue("name"), Forms: r.PostFormValue("forms"), Source: r.PostFormValue("source")}
		list := r.PostFormValue("list")
		e := tropic.NameEntry{List: list, Name: typed.Name, Forms: tropic.ParseNameForms(typed.Forms), Source: typed.Source}
		_, err := s.deps.NameLists.AddNameEntry(r.Context(), actorOf(r), e)
		if code := tropic.ErrorCode(err); code == tropic.EINVALID {
			s.renderNames(w, r, statusFor(code), typed, list, errorsFrom(err, "list", "name", "forms", "source"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Entry added for "+strings.Join(strings.Fields(typed.Name), " ")+". Person matching reads it from the next comparison.", "/admin/names")
	})
}

func (s *Server) handleAdminNameWithdraw() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.NameLists == nil {
			s.notFound(w, r)
			return
		}
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		if err := s.deps.NameLists.WithdrawNameEntry(r.Context(), actorOf(r), id); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Entry withdrawn. Person matching no longer reads it.", "/admin/names")
	})
}
