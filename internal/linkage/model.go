package linkage

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Record is a person record as the matcher sees it. Text fields are normalised by
// Prepare; empty means unknown.
type Record struct {
	Given, Surname string
	StreetNo       string
	Address        string // street and building
	Locality       string // suburb, town
	Postcode       string
	DOB            DOB
	Phone          string
	Email          string
	IDNo           string // a national or agency identifier
}

// Prepare normalises the text fields in place.
func (r *Record) Prepare() {
	r.Given = strings.ReplaceAll(NormaliseName(r.Given), " ", "")
	r.Surname = strings.ReplaceAll(NormaliseName(r.Surname), " ", "")
	r.StreetNo = strings.ReplaceAll(NormaliseName(r.StreetNo), " ", "")
	r.Address = NormaliseName(r.Address)
	r.Locality = NormaliseName(r.Locality)
	r.Postcode = strings.ToLower(strings.Join(strings.Fields(r.Postcode), ""))
	r.Phone = NormalisePhone(r.Phone)
	r.Email = NormaliseEmail(r.Email)
	r.IDNo = strings.ToLower(strings.Join(strings.Fields(r.IDNo), ""))
}

// Fields compared, in the order of a comparison vector.
const (
	FGiven = iota
	FSurname
	FStreetNo
	FAddress
	FLocality
	FPostcode
	FDOB
	FPhone
	FEmail
	FIDNo
	NFields
)

var fieldNames = [NFields]string{"given name", "surname", "street number", "address", "locality", "postcode", "date of birth", "phone", "e-mail", "identifier"}

// Levels of name comparisons (0 is missing).
const (
	NameMissing = iota
	NameExact
	NameJW94
	NamePhonetic
	NameJW85
	NameInitial
	NameJW70
	NameDifferent
	nameLevels
)

// Levels of text, code and identifier comparisons.
const (
	TextMissing = iota
	TextExact
	TextClose // Jaro–Winkler ≥ 0.9, or one edit for codes
	TextNear  // Jaro–Winkler ≥ 0.75
	TextDifferent
	textLevels
)

var numLevels = [NFields]int{nameLevels, nameLevels, textLevels, textLevels, textLevels, textLevels, DOBDifferent + 1, textLevels, textLevels, textLevels}

// Vector holds one level per field, four bits each.
type Vector uint64

func (v Vector) Level(f int) int           { return int(v>>(4*f)) & 15 }
func (v *Vector) set(f, l int)             { *v |= Vector(l) << (4 * f) }
func nameLevel(a, b string) (int, float64) { return nameLevelJW(a, b) }

func nameLevelJW(a, b string) (int, float64) {
	if a == "" || b == "" {
		return NameMissing, 0
	}
	if a == b {
		return NameExact, 1
	}
	jw := JaroWinkler(a, b)
	switch {
	case jw >= 0.94:
		return NameJW94, jw
	case Phonetic(a) == Phonetic(b):
		return NamePhonetic, jw
	case jw >= 0.85:
		return NameJW85, jw
	case (len(a) == 1 || len(b) == 1) && a[0] == b[0]:
		return NameInitial, jw
	case jw >= 0.7:
		return NameJW70, jw
	}
	return NameDifferent, jw
}

func textLevel(a, b string) (int, float64) {
	if a == "" || b == "" {
		return TextMissing, 0
	}
	if a == b {
		return TextExact, 1
	}
	jw := JaroWinkler(a, b)
	switch {
	case jw >= 0.9:
		return TextClose, jw
	case jw >= 0.75:
		return TextNear, jw
	}
	return TextDifferent, jw
}

func codeLevel(a, b string) int {
	switch {
	case a == "" || b == "":
		return TextMissing
	case a == b:
		return TextExact
	case WithinOneEdit(a, b):
		return TextClose
	}
	return TextDifferent
}

// Compare builds the comparison vector of two prepared records. swapped is true
// when given name and surname agree better crosswise and were compared so.
func Compare(a, b *Record) (v Vector, swapped bool, sims [NFields]float64) {
	lg, sg := nameLevelJW(a.Given, b.Given)
	ls, ss := nameLevelJW(a.Surname, b.Surname)
	if lg > NameJW94 && ls > NameJW94 && a.Given != "" && a.Surname != "" && b.Given != "" && b.Surname != "" {
		xg, xsg := nameLevelJW(a.Given, b.Surname)
		xs, xss := nameLevelJW(a.Surname, b.Given)
		if xg <= NameJW94 && xs <= NameJW94 {
			lg, sg, ls, ss, swapped = xg, xsg, xs, xss, true
		}
	}
	v.set(FGiven, lg)
	v.set(FSurname, ls)
	sims[FGiven], sims[FSurname] = sg, ss
	v.set(FStreetNo, codeLevel(a.StreetNo, b.StreetNo))
	l, s := textLevel(a.Address, b.Address)
	v.set(FAddress, l)
	sims[FAddress] = s
	l, s = textLevel(a.Locality, b.Locality)
	v.set(FLocality, l)
	sims[FLocality] = s
	v.set(FPostcode, codeLevel(a.Postcode, b.Postcode))
	v.set(FDOB, CompareDOB(a.DOB, b.DOB))
	v.set(FPhone, codeLevel(a.Phone, b.Phone))
	v.set(FEmail, codeLevel(a.Email, b.Email))
	v.set(FIDNo, codeLevel(a.IDNo, b.IDNo))
	return v, swapped, sims
}

// Model holds Fellegi–Sunter parameters: for each field and level, m = P(level |
// match) and u = P(level | non-match); Lambda is the prior share of matches among
// candidate pairs. Level 0 (missing) carries no weight.
type Model struct {
	M, U   [NFields][16]float64
	Lambda float64
	// Threshold is the match probability at or above which a pair is a match.
	Threshold float64
	used      [NFields]bool
}

// DefaultThreshold is the match probability chosen on FEBRL dataset3 (the sweep in
// TestLinkageFEBRLDataset3): F1 there is 0.998 from 0.05 to 0.7, highest at 0.5
// (0.9985), and falls slowly above as recall drops (0.9969 at 0.99).
const DefaultThreshold = 0.5

// Weight is the match weight log2(m/u) summed over the fields, without the prior.
func (m *Model) Weight(v Vector) float64 {
	w := 0.0
	for f := 0; f < NFields; f++ {
		l := v.Level(f)
		if l == 0 || !m.used[f] {
			continue
		}
		w += math.Log2(m.M[f][l] / m.U[f][l])
	}
	return w
}

// Probability is the posterior match probability of a vector.
func (m *Model) Probability(v Vector) float64 {
	w := m.Weight(v) + math.Log2(m.Lambda/(1-m.Lambda))
	return 1 / (1 + math.Exp2(-w))
}

// Explain tells, in words, why a pair scored as it did.
func (m *Model) Explain(a, b *Record) string {
	v, swapped, sims := Compare(a, b)
	var out []string
	if swapped {
		out = append(out, "given name and surname swapped")
	}
	for f := 0; f < NFields; f++ {
		l := v.Level(f)
		if l == 0 {
			continue
		}
		n := fieldNames[f]
		var s string
		switch f {
		case FGiven, FSurname:
			switch l {
			case NameExact:
				s = "same " + n
			case NameJW94, NameJW85, NameJW70:
				s = fmt.Sprintf("%s similar %.2f", n, sims[f])
			case NamePhonetic:
				s = fmt.Sprintf("%s sounds alike (similar %.2f)", n, sims[f])
			case NameInitial:
				s = n + " agrees with an initial"
			default:
				s = n + " differs"
			}
		case FDOB:
			s = map[int]string{DOBExact: "same date of birth", DOBSwapped: "date of birth with day and month swapped",
				DOBOneDiffers: "date of birth differs in one part", DOBYearOnly: "same year of birth only", DOBDifferent: "date of birth differs"}[l]
		case FAddress, FLocality:
			s = map[int]string{TextExact: "same " + n, TextClose: fmt.Sprintf("%s similar %.2f", n, sims[f]),
				TextNear: fmt.Sprintf("%s somewhat similar %.2f", n, sims[f]), TextDifferent: n + " differs"}[l]
		default:
			s = map[int]string{TextExact: "same " + n, TextClose: n + " one character apart", TextDifferent: n + " differs"}[l]
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ") + fmt.Sprintf(" (weight %.1f)", m.Weight(v))
}

// Pair is a scored candidate pair of record indexes.
type Pair struct {
	A, B int32
	V    Vector
}

var seed = maphash.MakeSeed()

// blockKeys computes, for each record, one hash per blocking rule (0: no key):
// phonetic surname + year of birth; first three letters of given name + postcode;
// full date of birth; phonetic given name and surname in either order; phone;
// identifier; street number + postcode; e-mail.
const nKeys = 8

// Within a block, records are ordered by a second key (given name, surname or
// date of birth, whichever the rule lacks) so that the window compares the most
// alike records first.
func blockKeys(r *Record) (k, order [nKeys]uint64) {
	h := func(parts ...string) uint64 {
		for _, p := range parts {
			if p == "" {
				return 0
			}
		}
		return maphash.String(seed, strings.Join(parts, "\x00"))
	}
	year := ""
	if r.DOB.Y != 0 {
		year = fmt.Sprint(r.DOB.Y)
	}
	k[0] = h("s", Phonetic(r.Surname), year)
	g3 := r.Given
	if len(g3) > 3 {
		g3 = g3[:3]
	}
	k[1] = h("g", g3, r.Postcode)
	if r.DOB.Complete() {
		k[2] = h("d", r.DOB.String())
	}
	pg, ps := Phonetic(r.Given), Phonetic(r.Surname)
	if pg > ps {
		pg, ps = ps, pg
	}
	k[3] = h("n", pg, ps)
	k[4] = h("p", r.Phone)
	k[5] = h("i", r.IDNo)
	k[6] = h("a", r.StreetNo, r.Postcode)
	k[7] = h("e", r.Email)
	g, sn, dob := maphash.String(seed, Phonetic(r.Given)), maphash.String(seed, Phonetic(r.Surname)), maphash.String(seed, r.DOB.String())
	order = [nKeys]uint64{g, sn ^ dob, sn, dob, g ^ sn, g ^ sn, g ^ sn, g ^ sn}
	return k, order
}

// Window bounds the comparisons of each record within one block (sorted
// neighbourhood), so that a common key cannot make the work quadratic.
const Window = 12

// Candidates generates the candidate pairs of all blocking rules, each pair once,
// compares them on all cores and returns them with their vectors.
func Candidates(recs []Record) []Pair {
	n := len(recs)
	keys := make([][nKeys]uint64, n)
	order := make([][nKeys]uint64, n)
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			keys[i], order[i] = blockKeys(&recs[i])
		}
	})
	var ids []uint64
	var mu sync.Mutex
	for k := 0; k < nKeys; k++ {
		ord := make([]int32, 0, n)
		for i := range keys {
			if keys[i][k] != 0 {
				ord = append(ord, int32(i))
			}
		}
		sort.Slice(ord, func(x, y int) bool {
			kx, ky := keys[ord[x]][k], keys[ord[y]][k]
			if kx != ky {
				return kx < ky
			}
			ox, oy := order[ord[x]][k], order[ord[y]][k]
			return ox < oy || ox == oy && ord[x] < ord[y]
		})
		parallel(len(ord), func(lo, hi int) {
			// start at the beginning of a block so that blocks are not split
			for lo > 0 && lo < len(ord) && keys[ord[lo]][k] == keys[ord[lo-1]][k] {
				lo++
			}
			for hi < len(ord) && hi > 0 && keys[ord[hi]][k] == keys[ord[hi-1]][k] {
				hi++
			}
			var local []uint64
			for x := lo; x < hi; x++ {
				i := ord[x]
				ki := keys[i][k]
				for y := x + 1; y < len(ord) && y <= x+Window && keys[ord[y]][k] == ki; y++ {
					a, b := uint64(i), uint64(ord[y])
					if a > b {
						a, b = b, a
					}
					local = append(local, a<<32|b)
				}
			}
			mu.Lock()
			ids = append(ids, local...)
			mu.Unlock()
		})
	}
	// a pair found by several rules is compared once
	slices.Sort(ids)
	ids = slices.Compact(ids)
	all := make([]Pair, len(ids))
	parallel(len(ids), func(lo, hi int) {
		for x := lo; x < hi; x++ {
			i, j := int32(ids[x]>>32), int32(ids[x]&0xffffffff)
			v, _, _ := Compare(&recs[i], &recs[j])
			all[x] = Pair{A: i, B: j, V: v}
		}
	})
	return all
}

func parallel(n int, f func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if n < 1000 || w < 2 {
		f(0, n)
		return
	}
	chunk := (n + w*4 - 1) / (w * 4)
	var wg sync.WaitGroup
	sem := make(chan struct{}, w)
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			f(lo, hi)
			<-sem
		}()
	}
	wg.Wait()
}

// Train estimates the model: u is seeded from random pairs (almost all
// non-matches), then m, u and the prior are estimated by expectation maximisation
// over the candidate pairs' vectors (u moves from the random-pair values because
// blocking makes candidate non-matches agree more often than random pairs do).
func Train(recs []Record, pairs []Pair, rng *rand.Rand) *Model {
	m := &Model{Threshold: DefaultThreshold}
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 7))
	}
	n := len(recs)
	samples := min(300000, max(50000, 4*n))
	var cnt [NFields][16]float64
	for s := 0; s < samples && n > 1; s++ {
		i, j := rng.IntN(n), rng.IntN(n)
		if i == j {
			continue
		}
		v, _, _ := Compare(&recs[i], &recs[j])
		for f := 0; f < NFields; f++ {
			cnt[f][v.Level(f)]++
		}
	}
	for f := 0; f < NFields; f++ {
		tot := 0.0
		for l := 1; l < numLevels[f]; l++ {
			tot += cnt[f][l]
		}
		m.used[f] = tot > 0
		for l := 1; l < numLevels[f]; l++ {
			m.U[f][l] = (cnt[f][l] + 0.5) / (tot + 0.5*float64(numLevels[f]-1))
			// start: agreement likely among matches, disagreement rare
			m.M[f][l] = math.Pow(0.3, float64(l-1))
		}
		normalise(m.M[f][1:numLevels[f]])
	}
	// EM over distinct vectors
	counts := map[Vector]float64{}
	for _, p := range pairs {
		counts[p.V]++
	}
	type vc struct {
		v Vector
		c float64
	}
	vs := make([]vc, 0, len(counts))
	for v, c := range counts {
		vs = append(vs, vc{v, c})
	}
	m.Lambda = 0.1
	for it := 0; it < 50; it++ {
		var mc, uc [NFields][16]float64
		var sumG, sumC float64
		logPrior := math.Log2(m.Lambda / (1 - m.Lambda))
		for _, x := range vs {
			g := 1 / (1 + math.Exp2(-(m.Weight(x.v) + logPrior)))
			sumG += g * x.c
			sumC += x.c
			for f := 0; f < NFields; f++ {
				mc[f][x.v.Level(f)] += g * x.c
				uc[f][x.v.Level(f)] += (1 - g) * x.c
			}
		}
		if sumC == 0 {
			break
		}
		old := m.Lambda
		m.Lambda = math.Min(math.Max(sumG/sumC, 1e-6), 1-1e-6)
		for f := 0; f < NFields; f++ {
			for l := 1; l < numLevels[f]; l++ {
				m.M[f][l] = mc[f][l] + 0.01
				m.U[f][l] = uc[f][l] + 0.01
			}
			normalise(m.M[f][1:numLevels[f]])
			normalise(m.U[f][1:numLevels[f]])
		}
		if it > 5 && math.Abs(old-m.Lambda) < 1e-6 {
			break
		}
	}
	return m
}

func normalise(x []float64) {
	t := 0.0
	for _, v := range x {
		t += v
	}
	for i := range x {
		x[i] /= t
	}
}
