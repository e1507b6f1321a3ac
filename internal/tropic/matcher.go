package tropic

// PersonMatcher is the probabilistic person matcher and the normalisation its keys
// follow, as the store needs them. internal/linkage implements it; cmd/tropic wires
// it into the store (store.Options.Matcher), which never imports it.
type PersonMatcher interface {
	// PersonKeys are the keys people are blocked on, besides phone and date of birth.
	PersonKeys(given, family, email string) PersonKeys
	// BusinessKey is the business-name identifier links are made on: folded, with
	// legal forms and filler dropped ("Sparkle Car Wash Ltd", "sparkle car wash limited").
	BusinessKey(name string) string
	// Threshold is the probability at or above which a pair is suggested.
	Threshold() float64
	// ScorePairs scores each pair, in the order of its records.
	ScorePairs(pairs []PersonPair) []PairScore
	// WithNames is the matcher that also reads a partnership administrator's
	// entries in force (NameListService) when comparing names.
	WithNames(entries []NameEntry) PersonMatcher
	// ForPeople is the matcher scoring among about n person records: among many
	// more people than a model was trained among, a pair is less likely to be one
	// person, and more strangers share a name and a year of birth.
	ForPeople(n int) PersonMatcher
}

// PersonKeys are a person's blocking keys.
type PersonKeys struct {
	EmailNorm  string // the e-mail address normalised
	NameKey    string // phonetic keys of given and family name, sorted: an order swap gives the same key
	SurnameKey string // phonetic key of the family name
}

// PersonRecord is a person as the matcher reads them: the values as stored.
type PersonRecord struct {
	Given, Family string
	DateOfBirth   string // YYYY-MM-DD, YYYY-MM or YYYY
	Phone         string // E.164 when known, else as typed
	Email         string
}

// PersonPair is two records to score. The same *PersonRecord in several pairs is
// read once.
type PersonPair struct{ A, B *PersonRecord }

// PairScore is the matcher's word on a pair.
type PairScore struct {
	Probability float64
	// Explanation names fields and similarities, never values, for a caseworker who
	// may see both records ("same phone; given name similar 0.93").
	Explanation string
	// NameEvidence: neither name differs outright and at least one agrees at least in
	// part, so the pair may be suggested as one person (a shared phone alone is told
	// as an exact link instead).
	NameEvidence bool
	// Fields says which fields agree, partly agree or differ: all that is told of a
	// record the viewer may not see (CoarseExplanation, CoarseBand).
	Fields []FieldAgreement
}
