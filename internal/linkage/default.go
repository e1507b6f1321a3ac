package linkage

import (
	_ "embed"
	"encoding/json"
	"math/rand/v2"
)

// The model the running service scores people with is trained on generated
// UK-shaped records, not on a partnership's own: those are too few, and too
// rarely duplicated, for EM to estimate m, h and u from them, while the generated
// population has the typos, nicknames, transliterations, swapped names, date
// errors, phone formats and households met in practice.
//
// Training takes a fraction of a second (several under the race detector), so
// the trained parameters are kept in default_model.json and read when wired.
// TestLinkageDefaultModel retrains and fails when the file no longer matches
// what trainDefault gives (after a change to the comparisons, the blocking, EM or
// the generator); run it with -update to write the file again.
//
// 5,000 records of each shape are enough for m and u. The prior is the share of
// matches among all pairs of the 10,000 training records, so the default model
// scores as if among about that many people: cautious where there are fewer
// (FEBRL dataset3, 5,000 records it never saw: precision 0.9997, recall 0.97,
// F1 0.984), and readier to link than it should be where there are many more (a
// hundred times as many people make the prior odds of a pair a hundred times
// smaller).

//go:embed default_model.json
var defaultJSON []byte

// defaultRecords and defaultSeed make the training set of the default model.
const (
	defaultRecords = 5000
	defaultSeed    = 1
)

// DefaultModel is the model the running service scores people with (see above),
// read afresh from the embedded file: the caller keeps it (no model is package state).
func DefaultModel() *Model {
	var m Model
	if err := json.Unmarshal(defaultJSON, &m); err != nil {
		panic("linkage: default_model.json: " + err.Error()) // embedded and tested
	}
	return &m
}

// trainDefault trains the default model from scratch, on UK-shaped records and as
// many records of the partnership's communities with their variations
// (SynthesizeVaried), so that EM meets every name level.
func trainDefault() *Model {
	recs, _ := SynthRecords(Synthesize(defaultRecords, defaultSeed))
	varied, _, _ := VariedRecords(SynthesizeVaried(defaultRecords, defaultSeed))
	recs = append(recs, varied...)
	return Train(recs, Candidates(recs), rand.New(rand.NewPCG(defaultSeed, 7)))
}

// Score compares two prepared records: the match probability and, in words, why.
func (m *Model) Score(a, b *Record) (probability float64, explanation string) {
	v, _, _ := Compare(a, b)
	return m.Probability(v), m.Explain(a, b)
}
