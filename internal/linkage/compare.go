package linkage

import (
	"math/bits"
	"strings"
)

// JaroWinkler is the Jaro–Winkler similarity of a and b (bytes), from 0 to 1, with
// the usual prefix scale 0.1 over at most four common leading characters.
func JaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb > 64 {
		return jaroWinklerLong(a, b)
	}
	// matched characters as bits: names and addresses are short, and a comparison
	// is made on every candidate pair
	var pos [64]uint64 // where each byte occurs in b, bytes folded to six bits
	for j := 0; j < lb; j++ {
		pos[b[j]&63] |= 1 << j
	}
	win := max(lb/2-1, 0)
	var ma, mb uint64
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-win), min(lb, i+win+1)
		c := a[i]
		for free := pos[c&63] &^ mb & (1<<hi - 1) >> lo << lo; free != 0; free &= free - 1 {
			if j := bits.TrailingZeros64(free); b[j] == c {
				ma |= 1 << i
				mb |= 1 << j
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t := 0
	for ma != 0 {
		if a[bits.TrailingZeros64(ma)] != b[bits.TrailingZeros64(mb)] {
			t++
		}
		ma &= ma - 1
		mb &= mb - 1
	}
	return winkler(a, b, m, t)
}

func winkler(a, b string, m, t int) float64 {
	fm := float64(m)
	j := (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(t/2))/fm) / 3
	p := 0
	for p < 4 && p < len(a) && a[p] == b[p] {
		p++
	}
	return j + float64(p)*0.1*(1-j)
}

// jaroWinklerLong is JaroWinkler written plainly, for strings longer than 64
// bytes (and, in FuzzCompare, as the reference of the bit-parallel form); a and b
// are not empty and len(a) <= len(b).
func jaroWinklerLong(a, b string) float64 {
	la, lb := len(a), len(b)
	win := max(lb/2-1, 0)
	ma, mb := make([]bool, la), make([]bool, lb)
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-win), min(lb, i+win+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	return winkler(a, b, m, t)
}

// WithinOneEdit reports whether a and b differ by at most one substitution,
// insertion, deletion or swap of adjacent characters.
func WithinOneEdit(a, b string) bool {
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		first := -1
		diff := 0
		for i := 0; i < la; i++ {
			if a[i] != b[i] {
				if first < 0 {
					first = i
				}
				diff++
			}
		}
		if diff <= 1 {
			return true
		}
		return diff == 2 && first+1 < la && a[first] == b[first+1] && a[first+1] == b[first] && a[first+2:] == b[first+2:]
	case la == lb+1:
		a, b = b, a
		la, lb = lb, la
		fallthrough
	case la+1 == lb:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// Phonetic is a NYSIIS-style key of a folded name, written here from the published
// rules (Taft, 1970), simplified: at most six letters, first letter kept.
func Phonetic(name string) string {
	s := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' {
			s = append(s, c-32)
		} else if c >= 'A' && c <= 'Z' {
			s = append(s, c)
		}
	}
	if len(s) == 0 {
		return ""
	}
	w := string(s)
	for _, r := range [][2]string{{"MAC", "MCC"}, {"KN", "NN"}, {"K", "C"}, {"PH", "FF"}, {"PF", "FF"}, {"SCH", "SSS"}} {
		if strings.HasPrefix(w, r[0]) {
			w = r[1] + w[len(r[0]):]
			break
		}
	}
	for _, r := range [][2]string{{"EE", "Y"}, {"IE", "Y"}, {"DT", "D"}, {"RT", "D"}, {"RD", "D"}, {"NT", "D"}, {"ND", "D"}} {
		if strings.HasSuffix(w, r[0]) {
			w = w[:len(w)-len(r[0])] + r[1]
			break
		}
	}
	// Y after the first letter is read as a vowel (a simplification: "Smyth" as "Smith")
	vowel := func(c byte) bool { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y' }
	b := []byte(w)
	key := []byte{b[0]}
	for i := 1; i < len(b); i++ {
		var add []byte
		c := b[i]
		prev := b[i-1]
		if vowel(prev) {
			prev = 'A'
		}
		switch {
		case c == 'E' && i+1 < len(b) && b[i+1] == 'V':
			add = []byte("AF")
			i++
		case vowel(c):
			add = []byte{'A'}
		case c == 'Q':
			add = []byte{'G'}
		case c == 'Z':
			add = []byte{'S'}
		case c == 'M':
			add = []byte{'N'}
		case c == 'K' && i+1 < len(b) && b[i+1] == 'N':
			add = []byte{'N'}
			i++
		case c == 'K':
			add = []byte{'C'}
		case c == 'S' && i+2 < len(b) && b[i+1] == 'C' && b[i+2] == 'H':
			add = []byte("SSS")
			i += 2
		case c == 'P' && i+1 < len(b) && b[i+1] == 'H':
			add = []byte("FF")
			i++
		case c == 'H' && (!vowel(b[i-1]) || (i+1 < len(b) && !vowel(b[i+1])) || i+1 == len(b)):
			add = []byte{prev}
		case c == 'W' && vowel(b[i-1]):
			add = []byte{prev}
		default:
			add = []byte{c}
		}
		for _, x := range add {
			if key[len(key)-1] != x {
				key = append(key, x)
			}
		}
	}
	if len(key) > 1 && key[len(key)-1] == 'S' {
		key = key[:len(key)-1]
	}
	if len(key) > 2 && key[len(key)-2] == 'A' && key[len(key)-1] == 'Y' {
		key = append(key[:len(key)-2], 'Y')
	}
	if len(key) > 1 && key[len(key)-1] == 'A' {
		key = key[:len(key)-1]
	}
	if len(key) > 6 {
		key = key[:6]
	}
	return string(key)
}

// DOB comparison levels.
const (
	DOBMissing = iota
	DOBExact
	DOBSwapped
	DOBOneDiffers
	DOBYearOnly // the same year, and no other part known in both differs
	DOBSameYear // the same year, but the month or the day differs
	DOBDifferent
)

// CompareDOB gives the level of agreement of two dates of birth: exact, day and
// month swapped, one component different, the same year where only the year is
// known in one (or the other parts agree as far as both are known), the same
// year with the month or day differing, different, or missing. The two levels
// of one year are apart because they weigh apart: a record giving only a year
// says nothing against the other's month and day, while two full dates of one
// year and another month and day are two people born in that year as often as
// one person's date mistyped.
func CompareDOB(a, b DOB) int {
	if !a.Known() || !b.Known() {
		return DOBMissing
	}
	if a == b && a.Complete() {
		return DOBExact
	}
	if a.Y == b.Y && a.M == b.D && a.D == b.M && a.M != 0 && a.D != 0 {
		return DOBSwapped
	}
	if a.Complete() && b.Complete() {
		same := 0
		if a.Y == b.Y {
			same++
		}
		if a.M == b.M {
			same++
		}
		if a.D == b.D {
			same++
		}
		if same == 2 {
			return DOBOneDiffers
		}
	}
	if a.Y != b.Y {
		return DOBDifferent
	}
	if a.M != 0 && b.M != 0 && a.M != b.M || a.D != 0 && b.D != 0 && a.D != b.D {
		return DOBSameYear
	}
	return DOBYearOnly
}
