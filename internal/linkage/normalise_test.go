package linkage

import (
	"testing"
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
	f.Fuzz(func(t *testing.T, a, b, da, db string) {
		jw := JaroWinkler(a, b)
		if jw < 0 || jw > 1.0000001 {
			t.Errorf("JaroWinkler(%q, %q) = %v", a, b, jw)
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
