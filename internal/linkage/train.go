package linkage

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// householdField reports whether people at one address agree on field f more
// often than unrelated people do. On the others (given name, date of birth, phone,
// e-mail, identifier) h is what it is between random pairs: a housemate is
// another person, and agrees on them no more often than anyone else does.
func householdField(f int) bool {
	switch f {
	case FSurname, FStreetNo, FAddress, FLocality, FPostcode:
		return true
	}
	return false
}

// Train estimates the model as Splink does (Robin Linacre's account of the
// Fellegi–Sunter model, and the Splink documentation on training):
//
//   - u, P(level | unrelated), from random pairs of records, and then held: a
//     random pair is almost never a match, and fields agree between random people
//     independently of one another as the model assumes, which they do not among
//     candidate pairs (blocking on names made same-name strangers common there,
//     blocking on the date of birth made same-birthday strangers common, and u
//     estimated there counts one exact name and one exact date of birth as weak
//     evidence even together);
//   - m, P(level | match), by expectation maximisation in sessions, each over the
//     candidate pairs that agree exactly on the fields of one blocking rule and
//     leaving those fields out: over pairs of one name, m of the date of birth
//     and the address; over pairs of one date of birth, m of the names and the
//     address (averaged where two sessions give one field). A session never
//     learns a field from pairs chosen because they agree on it, so neither a
//     shared address nor a shared name can stand in for being one person;
//   - UNames, u of the other fields among strangers who share a name, from
//     random pairs of records of one name (fitUNames), since such strangers
//     share more than random people do (an e-mail address made of the name);
//   - last, with m and u held, the priors and the household class by one more
//     EM over all candidate pairs, the priors being shares of all pairs of
//     records (a pair outside the candidates being taken as unrelated), so that a
//     pair's probability is that of any two records with its comparison.
//
// The household class (see Model) keeps h equal to u on the fields that are not
// householdField.
func Train(recs []Record, pairs []Pair, rng *rand.Rand) *Model {
	m := &Model{Threshold: DefaultThreshold}
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 7))
	}
	used := m.randomU(recs, rng)
	for f := 0; f < NFields; f++ {
		// start: agreement likely among matches, each other level as likely as
		// another (a person who moved disagrees on all four address fields at once:
		// were disagreement started as rare, EM would never count a move a match)
		m.M[f][1] = 0.6
		for l := 2; l < numLevels[f]; l++ {
			m.M[f][l] = 0.4 / float64(numLevels[f]-2)
		}
		m.initH(f)
	}
	vs := distinctVectors(pairs)
	var sum, times [NFields][16]float64
	var moves, movesN float64
	m.UNames = m.U
	for _, s := range []struct {
		agree  func(v Vector) bool
		fields []int // the fields left out
	}{
		{func(v Vector) bool { return v.Level(FDOB) == DOBExact }, []int{FDOB}},
		{func(v Vector) bool { return v.Level(FGiven) == NameExact && v.Level(FSurname) == NameExact }, []int{FGiven, FSurname}},
	} {
		var in []vcount
		var total float64
		for _, x := range vs {
			if s.agree(x.v) {
				in = append(in, x)
				total += x.c
			}
		}
		sm := *m // starting from what the sessions before learned
		var learn [NFields]bool
		for f := range learn {
			learn[f] = used[f] && !slices.Contains(s.fields, f)
		}
		sm.Lambda, sm.LambdaH = 0.3, 0.05
		sm.em(in, learn, true, total)
		if allUsed(learn, addressFields[:]) {
			moves += sm.MovedTogether
			movesN++
		}
		for f := range learn {
			if learn[f] {
				for l := range sm.M[f] {
					sum[f][l] += sm.M[f][l]
					times[f][l]++
					m.M[f][l] = sum[f][l] / times[f][l]
				}
			}
		}
	}
	if movesN > 0 {
		m.MovedTogether = moves / movesN
	}
	m.fitUNames(sameNamePairs(recs, rng), used)
	n := float64(len(recs))
	all := n * (n - 1) / 2
	m.Lambda, m.LambdaH = 0.5*n/all, 0.1*n/all
	m.Records = len(recs)
	m.em(vs, used, false, all)
	for f := range used {
		if !used[f] { // never known: no weight
			m.M[f], m.H[f], m.U[f], m.UNames[f] = [16]float64{}, [16]float64{}, [16]float64{}, [16]float64{}
		} else {
			m.monotone(f)
		}
	}
	return m
}

// randomU sets u from the levels of random pairs of records, and reports which
// fields are ever known.
func (m *Model) randomU(recs []Record, rng *rand.Rand) (used [NFields]bool) {
	n := len(recs)
	samples := min(300000, max(50000, 4*n))
	var cnt [NFields][16]float64
	var both, pairs float64
	var sample []Pair
	for s := 0; s < samples && n > 1; s++ {
		if i, j := rng.IntN(n), rng.IntN(n); i != j {
			sample = append(sample, Pair{A: int32(i), B: int32(j)})
		}
	}
	for _, p := range compareAll(recs, sample) {
		for f := 0; f < NFields; f++ {
			cnt[f][p.V.Level(f)]++
		}
		pairs++
		if namesAgree(p.V) {
			both++
		}
	}
	strong := func(f int) (k float64) {
		for l := NameExact; strongName(l); l++ {
			k += cnt[f][l]
		}
		return k
	}
	if pairs > 0 {
		apart := (strong(FGiven) + 0.5) * (strong(FSurname) + 0.5) / (pairs * pairs)
		m.NamesTogether = togetherness(both, pairs, apart)
	}
	for f := 0; f < NFields; f++ {
		tot := 0.0
		for l := 1; l < numLevels[f]; l++ {
			tot += cnt[f][l]
		}
		used[f] = tot > 0
		for l := 1; l < numLevels[f]; l++ {
			m.U[f][l] = (cnt[f][l] + 0.5) / (tot + 0.5*float64(numLevels[f]-1))
		}
	}
	return used
}

// sameNamePrior is how many pairs' worth of belief U carries in UNames.
const sameNamePrior = 50

// sameNamePairs are the vectors of random pairs of records of one given name
// and surname (exactly, as romanised): strangers who share a name, and one
// person's records.
func sameNamePairs(recs []Record, rng *rand.Rand) []vcount {
	// records sorted by a hash of their name: those of one name (and, rarely,
	// of another with the same hash, which Compare tells apart) side by side
	type named struct {
		h  uint64
		id int32
	}
	byName := make([]named, 0, len(recs))
	for i := range recs {
		if r := &recs[i]; r.Given != "" && r.Surname != "" {
			byName = append(byName, named{nameHash(r.Given, r.Surname), int32(i)})
		}
	}
	slices.SortFunc(byName, func(a, b named) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.id, b.id)) })
	var sample []Pair
	for s := 0; s < min(300000, 4*len(recs)) && len(byName) > 0; s++ {
		at := rng.IntN(len(byName))
		lo, hi := at, at+1 // the records of its name, at most 64 either side
		for lo > 0 && lo > at-64 && byName[lo-1].h == byName[at].h {
			lo--
		}
		for hi < len(byName) && hi < at+64 && byName[hi].h == byName[at].h {
			hi++
		}
		if hi-lo < 2 {
			continue
		}
		other := lo + rng.IntN(hi-lo-1)
		if other >= at {
			other++
		}
		sample = append(sample, Pair{A: byName[at].id, B: byName[other].id})
	}
	return distinctVectors(compareAll(recs, sample))
}

// nameHash is FNV-1a of a given name and surname.
func nameHash(given, surname string) uint64 {
	h := uint64(14695981039346656037)
	for _, s := range []string{given, "\x00", surname} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
	}
	return h
}

// compareAll sets the vectors of pairs, on all cores.
func compareAll(recs []Record, pairs []Pair) []Pair {
	parallel(len(pairs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			pairs[i].V, _, _ = Compare(&recs[pairs[i].A], &recs[pairs[i].B])
		}
	})
	return pairs
}

// fitUNames estimates UNames from pairs of one name: a mixture of one
// person's records (m, as learned) and strangers (UNames on the fields besides
// the names and the date of birth, which keeps u: strangers of one name are
// born on any day), by expectation maximisation, each field's UNames drawn
// towards U by sameNamePrior. The date of birth tells the two apart where the
// name cannot: a rare name is shared mostly by one person's records, a common
// one mostly by strangers.
func (m *Model) fitUNames(vs []vcount, used [NFields]bool) {
	m.UNames = m.U
	free := func(f int) bool { return used[f] && f != FGiven && f != FSurname && f != FDOB }
	share := 0.5 // of one person's pairs
	for it := 0; it < 50; it++ {
		var uc [NFields][16]float64
		var sumM, tot float64
		for _, x := range vs {
			lm, ls := math.Log2(share), math.Log2(1-share)
			for f := 0; f < NFields; f++ {
				if l := x.v.Level(f); l != 0 && used[f] && f != FGiven && f != FSurname {
					lm += math.Log2(m.M[f][l])
					ls += math.Log2(m.uOf(true, f, l))
				}
			}
			gm := 1 / (1 + math.Exp2(ls-lm))
			sumM += gm * x.c
			tot += x.c
			for f := 0; f < NFields; f++ {
				uc[f][x.v.Level(f)] += (1 - gm) * x.c
			}
		}
		if tot == 0 {
			return
		}
		share = math.Min(math.Max(sumM/tot, 1e-6), 1-1e-6)
		for f := 0; f < NFields; f++ {
			if !free(f) {
				continue
			}
			known := 0.0
			for l := 1; l < numLevels[f]; l++ {
				known += uc[f][l]
			}
			for l := 1; l < numLevels[f]; l++ {
				m.UNames[f][l] = (uc[f][l] + sameNamePrior*m.U[f][l]) / (known + sameNamePrior)
			}
		}
	}
}

// initH starts h: like m on the address fields, half way between m and u on the
// surname (families share it, housemates do not), u on the others.
func (m *Model) initH(f int) {
	switch {
	case f == FSurname:
		for l := 1; l < numLevels[f]; l++ {
			m.H[f][l] = (m.M[f][l] + m.U[f][l]) / 2
		}
	case householdField(f):
		m.H[f] = m.M[f]
	default:
		m.H[f] = m.U[f]
	}
}

type vcount struct {
	v Vector
	c float64
}

// distinctVectors counts the pairs' vectors, in a fixed order, so that sums and
// hence the model are the same in every run.
func distinctVectors(pairs []Pair) []vcount {
	counts := map[Vector]float64{}
	for _, p := range pairs {
		counts[p.V]++
	}
	vs := make([]vcount, 0, len(counts))
	for v, c := range counts {
		vs = append(vs, vcount{v, c})
	}
	slices.SortFunc(vs, func(a, b vcount) int { return cmp.Compare(a.v, b.v) })
	return vs
}

// em runs expectation maximisation over the counted vectors on the fields in
// use, u held: m too is learned when learnM, h on the householdField fields, and
// the priors as shares of total pairs.
func (m *Model) em(vs []vcount, use [NFields]bool, learnM bool, total float64) {
	if total <= 0 {
		return
	}
	lo := 1e-6
	if !learnM {
		lo = 1e-15
	}
	// the corrections apply where all the fields they concern are in use
	namesTogether, movedTogether := use[FGiven] && use[FSurname], allUsed(use, addressFields[:])
	for it := 0; it < 100; it++ {
		var mc, hc [NFields][16]float64
		var sumM, sumH, movedM, knownM float64
		var logM, logH [NFields][16]float64
		var logU [2][NFields][16]float64 // names not agreeing, agreeing
		for f := 0; f < NFields; f++ {
			for l := 1; l < numLevels[f]; l++ {
				if use[f] {
					logM[f][l], logH[f][l] = math.Log2(m.M[f][l]), math.Log2(m.H[f][l])
					logU[0][f][l], logU[1][f][l] = math.Log2(m.U[f][l]), math.Log2(m.uOf(true, f, l))
				}
			}
		}
		for _, x := range vs {
			lm, lh, lu := math.Log2(m.Lambda), math.Log2(m.LambdaH), math.Log2(1-m.Lambda-m.LambdaH)
			agree := 0
			if namesAgree(x.v) {
				agree = 1
			}
			for f := 0; f < NFields; f++ {
				l := x.v.Level(f)
				lm += logM[f][l]
				lh += logH[f][l]
				lu += logU[agree][f][l]
			}
			if namesTogether && agree == 1 {
				lu += m.NamesTogether
			}
			if movedTogether && moved(x.v) {
				lm += m.MovedTogether
			}
			top := max(lm, lh, lu)
			gm, gh, gu := math.Exp2(lm-top), math.Exp2(lh-top), math.Exp2(lu-top)
			t := gm + gh + gu
			gm, gh = gm/t*x.c, gh/t*x.c
			sumM += gm
			sumH += gh
			for f := 0; f < NFields; f++ {
				l := x.v.Level(f)
				mc[f][l] += gm
				hc[f][l] += gh
			}
			if moved(x.v) {
				movedM += gm
			}
			if known(x.v, addressFields[:]) {
				knownM += gm
			}
		}
		oldM, oldH := m.Lambda, m.LambdaH
		m.Lambda = math.Min(math.Max(sumM/total, lo), 0.98)
		m.LambdaH = math.Min(math.Max(sumH/total, lo), 0.99-m.Lambda)
		for f := 0; f < NFields; f++ {
			if !use[f] {
				continue
			}
			for l := 1; l < numLevels[f]; l++ {
				if learnM {
					m.M[f][l] = mc[f][l] + 0.01
				}
				m.H[f][l] = hc[f][l] + 0.01
			}
			if learnM {
				normalise(m.M[f][1:numLevels[f]])
			}
			if householdField(f) {
				normalise(m.H[f][1:numLevels[f]])
			} else {
				m.H[f] = m.U[f]
			}
		}
		if learnM && allUsed(use, addressFields[:]) {
			apart := 1.0
			for _, f := range addressFields {
				apart *= m.M[f][TextDifferent]
			}
			m.MovedTogether = togetherness(movedM, knownM, apart)
		}
		if it > 5 && math.Abs(oldM-m.Lambda) < 1e-6*oldM && math.Abs(oldH-m.LambdaH) < 1e-6*oldH {
			break
		}
	}
}

// monotone makes a field's weights rise with agreement: exact agreement weighs at
// least as much as any partial level, and outright difference no more than any.
// EM on data where every duplicate was corrupted (as generated data is) can learn
// that a typo is better evidence of a match than an exact name, which would rank
// "Drita/Dritan Gashi" above two records with the same name and date of birth.
// Lowering m of a level that weighs too much, and renormalising, shifts every
// level's weight by one constant afterwards, so the order between them holds.
func (m *Model) monotone(f int) {
	exact, diff := 1, numLevels[f]-1
	w := func(l int) float64 { return math.Log2(m.M[f][l] / m.U[f][l]) }
	top, lo := w(exact), w(exact)
	for l := exact + 1; l < diff; l++ {
		if w(l) > top { // a partial agreement weighs no more than exact agreement
			m.M[f][l] = m.U[f][l] * math.Exp2(top)
		}
		lo = min(lo, w(l))
	}
	if w(diff) > lo {
		m.M[f][diff] = m.U[f][diff] * math.Exp2(lo)
	}
	normalise(m.M[f][1:numLevels[f]])
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

// togetherPrior is how many pairs' worth of belief the rate the fields' own
// rates give (independence) carries in togetherness: with few pairs seen
// together the correction stays near none, however rare the fields' own
// agreements are.
const togetherPrior = 10

// togetherness is log2 of the rate at which fields were seen together (in
// together of n pairs) over the rate their own rates give (apart), drawn
// towards none by togetherPrior, and never below none.
func togetherness(together, n, apart float64) float64 {
	return max(0, math.Log2((together+togetherPrior*apart)/(n+togetherPrior)/apart))
}

// known reports whether a pair's levels of the fields fs are all known.
func known(v Vector, fs []int) bool {
	for _, f := range fs {
		if v.Level(f) == 0 {
			return false
		}
	}
	return true
}

func allUsed(use [NFields]bool, fs []int) bool {
	for _, f := range fs {
		if !use[f] {
			return false
		}
	}
	return true
}
