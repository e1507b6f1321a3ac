package linkage

import (
	"fmt"
	"math"
	"strings"
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

	// GivenAsEntered and SurnameAsEntered are the names as they were typed, kept by
	// Prepare: the compared forms above are romanised and folded.
	GivenAsEntered, SurnameAsEntered string

	// set by Prepare, once a record rather than once a compared pair: each
	// name's romanised words, phonetic key, consonant skeleton, words with their
	// skeletons (when more than one), families of familiar forms and
	// transliterations and script as entered; the two name parts blocking keys
	// on (canonical skeletons); and the families the record was prepared with
	gName, sName   nameField
	blockA, blockB string
	names          *Names
}

// AsEntered is the name as it was typed, given name first.
func (r *Record) AsEntered() string {
	if r.GivenAsEntered == "" && r.SurnameAsEntered == "" {
		return strings.TrimSpace(r.Given + " " + r.Surname)
	}
	return strings.TrimSpace(r.GivenAsEntered + " " + r.SurnameAsEntered)
}

// Prepare normalises the text fields in place, with the default name families.
func (r *Record) Prepare() { r.PrepareWith(DefaultNames()) }

// PrepareWith normalises the text fields in place: names romanised and folded,
// with their skeletons and their families in names.
func (r *Record) PrepareWith(names *Names) {
	if r.GivenAsEntered == "" && r.SurnameAsEntered == "" {
		r.GivenAsEntered, r.SurnameAsEntered = r.Given, r.Surname
	}
	r.names = names
	gIn, sIn := r.Given, r.Surname
	if r.gName.words != "" && r.gName.joined == r.Given { // prepared before: the words again
		gIn = r.gName.words
	}
	if r.sName.words != "" && r.sName.joined == r.Surname {
		sIn = r.sName.words
	}
	g, gScript := normaliseNameScript(gIn)
	s, sScript := normaliseNameScript(sIn)
	r.gName = newNameField(names, g, gScript, true)
	r.sName = newNameField(names, s, sScript, false)
	r.Given, r.Surname = r.gName.joined, r.sName.joined
	r.blockA, r.blockB = blockParts(names, &r.gName, &r.sName)
	r.StreetNo = strings.ReplaceAll(NormaliseName(r.StreetNo), " ", "")
	r.Address = NormaliseName(r.Address)
	r.Locality = NormaliseName(r.Locality)
	r.Postcode = strings.ToLower(strings.Join(strings.Fields(r.Postcode), ""))
	r.Phone = NormalisePhone(r.Phone)
	r.Email = NormaliseEmail(r.Email)
	r.IDNo = strings.ToLower(strings.Join(strings.Fields(r.IDNo), ""))
	r.pack()
}

// pack copies the text that comparisons read into one allocation, so that
// comparing two records reads a few cache lines of each rather than one for
// every field: on a million records the comparisons wait on memory more than
// they compute.
func (r *Record) pack() {
	fields := [...]*string{&r.gName.joined, &r.sName.joined, &r.Address, &r.Locality, &r.Postcode, &r.StreetNo,
		&r.Phone, &r.Email, &r.IDNo, &r.gName.phon, &r.sName.phon, &r.gName.skel, &r.sName.skel,
		&r.gName.words, &r.sName.words, &r.blockA, &r.blockB}
	var b strings.Builder
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	b.Grow(n)
	for _, f := range fields {
		b.WriteString(*f)
	}
	all, at := b.String(), 0
	for _, f := range fields {
		*f = all[at : at+len(*f)]
		at += len(*f)
	}
	r.Given, r.Surname = r.gName.joined, r.sName.joined
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

func (v Vector) Level(f int) int { return int(v>>(4*f)) & 15 }
func (v *Vector) set(f, l int)   { *v |= Vector(l) << (4 * f) }

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
	v, d := compareDetail(a, b)
	return v, d.swapped, d.sims
}

// detail is what a comparison did besides its levels, for its explanation.
type detail struct {
	swapped, oneField bool
	sims              [NFields]float64
}

func compareDetail(a, b *Record) (v Vector, d detail) {
	lg, ls := compareNames(a, b, &d)
	v.set(FGiven, lg)
	v.set(FSurname, ls)
	v.set(FStreetNo, codeLevel(a.StreetNo, b.StreetNo))
	l, s := textLevel(a.Address, b.Address)
	v.set(FAddress, l)
	d.sims[FAddress] = s
	l, s = textLevel(a.Locality, b.Locality)
	v.set(FLocality, l)
	d.sims[FLocality] = s
	v.set(FPostcode, codeLevel(a.Postcode, b.Postcode))
	v.set(FDOB, CompareDOB(a.DOB, b.DOB))
	v.set(FPhone, codeLevel(a.Phone, b.Phone))
	v.set(FEmail, codeLevel(a.Email, b.Email))
	v.set(FIDNo, codeLevel(a.IDNo, b.IDNo))
	return v, d
}

// Model holds Fellegi–Sunter parameters with a third class for households: for
// each field and level, m = P(level | match), h = P(level | another person at the
// same address) and u = P(level | unrelated). Lambda and LambdaH are the prior
// shares of matches and of household pairs among all pairs of records (not
// among candidate pairs: see Train), so they shrink as the population grows.
// Level 0 (missing) carries no weight, nor does a field whose probabilities are
// zero.
//
// The household class (a third latent class, as in Winkler's work on census
// files) answers a known failure of the two-class model: people living together agree on street number, address, locality,
// postcode and often surname, fields that the two-class model counts as
// independent evidence, so that EM takes households for the matches and two
// sisters at one address come out as one person. With a class of their own,
// agreeing addresses with disagreeing names and dates of birth are explained by
// it. Where there are no households (FEBRL), the class stays small.
type Model struct {
	M, H, U         [NFields][16]float64
	Lambda, LambdaH float64
	// UNames is u of the fields besides the names among strangers whose names
	// both agree closely (strongName), used for such pairs in place of U:
	// people of one name share more than their name (an e-mail address made
	// of it, a community's district), so that agreeing on those says less
	// about a pair of one name than about a random pair.
	UNames [NFields][16]float64
	// NamesTogether is log2 of how much more often random pairs agree closely
	// on both names than the two names' own rates of agreement multiplied say:
	// given and family names are drawn from one community's names, so two
	// strangers of one community agree on both far more often than two names
	// drawn apart would. It is added to log u of a pair whose names both agree
	// closely (strongName).
	NamesTogether float64
	// MovedTogether is log2 of how much more often a match disagrees on all four
	// address fields (street number, address, locality, postcode) at once than
	// the four fields' own rates of disagreement multiplied say: a person who
	// moved disagrees on all four, one event rather than four. It is added to
	// log m of a pair that disagrees on all four (moved).
	MovedTogether float64
	// Threshold is the match probability at or above which a pair is a match.
	Threshold float64
	// Records is how many records Lambda and LambdaH are shares of the pairs of
	// (Train's records); 0 when unknown.
	Records int
}

// ForRecords is the model for scoring among n records: the priors, shares of all
// pairs of Records records, rescaled to the pairs of n. Among ten times as many
// people, a pair is a tenth as likely to be one person (each person's own records
// are as many, the pairs ten times as many), and so ten times as many strangers
// share a name and a year of birth; a model whose prior stayed that of its
// training set would link those strangers (the default model, trained among
// 10,000, scored 100,000 generated partnership-shaped records at precision 0.74).
// Fewer records than Records leave the model as it is: it stays as cautious as
// where it was trained rather than growing readier to link in a small set.
func (m *Model) ForRecords(n int) *Model {
	if m.Records <= 0 || n <= m.Records {
		return m
	}
	c := *m
	k := float64(m.Records) / float64(n)
	c.Lambda, c.LambdaH = m.Lambda*k, m.LambdaH*k
	return &c
}

// DefaultThreshold is the match probability at or above which a pair is a match.
// With u from random pairs and the prior a share of all pairs (Train), the
// probability is calibrated: of the generated partnership-shaped pairs scored
// about 0.85, about 85% are one person (the same name and year of birth, moved
// house, is one person six times in seven there). 0.9 keeps precision at 0.98 on
// that population (F1 0.92, against 0.96 at 0.5 with precision 0.95), while FEBRL
// dataset3 (F1 0.9985, 0.9988 at 0.5) and the UK-shaped population (0.993,
// 0.994) hardly move: a wrong link between two victims' records costs more than a
// missed one, which a caseworker can still find by searching.
const DefaultThreshold = 0.9

// logLikelihoods are log2 P(v | class) for match, household and unrelated pairs.
func (m *Model) logLikelihoods(v Vector) (lm, lh, lu float64) {
	namesAgree := namesAgree(v)
	for f := 0; f < NFields; f++ {
		l := v.Level(f)
		if l == 0 || m.M[f][l] == 0 || m.U[f][l] == 0 {
			continue
		}
		lm += math.Log2(m.M[f][l])
		lu += math.Log2(m.uOf(namesAgree, f, l))
		if m.LambdaH > 0 {
			lh += math.Log2(m.H[f][l])
		}
	}
	lm, lu = m.together(v, lm, lu)
	return lm, lh, lu
}

// namesAgree reports whether both names of a pair agree closely.
func namesAgree(v Vector) bool { return strongName(v.Level(FGiven)) && strongName(v.Level(FSurname)) }

// uOf is u of field f at level l: from UNames for a field besides the names of
// a pair whose names agree, where UNames is known.
func (m *Model) uOf(namesAgree bool, f, l int) float64 {
	if namesAgree && f != FGiven && f != FSurname && m.UNames[f][l] > 0 {
		return m.UNames[f][l]
	}
	return m.U[f][l]
}

// together adds NamesTogether and MovedTogether to the log likelihoods of a
// match and of unrelated records where they apply.
func (m *Model) together(v Vector, lm, lu float64) (float64, float64) {
	if namesAgree(v) {
		lu += m.NamesTogether
	}
	if moved(v) {
		lm += m.MovedTogether
	}
	return lm, lu
}

// addressFields are the fields of where someone lives.
var addressFields = [...]int{FStreetNo, FAddress, FLocality, FPostcode}

// moved reports whether a pair disagrees on all four address fields.
func moved(v Vector) bool {
	for _, f := range addressFields {
		if v.Level(f) != TextDifferent {
			return false
		}
	}
	return true
}

// Weight is the match weight without the prior: log2 of P(v | match) over
// P(v | non-match), the non-matches being households and unrelated pairs in
// their proportions. Without households it is the sum of log2(m/u) over fields.
func (m *Model) Weight(v Vector) float64 {
	lm, lh, lu := m.logLikelihoods(v)
	if m.LambdaH <= 0 {
		return lm - lu
	}
	lambdaU := 1 - m.Lambda - m.LambdaH
	return lm - logSum2(lh+math.Log2(m.LambdaH), lu+math.Log2(lambdaU)) + math.Log2(m.LambdaH+lambdaU)
}

// logSum2 is log2(2^a + 2^b).
func logSum2(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	return a + math.Log2(1+math.Exp2(b-a))
}

// Probability is the posterior match probability of a vector.
func (m *Model) Probability(v Vector) float64 {
	w := m.Weight(v) + math.Log2(m.Lambda/(1-m.Lambda))
	return 1 / (1 + math.Exp2(-w))
}

// Explain tells, in words, why a pair scored as it did, and what was done to
// compare the names: romanised from another script, swapped, read from one field.
func (m *Model) Explain(a, b *Record) string {
	v, d := compareDetail(a, b)
	var out []string
	if d.swapped {
		out = append(out, "names swapped")
	}
	if d.oneField {
		out = append(out, "whole name in one field")
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
			s = explainName(a, b, f, l, d)
		case FDOB:
			s = map[int]string{DOBExact: "same date of birth", DOBSwapped: "date of birth with day and month swapped",
				DOBOneDiffers: "date of birth differs in one part", DOBYearOnly: "same year of birth only", DOBSameYear: "same year of birth, month or day differs", DOBDifferent: "date of birth differs"}[l]
		case FAddress, FLocality:
			s = map[int]string{TextExact: "same " + n, TextClose: fmt.Sprintf("%s similar %.2f", n, d.sims[f]),
				TextNear: fmt.Sprintf("%s somewhat similar %.2f", n, d.sims[f]), TextDifferent: n + " differs"}[l]
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
