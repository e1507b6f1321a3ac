// Package linkage matches records that refer to the same person: normalisers for
// names, dates of birth, e-mail addresses, phones and business names; string and
// date comparators; and a Fellegi–Sunter model whose m and u are estimated from the
// data, with several blocking keys and an explanation on every scored pair.
package linkage

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// NormaliseName folds a person name to lower-case plain letters separated by single
// spaces: romanised (Romanise), accents folded (tropic.FoldName), apostrophes
// dropped ("O'Brien" is "obrien"), hyphens and other punctuation made spaces,
// initials kept as letters.
func NormaliseName(s string) string {
	n, _ := normaliseNameScript(s)
	return n
}

// normaliseNameScript is NormaliseName with the script the name was written in.
func normaliseNameScript(s string) (string, Script) {
	r, sc := Romanise(apostrophes.Replace(s))
	return tropic.FoldName(r), sc
}

var apostrophes = strings.NewReplacer("'", "", "’", "", "`", "")

// NameKey is the normalised name with its words sorted, so that "Smith John" and
// "John Smith" give the same key.
func NameKey(s string) string {
	w := strings.Fields(NormaliseName(s))
	sort.Strings(w)
	return strings.Join(w, " ")
}

// Initials are the first letters of each word of the normalised name.
func Initials(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(NormaliseName(s)) {
		r := []rune(w)
		b.WriteRune(r[0])
	}
	return b.String()
}

// DOB is a date of birth whose parts may be unknown (zero).
type DOB struct{ Y, M, D int }

// Known reports whether the year is known.
func (d DOB) Known() bool { return d.Y != 0 }

// Complete reports whether all three parts are known.
func (d DOB) Complete() bool { return d.Y != 0 && d.M != 0 && d.D != 0 }

// String gives YYYY-MM-DD with ?? for unknown parts, or "" when nothing is known.
func (d DOB) String() string {
	if d == (DOB{}) {
		return ""
	}
	part := func(v, w int) string {
		if v == 0 {
			return strings.Repeat("?", w)
		}
		return fmt.Sprintf("%0*d", w, v)
	}
	return part(d.Y, 4) + "-" + part(d.M, 2) + "-" + part(d.D, 2)
}

// ParseDOB reads a date of birth typed in the usual ways: YYYYMMDD, YYYY-MM-DD,
// DD/MM/YYYY (UK order), DD.MM.YYYY, MM/YYYY, YYYY; a month over 12 with a day of 12
// or less is read as day and month swapped. Parts that cannot be read are unknown.
func ParseDOB(s string) DOB {
	s = strings.TrimSpace(s)
	var parts []string
	if len(s) == 8 && allDigits(s) {
		if y, _ := strconv.Atoi(s[:4]); y >= 1800 && y <= 2200 {
			parts = []string{s[:4], s[4:6], s[6:]}
		} else {
			parts = []string{s[4:], s[2:4], s[:2]}
		}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == ' ' })
		switch {
		case len(parts) == 3 && len(parts[0]) != 4: // D M Y
			parts = []string{parts[2], parts[1], parts[0]}
		case len(parts) == 2 && len(parts[0]) != 4: // M Y
			parts = []string{parts[1], parts[0], ""}
		}
	}
	num := func(i, lo, hi int) int {
		if i >= len(parts) || !allDigits(parts[i]) || len(parts[i]) > 4 {
			return 0
		}
		v, _ := strconv.Atoi(parts[i])
		if v < lo || v > hi {
			return 0
		}
		return v
	}
	var d DOB
	d.Y = num(0, 1800, 2200)
	if d.Y == 0 {
		return DOB{}
	}
	m, dd := num(1, 1, 31), num(2, 1, 31)
	if m > 12 {
		if dd != 0 && dd <= 12 {
			m, dd = dd, m
		} else {
			m = 0
		}
	}
	d.M, d.D = m, dd
	return d
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormaliseDOB is ParseDOB(s).String().
func NormaliseDOB(s string) string { return ParseDOB(s).String() }

// NormaliseEmail lower-cases an address, drops a +tag from the local part and, for
// Gmail, dots and the googlemail.com alias. Text that is not an address gives "".
func NormaliseEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for strings.HasPrefix(s, "mailto:") {
		s = strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t<>,;") {
		return ""
	}
	local, domain := s[:at], strings.Trim(s[at+1:], ".")
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	if local == "" || domain == "" || strings.Contains(local, "@") {
		return ""
	}
	return local + "@" + domain
}

// NormalisePhone gives a UK number as national digits starting 0 (+44 and 0044
// prefixes removed, spaces, brackets and dashes dropped), other numbers as digits
// with a leading +. Fewer than 7 digits give "".
func NormalisePhone(s string) string {
	for range 8 {
		t := normalisePhone(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func normalisePhone(s string) string {
	var b strings.Builder
	plus := false
	for i, r := range strings.TrimSpace(s) {
		if r == '+' && b.Len() == 0 && i < 2 {
			plus = true
		}
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "0044"):
		d, plus = "0"+strings.TrimPrefix(d[4:], "0"), false
	case plus && strings.HasPrefix(d, "44"):
		d, plus = "0"+strings.TrimPrefix(d[2:], "0"), false
	case !plus && strings.HasPrefix(d, "44") && len(d) == 12:
		d = "0" + d[2:]
	}
	if len(d) < 7 {
		return ""
	}
	if plus {
		return "+" + d
	}
	return d
}

var businessWords = map[string]string{
	"ltd": "", "limited": "", "plc": "", "llp": "", "lp": "", "inc": "", "incorporated": "",
	"co": "", "company": "", "the": "", "and": "", "uk": "", "services": "", "svcs": "",
}

// NormaliseBusiness reduces a business name to its distinctive words: folded,
// "&" and "+" read as "and", and legal forms and filler (Ltd, Limited, PLC, LLP,
// Co, Company, The, and, UK, Services) dropped, so that "The Clean & Shine Co. Ltd"
// and "clean shine limited" agree.
func NormaliseBusiness(s string) string {
	s = strings.NewReplacer("&", " and ", "+", " and ", "'", "", "’", "", ".", "").Replace(s)
	var out []string
	for _, w := range strings.Fields(tropic.FoldName(s)) {
		if _, drop := businessWords[w]; !drop {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
