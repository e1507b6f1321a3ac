package linkage

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
)

// ReadFEBRL reads a CSV in the FEBRL layout (rec_id, given_name, surname,
// street_number, address_1, address_2, suburb, postcode, state, date_of_birth,
// soc_sec_id) and gives prepared records with the entity of each: the N of
// rec-N-org and rec-N-dup-k.
func ReadFEBRL(r io.Reader) ([]Record, []string, error) {
	recs, ents, _, err := ReadFEBRLVariations(r)
	return recs, ents, err
}

// ReadFEBRLVariations is ReadFEBRL that also gives each record's variation column
// (WriteFEBRL), "" where the file has none.
func ReadFEBRLVariations(r io.Reader) ([]Record, []string, []string, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, nil, nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"rec_id", "given_name", "surname", "date_of_birth"} {
		if _, ok := col[need]; !ok {
			return nil, nil, nil, fmt.Errorf("febrl: no column %s", need)
		}
	}
	var recs []Record
	var ents, vars []string
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		id := get("rec_id")
		parts := strings.Split(id, "-")
		if len(parts) < 3 || parts[0] != "rec" {
			return nil, nil, nil, fmt.Errorf("febrl: rec_id %q is not rec-N-org or rec-N-dup-k", id)
		}
		rec := Record{Given: get("given_name"), Surname: get("surname"), StreetNo: get("street_number"),
			Address: strings.TrimSpace(get("address_1") + " " + get("address_2")), Locality: get("suburb"),
			Postcode: get("postcode"), DOB: ParseDOB(get("date_of_birth")), IDNo: get("soc_sec_id")}
		rec.Prepare()
		recs = append(recs, rec)
		ents = append(ents, parts[1])
		vars = append(vars, get("variation"))
	}
	return recs, ents, vars, nil
}

// Result is the outcome of deduplicating a set of records.
type Result struct {
	Model      *Model
	Candidates int
	Matches    []Pair
	// All are the candidate pairs, matched or not.
	All []Pair
}

// Dedupe blocks, compares, trains and keeps the pairs at or above the threshold.
func Dedupe(recs []Record, threshold float64, seed uint64) Result {
	pairs := Candidates(recs)
	m := Train(recs, pairs, rand.New(rand.NewPCG(seed, 7)))
	m.Threshold = threshold
	var keep []Pair
	cache := map[Vector]bool{}
	for _, p := range pairs {
		ok, seen := cache[p.V]
		if !seen {
			ok = m.Probability(p.V) >= threshold
			cache[p.V] = ok
		}
		if ok {
			keep = append(keep, p)
		}
	}
	return Result{Model: m, Candidates: len(pairs), Matches: keep, All: pairs}
}

// Quality is pairwise precision, recall and F1 against ground truth.
type Quality struct {
	TP, FP, FN            int
	Precision, Recall, F1 float64
}

// Evaluate scores predicted pairs against the entity of each record.
func Evaluate(ents []string, matches []Pair) Quality {
	size := map[string]int{}
	for _, e := range ents {
		size[e]++
	}
	truth := 0
	for _, k := range size {
		truth += k * (k - 1) / 2
	}
	var q Quality
	for _, p := range matches {
		if ents[p.A] == ents[p.B] {
			q.TP++
		} else {
			q.FP++
		}
	}
	q.rates(truth)
	return q
}

// rates sets FN, precision, recall and F1 from TP, FP and the number of true pairs.
func (q *Quality) rates(truth int) {
	q.FN = truth - q.TP
	if q.TP+q.FP > 0 {
		q.Precision = float64(q.TP) / float64(q.TP+q.FP)
	}
	if truth > 0 {
		q.Recall = float64(q.TP) / float64(truth)
	}
	if q.Precision+q.Recall > 0 {
		q.F1 = 2 * q.Precision * q.Recall / (q.Precision + q.Recall)
	}
}

// EvaluateVariations is Evaluate told per variation: a pair counts for the
// variation of each of its records that is a duplicate (VarOriginal when both are
// originals, as a false pair of two people's originals is).
func EvaluateVariations(ents, vars []string, matches []Pair) map[string]Quality {
	out := map[string]*Quality{}
	q := func(v string) *Quality {
		if out[v] == nil {
			out[v] = &Quality{}
		}
		return out[v]
	}
	label := func(i, j int, f func(*Quality)) {
		a, b := vars[i], vars[j]
		if a == "" {
			a = VarOriginal
		}
		if b == "" {
			b = VarOriginal
		}
		switch {
		case a == b:
			f(q(a))
		case a == VarOriginal:
			f(q(b))
		case b == VarOriginal:
			f(q(a))
		default:
			f(q(a))
			f(q(b))
		}
	}
	byEnt := map[string][]int{}
	for i, e := range ents {
		byEnt[e] = append(byEnt[e], i)
	}
	for _, rs := range byEnt {
		for x := range rs {
			for y := x + 1; y < len(rs); y++ {
				label(rs[x], rs[y], func(q *Quality) { q.FN++ }) // truth, for now
			}
		}
	}
	for _, p := range matches {
		same := ents[p.A] == ents[p.B]
		label(int(p.A), int(p.B), func(q *Quality) {
			if same {
				q.TP++
			} else {
				q.FP++
			}
		})
	}
	res := map[string]Quality{}
	for v, q := range out {
		q.rates(q.FN) // FN held the true pairs until now
		res[v] = *q
	}
	return res
}

// Ceiling is the best F1 at precision minPrecision or more that any scoring of
// the candidate pairs by their comparison vectors could reach, told the truth:
// vectors taken in order of their share of true pairs, as many as keep the
// precision. Pairs of one vector are alike to any Fellegi–Sunter model (and to
// any rule over the same comparisons), so no threshold, training or model over
// these comparisons does better; where the ceiling is below a target, the
// records themselves do not tell their people apart.
func Ceiling(ents []string, pairs []Pair, minPrecision float64) Quality {
	type count struct{ tp, fp int }
	by := map[Vector]*count{}
	for _, p := range pairs {
		c := by[p.V]
		if c == nil {
			c = &count{}
			by[p.V] = c
		}
		if ents[p.A] == ents[p.B] {
			c.tp++
		} else {
			c.fp++
		}
	}
	cs := make([]*count, 0, len(by))
	for _, c := range by {
		cs = append(cs, c)
	}
	// purest first; of equal purity the larger first (deterministic enough: the
	// running sums at a purity change do not depend on the order within it)
	slices.SortFunc(cs, func(a, b *count) int {
		return cmp.Or(cmp.Compare(b.tp*(a.tp+a.fp), a.tp*(b.tp+b.fp)), cmp.Compare(b.tp, a.tp))
	})
	truth := Evaluate(ents, nil).FN
	var best Quality
	tp, fp := 0, 0
	for _, c := range cs {
		tp, fp = tp+c.tp, fp+c.fp
		q := Quality{TP: tp, FP: fp}
		q.rates(truth)
		if q.Precision >= minPrecision && q.F1 > best.F1 {
			best = q
		}
	}
	return best
}
