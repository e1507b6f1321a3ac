package tropic

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// Person matching reads two lists of given names from files in the repository
// (internal/linkage/names): familiar forms (Katarzyna: Kasia) and transliteration
// families (Mohammed: Muhammad Mohamed). A partnership administrator adds to them
// where the partnership meets names the files lack; the matcher reads the files and
// the entries in force together. Entries are never edited: one is withdrawn and
// another added, so the list of entries is also their history.

// Name lists an entry may add to.
const (
	NameListFamiliar = "familiar" // familiar forms of a given name
	NameListVariants = "variants" // spellings of one name in other transliterations
)

// AuditNameListChanged is an entry added to or withdrawn from the name lists.
const AuditNameListChanged = "names.changed"

// NameEntry is one family of names an administrator added: a name and its other
// forms, in one list, with where the administrator has it from.
type NameEntry struct {
	ID     int64
	List   string // NameListFamiliar or NameListVariants
	Name   string // the formal or usual form: "Katarzyna", "Mohammed"
	Forms  []string
	Source string // where the forms are from: a dictionary, an interpreter, a document
	// AddedBy and AddedAt say who added it and when; WithdrawnBy and WithdrawnAt
	// who withdrew it and when (zero while it is in force).
	AddedBy, WithdrawnBy string
	AddedAt, WithdrawnAt time.Time
}

// InForce reports whether the matcher reads the entry.
func (e NameEntry) InForce() bool { return e.WithdrawnAt.IsZero() }

// NameListService keeps the administrators' entries.
type NameListService interface {
	// NameEntries lists every entry, in force or withdrawn, oldest first.
	NameEntries(ctx context.Context) ([]NameEntry, error)
	// AddNameEntry checks the entry (CheckNameEntry) and adds it, audited.
	AddNameEntry(ctx context.Context, actor Actor, e NameEntry) (int64, error)
	// WithdrawNameEntry stops the matcher reading an entry, audited; ENOTFOUND
	// for no such entry, ECONFLICT for one withdrawn already.
	WithdrawNameEntry(ctx context.Context, actor Actor, id int64) error
}

// MayChangeNameLists lets partnership administrators change the name lists person
// matching reads: they are reference data of the whole partnership.
func MayChangeNameLists(a Actor) error {
	if a.runsPartnership() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can change the name lists.")
}

// maxNameForms bounds the forms of one entry.
const maxNameForms = 30

// ParseNameForms splits the forms as typed: separated by commas, or by spaces when
// there is no comma ("Kasia Kasieńka" or "Abdel Rahman, Abdul Rahman").
func ParseNameForms(s string) []string {
	sep := strings.Fields
	if strings.Contains(s, ",") {
		sep = func(s string) []string { return strings.Split(s, ",") }
	}
	var out []string
	for _, f := range sep(s) {
		if f = strings.Join(strings.Fields(f), " "); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// CheckNameEntry checks an entry as typed, trimming its text: problems are told
// per field (list, name, forms, source).
func CheckNameEntry(e *NameEntry) error {
	var p Problems
	e.Name, e.Source = strings.Join(strings.Fields(e.Name), " "), strings.TrimSpace(e.Source)
	if e.List != NameListFamiliar && e.List != NameListVariants {
		p.Add("list", "Choose familiar forms or other spellings")
	}
	checkName := func(field, label, s string) {
		CheckText(&p, field, label, s, 60)
		if !strings.ContainsFunc(s, unicode.IsLetter) {
			p.Add(field, label+" must hold a letter")
		}
		if strings.ContainsAny(s, ":#,") {
			p.Add(field, label+" must not hold a colon, comma or #")
		}
	}
	if e.Name == "" {
		p.Add("name", "Enter the name, like Katarzyna")
	} else {
		checkName("name", "The name", e.Name)
	}
	switch {
	case len(e.Forms) == 0:
		p.Add("forms", "Enter at least one other form, like Kasia")
	case len(e.Forms) > maxNameForms:
		p.Add("forms", "Enter at most 30 forms in one entry")
	}
	for i, f := range e.Forms {
		f = strings.Join(strings.Fields(f), " ")
		e.Forms[i] = f
		checkName("forms", "Each form", f)
		if strings.EqualFold(f, e.Name) {
			p.Add("forms", "The forms must differ from the name itself")
		}
	}
	if e.Source == "" {
		p.Add("source", "Say where these forms are from, like an interpreter or a dictionary")
	} else {
		CheckText(&p, "source", "The source", e.Source, 300)
	}
	return p.Err()
}
