package linkage

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"tropic/internal/tropic"
)

// Matcher scores person records with a model for the running service, and gives the
// keys the store blocks and links on: the tropic.PersonMatcher that cmd/tropic wires
// into the store.
type Matcher struct {
	model *Model
	names *Names // the families names are compared with
	// last is the latest matcher WithNames made and the entries it was made with:
	// the store asks for one each time it scores, and the entries rarely change.
	mu   sync.Mutex
	last struct {
		key string
		m   *Matcher
	}
}

var _ tropic.PersonMatcher = (*Matcher)(nil)

// NewMatcher returns a matcher scoring with model and the families of the files
// (DefaultNames).
func NewMatcher(model *Model) *Matcher { return &Matcher{model: model, names: DefaultNames()} }

// WithNames is the matcher comparing names with the families of the files and of
// a partnership administrator's entries in force. A set of entries the matcher
// cannot read (more families than it holds) leaves the files' alone.
func (m *Matcher) WithNames(entries []tropic.NameEntry) tropic.PersonMatcher {
	if len(entries) == 0 {
		return m
	}
	var key strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&key, "%d\x00%s\x00%s\x00%s\x01", e.ID, e.List, e.Name, strings.Join(e.Forms, "\x00"))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last.m != nil && m.last.key == key.String() {
		return m.last.m
	}
	names, err := m.names.WithEntries(entries)
	if err != nil {
		return m
	}
	m.last.key, m.last.m = key.String(), &Matcher{model: m.model, names: names}
	return m.last.m
}

// DefaultMatcher is the matcher of the running service: the default model.
func DefaultMatcher() *Matcher { return NewMatcher(DefaultModel()) }

// ForPeople is the matcher scoring among about n person records (Model.ForRecords),
// with the same names.
func (m *Matcher) ForPeople(n int) tropic.PersonMatcher {
	model := m.model.ForRecords(n)
	if model == m.model {
		return m
	}
	return &Matcher{model: model, names: m.names}
}

// Threshold is the model's.
func (m *Matcher) Threshold() float64 { return m.model.Threshold }

// BusinessKey is NormaliseBusiness.
func (m *Matcher) BusinessKey(name string) string { return NormaliseBusiness(name) }

// PersonKeys gives the normalised e-mail address and the phonetic name keys.
func (m *Matcher) PersonKeys(given, family, email string) tropic.PersonKeys {
	k := tropic.PersonKeys{EmailNorm: NormaliseEmail(email), SurnameKey: phoneticKey(family)}
	var parts []string
	for _, n := range []string{phoneticKey(given), k.SurnameKey} {
		if n != "" {
			parts = append(parts, n)
		}
	}
	if len(parts) == 2 && parts[1] < parts[0] {
		parts[0], parts[1] = parts[1], parts[0]
	}
	k.NameKey = strings.Join(parts, " ")
	return k
}

// phoneticKey is the phonetic key of a whole name part, its words run together as
// Record.Prepare runs them ("Mary Ann" as "maryann").
func phoneticKey(name string) string {
	return Phonetic(strings.ReplaceAll(NormaliseName(name), " ", ""))
}

// weightSuffix is the model's weight at the end of an explanation: for those who
// tune the model, not for caseworkers.
var weightSuffix = regexp.MustCompile(` \(weight -?[0-9.]+\)$`)

// ScorePairs scores each pair with the model.
func (m *Matcher) ScorePairs(pairs []tropic.PersonPair) []tropic.PairScore {
	prepared := map[*tropic.PersonRecord]*Record{}
	record := func(p *tropic.PersonRecord) *Record {
		if r := prepared[p]; r != nil {
			return r
		}
		r := &Record{Given: p.Given, Surname: p.Family, DOB: ParseDOB(p.DateOfBirth), Phone: p.Phone, Email: p.Email}
		r.PrepareWith(m.names)
		prepared[p] = r
		return r
	}
	out := make([]tropic.PairScore, len(pairs))
	for i, pair := range pairs {
		a, b := record(pair.A), record(pair.B)
		prob, why := m.model.Score(a, b)
		v, _, _ := Compare(a, b)
		out[i] = tropic.PairScore{Probability: prob, Explanation: strings.TrimSuffix(why, weightSuffix.FindString(why)),
			NameEvidence: nameEvidence(v), Fields: coarseFields(v)}
	}
	return out
}

// nameEvidence says whether two person records' names agree enough to suggest they
// are one person: neither name differs outright and at least one agrees at least in
// part. A shared phone, e-mail or date of birth alone is told as an exact link, not
// suggested: in this work one controller's phone is often on several victims'
// records, and the model, trained on generated people, weighs a shared phone highly.
func nameEvidence(v Vector) bool {
	g, f := v.Level(FGiven), v.Level(FSurname)
	if g == NameDifferent || f == NameDifferent {
		return false
	}
	return g != 0 || f != 0
}

// coarseFields says which fields agree, partly agree or differ, and nothing more.
func coarseFields(v Vector) []tropic.FieldAgreement {
	var out []tropic.FieldAgreement
	for _, f := range []struct {
		field       int
		name        string
		exact, diff int
	}{
		{FGiven, "given name", NameExact, NameDifferent},
		{FSurname, "family name", NameExact, NameDifferent},
		{FDOB, "date of birth", DOBExact, DOBDifferent},
		{FPhone, "phone", TextExact, TextDifferent},
		{FEmail, "e-mail", TextExact, TextDifferent},
	} {
		level := tropic.PartlyAgrees
		switch v.Level(f.field) {
		case 0:
			continue
		case f.exact:
			level = tropic.Agrees
		case f.diff:
			level = tropic.Differs
		}
		out = append(out, tropic.FieldAgreement{Field: f.name, Level: level})
	}
	return out
}
