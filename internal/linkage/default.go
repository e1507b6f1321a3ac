package linkage

import (
	"math/rand/v2"
	"sync"
)

var (
	defaultOnce  sync.Once
	defaultModel *Model
)

// DefaultModel is the model the running service scores people with: trained once
// per process, deterministically, on 20,000 generated UK-shaped records. A
// partnership's own records are too few (and too rarely duplicated) for EM to
// estimate m and u from them; the generated population has the typos, nicknames,
// swapped names, date errors and phone formats seen in practice.
func DefaultModel() *Model {
	defaultOnce.Do(func() {
		recs, _ := SynthRecords(Synthesize(20000, 1))
		defaultModel = Train(recs, Candidates(recs), rand.New(rand.NewPCG(1, 7)))
	})
	return defaultModel
}

// Score compares two prepared records: the match probability and, in words, why.
func (m *Model) Score(a, b *Record) (probability float64, explanation string) {
	v, _, _ := Compare(a, b)
	return m.Probability(v), m.Explain(a, b)
}
