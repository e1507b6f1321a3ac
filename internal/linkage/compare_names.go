package linkage

import (
	"fmt"
	"slices"
	"strings"
)

// Levels of name comparisons (0 is missing), from the closest agreement to none.
const (
	NameMissing = iota
	NameExact
	NameJW94
	NameVariant  // the same consonant skeleton, or one transliteration family
	NameFamiliar // a familiar form of the other (Kasia, Katarzyna)
	NamePhonetic
	NameJW85
	NamePart // the words of one are among the other's: a middle or father's name in one only
	NameInitial
	NameJW70
	NameDifferent
	nameLevels
)

// nameField is one name of a record as comparisons need it, made once by
// Prepare.
type nameField struct {
	joined, words, skel, phon string
	parts                     []namePart // the words, when more than one
	fam                       famSet
	script                    Script
}

// namePart is one word of a name with its skeleton.
type namePart struct{ word, skel string }

// newNameField makes the name field of a romanised, folded name (words apart);
// firstWord takes the families of the first word when the whole has none
// ("Mohamed Ahmed": the given name and the father's).
func newNameField(names *Names, romanised string, script Script, firstWord bool) nameField {
	n := nameField{joined: strings.ReplaceAll(romanised, " ", ""), skel: Skeleton(romanised), script: script}
	n.phon = Phonetic(n.joined)
	if n.joined != romanised {
		n.words = romanised
		for _, w := range strings.Fields(romanised) {
			n.parts = append(n.parts, namePart{w, Skeleton(w)})
		}
	}
	n.fam = names.families(n.joined, n.skel)
	if n.fam[0] == 0 && firstWord && len(n.parts) > 0 {
		n.fam = names.families(n.parts[0].word, n.parts[0].skel)
	}
	return n
}

// givenField is the given name's field: as Prepare made it, or, for a record
// not prepared (or whose name changed since), its joined form and phonetic key.
func (r *Record) givenField() *nameField { return r.gName.of(r.Given) }

func (r *Record) surnameField() *nameField { return r.sName.of(r.Surname) }

func (n *nameField) of(name string) *nameField {
	if n.joined == name && (name == "" || n.phon != "" || n.skel != "") {
		return n
	}
	return &nameField{joined: name, phon: Phonetic(name)}
}

// nameLevel compares two names: the level and the Jaro–Winkler similarity of
// their romanised forms.
func nameLevel(a, b *nameField, names *Names) (int, float64) {
	if a.joined == "" || b.joined == "" {
		return NameMissing, 0
	}
	if a.joined == b.joined {
		return NameExact, 1
	}
	jw := JaroWinkler(a.joined, b.joined)
	switch {
	case jw >= 0.94:
		return NameJW94, jw
	}
	f := a.fam.common(b.fam)
	if f == 0 && a.skel == b.skel && len(a.skel) >= 2 && (a.fam[0] == 0 || b.fam[0] == 0) {
		return NameVariant, jw // names of two families are two names, whatever their skeletons
	}
	if f != 0 {
		if isFamiliar(names, f) {
			return NameFamiliar, jw
		}
		return NameVariant, jw
	}
	switch {
	case (a.words != "" || b.words != "") && wordsWithin(a, b):
		return NamePart, jw // told before the weaker agreements, which it explains
	case a.phon == b.phon:
		return NamePhonetic, jw
	case jw >= 0.85:
		return NameJW85, jw
	case (len(a.joined) == 1 || len(b.joined) == 1) && a.joined[0] == b.joined[0]:
		return NameInitial, jw
	case jw >= 0.7:
		return NameJW70, jw
	}
	return NameDifferent, jw
}

// isFamiliar reports whether family f is one of familiar forms.
func isFamiliar(n *Names, f uint16) bool {
	if n == nil {
		n = DefaultNames()
	}
	return int(f) <= len(n.familiar) && n.familiar[f-1]
}

// wordsWithin reports whether every word of the name with fewer words agrees
// (exactly or by skeleton) with a word of the other: "Van An" and "An", "Tekle
// Gebremedhin" and "Tekle".
func wordsWithin(a, b *nameField) bool {
	wa, wb := a.parts, b.parts
	var one [1]namePart // a name of one word: itself
	if wa == nil {
		one[0] = namePart{a.joined, a.skel}
		wa = one[:]
	} else if wb == nil {
		one[0] = namePart{b.joined, b.skel}
		wb = one[:]
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) == len(wb) {
		return false
	}
	for _, x := range wa {
		found := false
		for _, y := range wb {
			if x.word == y.word || len(x.word) > 2 && x.skel == y.skel {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// blockParts are the two name parts blocking keys on, as canonical skeletons:
// the last word of the given name (Văn An: An) and the first of the family name
// (Tekle Gebremedhin: Tekle); a name typed in one field gives its first and last
// words.
func blockParts(names *Names, given, surname *nameField) (string, string) {
	g, s := given.wordParts(), surname.wordParts()
	var a, b namePart
	switch {
	case len(g) > 0 && len(s) > 0:
		a, b = g[len(g)-1], s[0]
	case len(g)+len(s) >= 2:
		w := append(slices.Clip(g), s...)
		a, b = w[0], w[len(w)-1]
	case len(g) == 1:
		a = g[0]
	case len(s) == 1:
		a = s[0]
	}
	canon := func(w namePart) string {
		if w.word == "" {
			return ""
		}
		return names.canonical(names.families(w.word, w.skel), w.skel)
	}
	return canon(a), canon(b)
}

// wordParts are the words of a name with their skeletons: one, itself, when
// it has one word.
func (n *nameField) wordParts() []namePart {
	if n.parts != nil || n.joined == "" {
		return n.parts
	}
	return []namePart{{n.joined, n.skel}}
}

// strongName is a level at which one name alone suggests the same person.
func strongName(l int) bool { return l >= NameExact && l <= NameFamiliar }

// compareNames gives the levels of given name and surname: compared straight,
// crosswise when that agrees better (names swapped), and, when one record has
// the whole name in one field, against that field's words.
func compareNames(a, b *Record, d *detail) (lg, ls int) {
	ag, as, bg, bs := a.givenField(), a.surnameField(), b.givenField(), b.surnameField()
	var sg, ss float64
	names := a.names
	lg, sg = nameLevel(ag, bg, names)
	ls, ss = nameLevel(as, bs, names)
	switch {
	case !(strongName(lg) && strongName(ls)) && ag.joined != "" && as.joined != "" && bg.joined != "" && bs.joined != "":
		// crosswise, one name agreeing closely and the two better than straight:
		// "Oliver Booth" and "Eooth Oliver", "Jack Hall" and "Hall J"
		xg, xsg := nameLevel(ag, bs, names)
		xs, xss := nameLevel(as, bg, names)
		if (strongName(xg) || strongName(xs)) && xg+xs < lg+ls {
			lg, sg, ls, ss, d.swapped = xg, xsg, xs, xss, true
		}
	case (ag.joined == "") != (as.joined == "") && bg.joined != "" && bs.joined != "":
		lg, ls, sg, ss = oneField(a, b, d)
	case (bg.joined == "") != (bs.joined == "") && ag.joined != "" && as.joined != "":
		lg, ls, sg, ss = oneField(b, a, d)
	}
	d.sims[FGiven], d.sims[FSurname] = sg, ss
	return lg, ls
}

// oneField compares the name of a, typed whole in one field, with b's given name
// and surname: b's given name against the field's first or last word, b's surname
// against the rest, whichever order agrees better (Nguyen Van An, Ardit Berisha).
func oneField(a, b *Record, d *detail) (lg, ls int, sg, ss float64) {
	f := a.givenField()
	if f.joined == "" {
		f = a.surnameField()
	}
	words := strings.Fields(f.words)
	if len(words) < 2 {
		lg, sg = nameLevel(a.givenField(), b.givenField(), a.names)
		ls, ss = nameLevel(a.surnameField(), b.surnameField(), a.names)
		return lg, ls, sg, ss
	}
	names := a.names
	if names == nil {
		names = DefaultNames()
	}
	part := func(ws []string) *nameField {
		n := newNameField(names, strings.Join(ws, " "), f.script, false)
		return &n
	}
	bg, bs := b.givenField(), b.surnameField()
	best := -1
	for _, split := range [][2][]string{
		{words[:1], words[1:]}, {words[len(words)-1:], words[:len(words)-1]}, // given first or last
		{words[1:], words[:1]}, {words[:len(words)-1], words[len(words)-1:]}, // family name first or last
	} {
		if len(split[0]) == 0 || len(split[1]) == 0 {
			continue
		}
		g, gs := nameLevel(part(split[0]), bg, names)
		s, s2 := nameLevel(part(split[1]), bs, names)
		if best < 0 || g+s < lg+ls {
			lg, ls, sg, ss, best = g, s, gs, s2, 1
		}
	}
	d.oneField = true
	return lg, ls, sg, ss
}

// explainName says how name field f (FGiven or FSurname) of a and b agreed at
// level l: "given name matches after romanisation from Cyrillic", "given name is
// a familiar form of Katarzyna".
func explainName(a, b *Record, f, l int, d detail) string {
	n := fieldNames[f]
	x, y := a.givenField(), b.givenField()
	if f == FSurname {
		x, y = a.surnameField(), b.surnameField()
	}
	if d.swapped {
		if f == FGiven {
			y = b.surnameField()
		} else {
			y = b.givenField()
		}
	}
	from := ""
	for _, sc := range []Script{x.script, y.script} {
		if sc != ScriptLatin && x.script != y.script {
			from = " after romanisation from " + sc.String()
		}
	}
	switch l {
	case NameExact:
		if from != "" {
			return n + " matches" + from
		}
		return "same " + n
	case NameJW94, NameJW85, NameJW70:
		return fmt.Sprintf("%s similar %.2f%s", n, d.sims[f], from)
	case NameVariant:
		return n + " is another transliteration of the same name" + from
	case NameFamiliar:
		if fam := x.fam.common(y.fam); fam != 0 && a.names != nil {
			return n + " is a familiar form of " + a.names.canon[fam-1]
		}
		return n + " is a familiar form of the other"
	case NamePhonetic:
		return fmt.Sprintf("%s sounds alike (similar %.2f)%s", n, d.sims[f], from)
	case NamePart:
		return n + " agrees but for a name part in one record only (a middle or father's name)"
	case NameInitial:
		return n + " agrees with an initial"
	}
	return n + " differs"
}
