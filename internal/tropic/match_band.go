package tropic

import "strings"

// MatchBand is how strong a suggested match is, in words.
type MatchBand string

const (
	BandStrong   MatchBand = "strong"
	BandLikely   MatchBand = "likely"
	BandPossible MatchBand = "possible"
)

// Label names the band as the pages show it.
func (b MatchBand) Label() string {
	switch b {
	case BandStrong:
		return "Strong"
	case BandLikely:
		return "Likely"
	}
	return "Possible"
}

// BandOfProbability is the band of a suggestion the viewer may see in full: strong
// from 95%, likely from 80%, possible below.
func BandOfProbability(p float64) MatchBand {
	switch {
	case p >= 0.95:
		return BandStrong
	case p >= 0.8:
		return BandLikely
	}
	return BandPossible
}

// Agreement is how far one field of two person records agrees, told coarsely.
type Agreement int

const (
	AgreementUnknown Agreement = iota // missing on one side
	Agrees
	PartlyAgrees
	Differs
)

// FieldAgreement is one field's agreement, for a record the viewer may not see.
type FieldAgreement struct {
	Field string // "given name", "date of birth"
	Level Agreement
}

// CoarseExplanation says which fields agree, partly agree or differ, and nothing
// more: no similarity, weight or kind of difference, which with the viewer's own
// values would give the hidden record's away.
func CoarseExplanation(fields []FieldAgreement) string {
	var out []string
	for _, f := range fields {
		switch f.Level {
		case Agrees:
			out = append(out, f.Field+" agrees")
		case PartlyAgrees:
			out = append(out, f.Field+" partly agrees")
		case Differs:
			out = append(out, f.Field+" differs")
		}
	}
	return strings.Join(out, "; ")
}

// CoarseBand is the band of a suggestion about a record the viewer may not see
// (need to know, DESIGN.md §4 rule 1): derived from the coarse explanation alone,
// never from the model's probability, which tells levels of one field apart (a date
// of birth with day and month swapped from one a day off) that the explanation
// tells as one. Agreeing fields count 2, partly agreeing 1, differing −2: strong
// from 7 with nothing differing, likely from 4, possible below.
func CoarseBand(fields []FieldAgreement) MatchBand {
	score, differs := 0, false
	for _, f := range fields {
		switch f.Level {
		case Agrees:
			score += 2
		case PartlyAgrees:
			score++
		case Differs:
			score -= 2
			differs = true
		}
	}
	switch {
	case score >= 7 && !differs:
		return BandStrong
	case score >= 4:
		return BandLikely
	}
	return BandPossible
}
