package linkage

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLinkageNormaliseName(t *testing.T) {
	for _, c := range []struct{ in, want, key, initials string }{
		{"  José  O'Brien ", "jose obrien", "jose obrien", "jo"},
		{"Smith, John", "smith john", "john smith", "sj"},
		{"Anne-Marie Łukasz", "anne marie lukasz", "anne lukasz marie", "aml"},
		{"J. R. R. Tolkien", "j r r tolkien", "j r r tolkien", "jrrt"},
		{"Zoë Straße", "zoe strasse", "strasse zoe", "zs"},
		{"", "", "", ""},
	} {
		if got := NormaliseName(c.in); got != c.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := NameKey(c.in); got != c.key {
			t.Errorf("NameKey(%q) = %q, want %q", c.in, got, c.key)
		}
		if got := Initials(c.in); got != c.initials {
			t.Errorf("Initials(%q) = %q, want %q", c.in, got, c.initials)
		}
	}
}

func TestLinkageParseDOB(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"19560409", "1956-04-09"},
		{"09041956", "1956-04-09"},
		{"1956-04-09", "1956-04-09"},
		{"09/04/1956", "1956-04-09"},
		{"9.4.1956", "1956-04-09"},
		{"04/25/1956", "1956-04-25"}, // month over 12: US order read as swapped
		{"04/1956", "1956-04-??"},
		{"1956", "1956-??-??"},
		{"1956-??-09", "1956-??-09"},
		{"19561399", "1956-??-??"},
		{"unknown", ""},
		{"", ""},
	} {
		if got := NormaliseDOB(c.in); got != c.want {
			t.Errorf("NormaliseDOB(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLinkageNormaliseEmail(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{" John.Smith+spam@GoogleMail.com ", "johnsmith@gmail.com"},
		{"mailto:a.b@example.co.uk", "a.b@example.co.uk"},
		{"a.b+x@Example.CO.UK", "a.b@example.co.uk"},
		{"not an email", ""},
		{"@example.com", ""},
		{"a@", ""},
	} {
		if got := NormaliseEmail(c.in); got != c.want {
			t.Errorf("NormaliseEmail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLinkageNormalisePhone(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"07700 900123", "07700900123"},
		{"+44 7700 900123", "07700900123"},
		{"+44 (0)7700 900123", "07700900123"},
		{"0044 7700 900123", "07700900123"},
		{"447700900123", "07700900123"},
		{"(01727) 123456", "01727123456"},
		{"+33 1 23 45 67 89", "+33123456789"},
		{"999", ""},
	} {
		if got := NormalisePhone(c.in); got != c.want {
			t.Errorf("NormalisePhone(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLinkageNormaliseBusiness(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"The Clean & Shine Co. Ltd", "clean shine"},
		{"clean and shine limited", "clean shine"},
		{"Sparkle Car Wash (UK) PLC", "sparkle car wash"},
		{"Nails+Beauty LLP", "nails beauty"},
		{"Café Zoë", "cafe zoe"},
	} {
		if got := NormaliseBusiness(c.in); got != c.want {
			t.Errorf("NormaliseBusiness(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func fuzzIdempotent(f *testing.F, name string, norm func(string) string, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := norm(s)
		if twice := norm(once); twice != once {
			t.Errorf("%s not idempotent: %q -> %q -> %q", name, s, once, twice)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Errorf("%s(%q) gave invalid UTF-8 %q", name, s, once)
		}
	})
}

func FuzzNormaliseName(f *testing.F) {
	fuzzIdempotent(f, "NormaliseName", NormaliseName, "José O'Brien", "Anne-Marie", "J. R. R.", "İstanbul ǅ", "")
}

func FuzzNameKey(f *testing.F) {
	fuzzIdempotent(f, "NameKey", NameKey, "Smith, John", "b a", "")
}

func FuzzNormaliseDOB(f *testing.F) {
	fuzzIdempotent(f, "NormaliseDOB", NormaliseDOB, "19560409", "09/04/1956", "04/25/1956", "1956", "04/1956", "x")
}

func FuzzNormaliseEmail(f *testing.F) {
	fuzzIdempotent(f, "NormaliseEmail", NormaliseEmail, "A.B+c@googlemail.com", "mailto:mailto:x@y", "a@b@c", "")
}

func FuzzNormalisePhone(f *testing.F) {
	fuzzIdempotent(f, "NormalisePhone", NormalisePhone, "+44 7700 900123", "00440044123456789", "+4444 1234567", "")
}

func FuzzNormaliseBusiness(f *testing.F) {
	fuzzIdempotent(f, "NormaliseBusiness", NormaliseBusiness, "The A & B Co. Ltd", "ltd ltd", "")
}

func FuzzCompare(f *testing.F) {
	f.Add("martha", "marhta", "19560409", "19560904")
	f.Add("high street", "church road", "1956", "")
	f.Add("0pq-9 pq0ap", "p0q 9-qa0pa", "", "")
	f.Fuzz(func(t *testing.T, a, b, da, db string) {
		jw := JaroWinkler(a, b)
		if jw < 0 || jw > 1.0000001 {
			t.Errorf("JaroWinkler(%q, %q) = %v", a, b, jw)
		}
		if x, y := a, b; x != y && x != "" && y != "" {
			if len(x) > len(y) {
				x, y = y, x
			}
			if ref := jaroWinklerLong(x, y); jw != ref { // the bit-parallel form against the plain one
				t.Errorf("JaroWinkler(%q, %q) = %v, the plain algorithm gives %v", a, b, jw, ref)
			}
		}
		if WithinOneEdit(a, b) != WithinOneEdit(b, a) {
			t.Errorf("WithinOneEdit not symmetric on %q %q", a, b)
		}
		_ = Phonetic(a)
		x, y := ParseDOB(da), ParseDOB(db)
		if CompareDOB(x, y) != CompareDOB(y, x) {
			t.Errorf("CompareDOB not symmetric on %q %q", da, db)
		}
	})
}

func FuzzInitials(f *testing.F) {
	for _, s := range []string{"José O'Brien", "Anne-Marie Łukasz", "J. R. R.", "", "  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Initials(s)
		if n, words := utf8.RuneCountInString(got), len(strings.Fields(NormaliseName(s))); n != words {
			t.Errorf("Initials(%q) = %q: %d letters for %d words", s, got, n, words)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("Initials(%q) gave invalid UTF-8 %q", s, got)
		}
	})
}

func FuzzPhonetic(f *testing.F) {
	for _, s := range []string{"smith", "mcdonald", "knight", "schmidt", "ee", "h", "", "Ωmega"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Phonetic(s)
		if len(got) > 6 || strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Errorf("Phonetic(%q) = %q, want at most six capital letters", s, got)
		}
		if (got == "") != (strings.IndexFunc(s, func(r rune) bool { return r < 128 && unicode.IsLetter(r) }) < 0) {
			t.Errorf("Phonetic(%q) = %q: a key for no letters or none for some", s, got)
		}
	})
}

// Prepare is what every record goes through: preparing twice changes nothing,
// and a record compared with itself agrees on every field it has (exactly, or
// on the year of a partial date of birth).
func FuzzPrepare(f *testing.F) {
	f.Add("Anne-Marie", "O'Brien", "12a", "AL1 3AB", "04/25/1956", "+44 (0)7700 900123", "A.B+x@GoogleMail.com")
	f.Add("", "Smith", "", "", "1956", "", "")
	f.Fuzz(func(t *testing.T, given, surname, streetNo, postcode, dob, phone, email string) {
		r := Record{Given: given, Surname: surname, StreetNo: streetNo, Address: given + " " + surname, Locality: surname,
			Postcode: postcode, DOB: ParseDOB(dob), Phone: phone, Email: email, IDNo: streetNo}
		r.Prepare()
		again := r
		again.Prepare()
		if !reflect.DeepEqual(again, r) {
			t.Errorf("Prepare not idempotent:\n%+v\n%+v", r, again)
		}
		v, _, _ := Compare(&r, &r)
		for fld := 0; fld < NFields; fld++ {
			l := v.Level(fld)
			if fld == FDOB && !r.DOB.Complete() && l == DOBYearOnly {
				continue // a partial date agrees on its year only
			}
			if l != 0 && l != 1 {
				t.Errorf("%+v compared with itself: %s at level %d", r, fieldNames[fld], l)
			}
		}
		blockKeys(&r)
	})
}
