package tropic

// The labels of published breakdowns (DESIGN.md §4 rule 5): every breakdown not by
// a stored name shows a fixed list of labels, zeros included, so that a rare value
// is never shown to exist by appearing, and never shows text someone typed.

// NotRecorded labels the count of records without a value.
const NotRecorded = "Not recorded"

// MoreThanOneType labels the count of records with more than one type of
// exploitation: every combination falls under it, so a rare one never shows.
const MoreThanOneType = "More than one type"

// StatsRegions are the world regions nationalities are published as.
var StatsRegions = []string{"United Kingdom", "Europe", "Asia", "Africa", "Americas", "Other"}

// BreakdownLabels is how a breakdown by d labels the keys stored for it, and the
// labels every such table shows, in order. ok is false for a breakdown whose labels
// are stored names (district, agency: see NamedLabels) or periods (month).
func BreakdownLabels(d Dimension) (label func(key string) string, order []string, ok bool) {
	switch d {
	case DimExploitation:
		for _, t := range ExploitationTypes {
			order = append(order, t.Label())
		}
		order = append(order, ExploitNotSpecified.Label(), MoreThanOneType)
		return func(k string) string {
			set := ExploitationSet{Types: ParseExploitationTypes(k)}
			set.Normalise()
			if len(set.Types) > 1 {
				return MoreThanOneType
			}
			return set.Label()
		}, order, true
	case DimAgeGroup:
		return func(k string) string {
			switch AgeGroup(k) {
			case AgeAdult:
				return "Adult (18 or over)"
			case AgeChild:
				return "Child (under 18)"
			}
			return NotRecorded
		}, []string{"Adult (18 or over)", "Child (under 18)"}, true
	case DimGender:
		labels := map[string]string{}
		for _, g := range Genders {
			labels[string(g.Key)] = g.Label
			order = append(order, g.Label)
		}
		return func(k string) string {
			if l, ok := labels[k]; ok {
				return l
			}
			return NotRecorded
		}, order, true
	case DimOffence:
		for _, o := range Offences {
			order = append(order, o.Label())
		}
		return func(k string) string {
			for _, o := range Offences {
				if Offence(k) == o {
					return o.Label()
				}
			}
			return NotRecorded // never a stored text that is not an offence
		}, order, true
	case DimNationality:
		return func(k string) string {
			if r := Region(k); r != "unknown" {
				return r
			}
			return NotRecorded
		}, append([]string(nil), StatsRegions...), true
	}
	return nil, nil, false
}

// NamedLabels labels stored keys (a district's slug, an agency's id) by the names
// read for them; any other key is NotRecorded.
func NamedLabels(names map[string]string) func(key string) string {
	return func(k string) string {
		if n, ok := names[k]; ok {
			return n
		}
		return NotRecorded
	}
}
