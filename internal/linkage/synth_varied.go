package linkage

import (
	"embed"
	"fmt"
	"math/rand/v2"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A population shaped like the people a partnership records: Albanian, Vietnamese,
// Romanian, Polish, Ukrainian, Sudanese, Eritrean and Chinese names (names/people/*.txt,
// each name in its own script, its standard Latin form and other spellings met in
// records), and duplicates that differ from the original in one way each, as records
// of one person kept by different agencies do: the name in its own script, another
// transliteration, given and family names swapped, a familiar form, the name's
// structure (a middle, father's or grandfather's name present or not, the whole name
// in one field), day and month of birth swapped, the year of birth only, the address
// missing or moved. Every duplicate is labelled with its variation, so that precision
// and recall can be told per variation.

//go:embed names
var nameFiles embed.FS

// Variations of a duplicate from its original.
const (
	VarOriginal   = "original"
	VarScript     = "other script"
	VarTranslit   = "other transliteration"
	VarSwapped    = "names swapped"
	VarFamiliar   = "familiar form"
	VarStructure  = "name structure"
	VarDOBSwapped = "day and month swapped"
	VarYearOnly   = "year of birth only"
	VarAddress    = "address missing or moved"
)

// Variations lists the variations of a duplicate, in the order reports give them.
var Variations = []string{VarScript, VarTranslit, VarSwapped, VarFamiliar, VarStructure, VarDOBSwapped, VarYearOnly, VarAddress}

// nameForms is one name as a community writes it, with its share of the
// community's people when the file states it (0: the long tail decides).
type nameForms struct {
	native, latin string
	others        []string
	share         float64
}

type community struct {
	name           string
	given, family  pool
	familiar       map[string][]string // by native given name
	familyFirst    bool                // Vietnamese and Chinese: family name first when written natively
	patronymic     bool                // Sudanese and Eritrean: the father's (and grandfather's) names follow
	nonLatinScript bool
}

// communities reads names/people once: the files are embedded and never change.
var communities = sync.OnceValue(func() []community {
	entries, err := nameFiles.ReadDir("names/people")
	if err != nil {
		panic("linkage: names/people: " + err.Error()) // embedded
	}
	var out []community
	for _, e := range entries {
		b, err := nameFiles.ReadFile(path.Join("names/people", e.Name()))
		if err != nil {
			panic("linkage: " + err.Error())
		}
		c := community{name: strings.TrimSuffix(e.Name(), ".txt"), familiar: map[string][]string{}}
		var given, family []nameForms
		parts := map[string][][][]nameForms{} // "given" or "family": groups of lists of parts of composed names
		switch c.name {
		case "vietnamese", "chinese":
			c.familyFirst = true
		case "sudanese", "eritrean":
			c.patronymic = true
		}
		c.nonLatinScript = slices.Contains([]string{"ukrainian", "sudanese", "eritrean", "chinese"}, c.name)
		for line := range strings.Lines(string(b)) {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			kind, rest, _ := strings.Cut(line, ":")
			if strings.HasPrefix(line, "~") {
				kind, rest = "~", line[1:]
			}
			cols := strings.Split(rest, "|")
			for i := range cols {
				cols[i] = strings.TrimSpace(cols[i])
			}
			switch {
			case kind == "~" && len(cols) == 2:
				c.familiar[cols[0]] = strings.Fields(cols[1])
			case (kind == "given" || kind == "family") && (len(cols) == 3 || len(cols) == 4):
				f := nameForms{native: cols[0], latin: cols[1], others: splitOthers(cols[2])}
				if len(cols) == 4 {
					pc, err := strconv.ParseFloat(strings.TrimSuffix(cols[3], "%"), 64)
					if err != nil || pc <= 0 || pc >= 100 {
						panic(fmt.Sprintf("linkage: names/people/%s: share %q", e.Name(), cols[3]))
					}
					f.share = pc / 100
				}
				if kind == "given" {
					given = append(given, f)
				} else {
					family = append(family, f)
				}
			case partLine.MatchString(kind) && len(cols) == 3:
				m := partLine.FindStringSubmatch(kind)
				k, g, i := m[1], 0, int(m[3][0]-'1')
				if m[2] != "" {
					g = int(m[2][0] - 'a')
				}
				for len(parts[k]) <= g {
					parts[k] = append(parts[k], nil)
				}
				for len(parts[k][g]) <= i {
					parts[k][g] = append(parts[k][g], nil)
				}
				f := nameForms{native: cols[0], latin: cols[1], others: splitOthers(cols[2])}
				if f.native == "-" {
					f = nameForms{} // the part left out
				}
				parts[k][g][i] = append(parts[k][g][i], f)
			default:
				panic(fmt.Sprintf("linkage: names/people/%s: cannot read %q", e.Name(), line))
			}
		}
		for _, g := range parts["given"] {
			given = compose(&c, given, g)
		}
		for _, g := range parts["family"] {
			family = compose(&c, family, g)
		}
		c.given, c.family = newPool(given), newPool(family)
		out = append(out, c)
	}
	return out
})

// partLine is the kind of a line giving one part of composed names: given-1,
// family-2 and so on; given-b1, given-b2 are a second group, composed apart.
var partLine = regexp.MustCompile(`^(given|family)-([a-z]?)([1-9])$`)

func splitOthers(s string) []string {
	var out []string
	sep := strings.Fields
	if strings.Contains(s, ",") {
		sep = func(s string) []string { return strings.Split(s, ",") }
	}
	for _, x := range sep(s) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// VariedPerson is one generated record with its entity and, for a duplicate, the
// way it differs from its entity's original.
type VariedPerson struct {
	SynthPerson
	Variation string
}

// variedEntity is what the generator knows of one person: the forms of their names.
type variedEntity struct {
	c              *community
	given          nameForms
	father, grand  *nameForms // patronymic communities: the second and third names
	family         nameForms
	hasGrandfather bool
}

// SynthesizeVaried makes about n records: originals written in the standard Latin
// forms, and for half of them one or two duplicates, each differing in one
// variation, drawn in turn so that every variation is about equally common (one
// that does not apply to a person is owed to the next it applies to).
func SynthesizeVaried(n int, seed uint64) []VariedPerson {
	rng := rand.New(rand.NewPCG(seed, 44))
	cs := communities()
	out := make([]VariedPerson, 0, n+2)
	var prev SynthPerson
	var prevEnt variedEntity
	turn := 0
	var owed []string
	for e := 0; len(out) < n; e++ {
		ent, orig := newVariedPerson(rng, &cs[rng.IntN(len(cs))], e)
		if e > 0 && rng.IntN(8) == 0 {
			// a household: the same address and, half the time, a family of the
			// same community with the same family (or father's) name
			orig.StreetNo, orig.Address, orig.Town, orig.Postcode = prev.StreetNo, prev.Address, prev.Town, prev.Postcode
			if rng.IntN(2) == 0 {
				ent.c = prevEnt.c
				ent.given = ent.c.given.draw(rng)
				ent.father, ent.family, ent.hasGrandfather = prevEnt.father, prevEnt.family, prevEnt.hasGrandfather
				orig.Given, orig.Surname = ent.given.latin, prev.Surname
			}
		}
		prev, prevEnt = orig, ent
		out = append(out, VariedPerson{SynthPerson: orig, Variation: VarOriginal})
		dups := 0
		if rng.IntN(2) == 0 {
			dups = 1 + rng.IntN(4)/3 // one, a quarter of the time two
		}
		for k := 0; k < dups && len(out) < n; k++ {
			for try := 0; ; try++ {
				// a variation owed (it did not apply to an earlier person: a name with no
				// familiar form, a day of birth over 12) comes before the next in turn
				i := slices.IndexFunc(owed, func(v string) bool { return applies(ent, orig, v) })
				v := ""
				if i >= 0 {
					v, owed = owed[i], slices.Delete(owed, i, i+1)
				} else {
					v = Variations[turn%len(Variations)]
					turn++
				}
				if q, ok := vary(rng, ent, orig, v); ok || try > 20 {
					if ok {
						q = background(rng, q, orig, v)
						out = append(out, VariedPerson{SynthPerson: q, Variation: v})
					}
					break
				}
				if len(owed) < 4*len(Variations) {
					owed = append(owed, v)
				}
			}
		}
	}
	return out
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func newVariedPerson(rng *rand.Rand, c *community, e int) (variedEntity, SynthPerson) {
	base := newPerson(rng, e) // address, postcode, date of birth
	ent := variedEntity{c: c, given: c.given.draw(rng), family: c.family.draw(rng)}
	p := SynthPerson{Entity: e, Given: ent.given.latin, Surname: ent.family.latin,
		StreetNo: base.StreetNo, Address: base.Address, Town: base.Town, Postcode: base.Postcode}
	y, m, d := 1960+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28)
	p.DOB = fmt.Sprintf("%04d%02d%02d", y, m, d)
	if c.patronymic {
		// given name, father's name as the family name, sometimes the grandfather's after it
		f := c.given.draw(rng)
		ent.father = &f
		ent.hasGrandfather = rng.IntN(3) == 0
		if ent.hasGrandfather {
			ent.family = c.family.draw(rng)
			p.Surname = f.latin + " " + ent.family.latin
		} else {
			p.Surname = f.latin
			ent.family = f
		}
	}
	return ent, p
}

// applies tells, without drawing, whether variation v can apply to a person: a
// familiar form known for the given name, a day of birth that can be a month.
func applies(ent variedEntity, orig SynthPerson, v string) bool {
	switch v {
	case VarFamiliar:
		return len(ent.c.familiar[ent.given.native]) > 0
	case VarDOBSwapped:
		d, m := orig.DOB[6:], orig.DOB[4:6]
		return d <= "12" && d != m
	}
	return true
}

// vary makes a duplicate of orig differing in v; false when v does not apply to
// this person (no familiar form known, a day of birth over 12).
func vary(rng *rand.Rand, ent variedEntity, orig SynthPerson, v string) (SynthPerson, bool) {
	q := orig
	q.Phone, q.Email = "", ""
	surname := func(choose func(nameForms) string) string {
		if ent.c.patronymic && ent.hasGrandfather {
			return choose(*ent.father) + " " + choose(ent.family)
		}
		return choose(ent.family)
	}
	switch v {
	case VarScript:
		native := func(f nameForms) string { return nativeForm(rng, ent.c, f) }
		q.Given, q.Surname = native(ent.given), surname(native)
		if !ent.c.nonLatinScript && q.Given == orig.Given && q.Surname == orig.Surname {
			return q, false // no diacritic in this name
		}
	case VarTranslit:
		other := func(f nameForms) string {
			if len(f.others) == 0 {
				return f.latin
			}
			return pick(rng, f.others)
		}
		switch rng.IntN(3) {
		case 0:
			q.Given = other(ent.given)
		case 1:
			q.Surname = surname(other)
		default:
			q.Given, q.Surname = other(ent.given), surname(other)
		}
	case VarSwapped:
		q.Given, q.Surname = orig.Surname, orig.Given
	case VarFamiliar:
		fam := ent.c.familiar[ent.given.native]
		if len(fam) == 0 {
			return q, false
		}
		q.Given = pick(rng, fam)
	case VarStructure:
		return structure(rng, ent, orig)
	case VarDOBSwapped:
		d, m := orig.DOB[6:], orig.DOB[4:6]
		if d > "12" || d == m {
			return q, false
		}
		q.DOB = orig.DOB[:4] + d + m
	case VarYearOnly:
		q.DOB = orig.DOB[:4]
	case VarAddress:
		if rng.IntN(2) == 0 {
			q.StreetNo, q.Address, q.Town, q.Postcode = "", "", "", ""
		} else {
			moved := newPerson(rng, orig.Entity)
			q.StreetNo, q.Address, q.Town, q.Postcode = moved.StreetNo, moved.Address, moved.Town, moved.Postcode
		}
	}
	if q == orig {
		return q, false
	}
	return q, true
}

// background adds what differs between any two agencies' records of one person,
// besides the variation v that labels the duplicate: the address is often missing
// or another (half the time), and the date of birth often known by its year only
// (a quarter of the time).
func background(rng *rand.Rand, q, orig SynthPerson, v string) SynthPerson {
	if v != VarAddress && rng.IntN(2) == 0 {
		q, _ = vary(rng, variedEntity{}, q, VarAddress)
	}
	if v != VarYearOnly && v != VarDOBSwapped && rng.IntN(4) == 0 {
		q.DOB = orig.DOB[:4]
	}
	return q
}

// nativeForm is a name as its community writes it; Romanian ș and ț are written
// with the cedilla (ş, ţ) a third of the time, as older keyboards give them.
func nativeForm(rng *rand.Rand, c *community, f nameForms) string {
	if c.name == "romanian" && rng.IntN(3) == 0 {
		return strings.NewReplacer("ș", "ş", "ț", "ţ", "Ș", "Ş", "Ț", "Ţ").Replace(f.native)
	}
	return f.native
}

// structure changes the parts of a name: a middle name or the grandfather's name
// left out or added, the whole name in one field (in the community's order).
func structure(rng *rand.Rand, ent variedEntity, orig SynthPerson) (SynthPerson, bool) {
	q := orig
	q.Phone, q.Email = "", ""
	switch c := ent.c; {
	case c.patronymic && rng.IntN(3) > 0:
		if ent.hasGrandfather {
			q.Surname = ent.father.latin // the grandfather's name left out
		} else {
			q.Surname = orig.Surname + " " + c.family.draw(rng).latin // the grandfather's added
		}
	case c.name == "vietnamese" && rng.IntN(2) == 0:
		words := strings.Fields(orig.Given)
		q.Given = words[len(words)-1] // the middle name left out
	case c.familyFirst && rng.IntN(2) == 0 && c.name == "chinese":
		q.Given, q.Surname = "", ent.family.native+ent.given.native // 张伟 in one field
	case c.familyFirst:
		q.Given, q.Surname = "", orig.Surname+" "+orig.Given
	default:
		q.Given, q.Surname = orig.Given+" "+orig.Surname, ""
	}
	return q, q != orig
}

// WriteFEBRL writes records in the FEBRL layout that ReadFEBRL reads (rec-E-org for
// an entity's first record, rec-E-dup-K for the others; dates as YYYYMMDD or YYYY),
// with a variation column besides, which ReadFEBRL keeps when present.
func WriteFEBRL(w interface{ WriteString(string) (int, error) }, ps []VariedPerson) error {
	if _, err := w.WriteString("rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id,variation\n"); err != nil {
		return err
	}
	dup := map[int]int{}
	for _, p := range ps {
		id := fmt.Sprintf("rec-%d-org", p.Entity)
		if k, seen := dup[p.Entity]; seen {
			id = fmt.Sprintf("rec-%d-dup-%d", p.Entity, k)
		}
		dup[p.Entity]++
		row := []string{id, p.Given, p.Surname, p.StreetNo, p.Address, "", p.Town, strings.ReplaceAll(p.Postcode, " ", ""), "",
			p.DOB, "", p.Variation}
		for i, c := range row {
			if strings.ContainsAny(c, ",\"\n") {
				row[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
		}
		if _, err := w.WriteString(strings.Join(row, ",") + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// VariedRecords prepares generated people for matching, with their entities and
// variations.
func VariedRecords(ps []VariedPerson) (recs []Record, ents, vars []string) {
	sp := make([]SynthPerson, len(ps))
	vars = make([]string, len(ps))
	for i, p := range ps {
		sp[i], vars[i] = p.SynthPerson, p.Variation
	}
	recs, ents = SynthRecords(sp)
	return recs, ents, vars
}
