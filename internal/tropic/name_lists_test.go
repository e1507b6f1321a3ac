package tropic

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseNameFormsSplitsOnCommasOrElseSpaces(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Kasia  Kasieńka", []string{"Kasia", "Kasieńka"}},
		{"Abdel Rahman, Abdul  Rahman ,", []string{"Abdel Rahman", "Abdul Rahman"}},
		{"  ", nil},
		{"محمد", []string{"محمد"}},
	} {
		if got := ParseNameForms(c.in); !slices.Equal(got, c.want) {
			t.Errorf("ParseNameForms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCheckNameEntryNamesTheFieldOfEachProblem(t *testing.T) {
	ok := NameEntry{List: NameListFamiliar, Name: " Katarzyna ", Forms: []string{"Kasia"}, Source: "Interpreter"}
	if err := CheckNameEntry(&ok); err != nil || ok.Name != "Katarzyna" {
		t.Fatalf("a good entry: %v, name %q", err, ok.Name)
	}
	for _, c := range []struct {
		name  string
		e     NameEntry
		field string
	}{
		{"no list", NameEntry{Name: "A", Forms: []string{"B"}, Source: "s"}, "list"},
		{"another list", NameEntry{List: "surnames", Name: "A", Forms: []string{"B"}, Source: "s"}, "list"},
		{"no name", NameEntry{List: NameListVariants, Forms: []string{"B"}, Source: "s"}, "name"},
		{"a name of digits", NameEntry{List: NameListVariants, Name: "123", Forms: []string{"B"}, Source: "s"}, "name"},
		{"a colon in the name, which the files' layout uses", NameEntry{List: NameListVariants, Name: "A:B", Forms: []string{"B"}, Source: "s"}, "name"},
		{"no forms", NameEntry{List: NameListVariants, Name: "A", Source: "s"}, "forms"},
		{"the name as its own form", NameEntry{List: NameListVariants, Name: "Ahmed", Forms: []string{"ahmed"}, Source: "s"}, "forms"},
		{"a form with a control character", NameEntry{List: NameListVariants, Name: "A", Forms: []string{"B\x07"}, Source: "s"}, "forms"},
		{"no source", NameEntry{List: NameListVariants, Name: "A", Forms: []string{"B"}, Source: " "}, "source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckNameEntry(&c.e)
			if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
				t.Errorf("got %v (fields %v), want a problem with %s", err, ErrorFields(err), c.field)
			}
		})
	}
}

// Whatever is typed, the forms parsed are trimmed and non-empty, and checking an
// entry made of them never panics and either passes or names a field.
func FuzzNameEntry(f *testing.F) {
	for _, s := range []string{"Kasia Kasieńka", "Abdel Rahman, Abdul Rahman", ",,,", "a:b#c", "\u202eX", "محمد ምሕረት"} {
		f.Add("Katarzyna", s, "familiar")
	}
	f.Fuzz(func(t *testing.T, name, forms, list string) {
		got := ParseNameForms(forms)
		for _, g := range got {
			if g == "" || g != strings.TrimSpace(g) || strings.Contains(g, "  ") {
				t.Fatalf("ParseNameForms(%q) gave %q", forms, g)
			}
		}
		e := NameEntry{List: list, Name: name, Forms: got, Source: "fuzz"}
		if err := CheckNameEntry(&e); err != nil {
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
				t.Fatalf("CheckNameEntry: %v, want problems per field", err)
			}
			return
		}
		if !utf8.ValidString(e.Name) || len(e.Forms) == 0 {
			t.Fatalf("accepted %+v", e)
		}
	})
}
