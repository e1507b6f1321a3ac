package tropic

import (
	"context"
	"strings"
)

// ExportRecord is one potential victim referred to the NRM, as the research export
// sees them: quasi-identifiers only. It never holds immigration status, names,
// contact details or free text.
type ExportRecord struct {
	Year         int                // year the referral was submitted
	Age          int                // age at referral in years; -1 when not known
	AgeGroup     AgeGroup           // child or adult when the age is not known; "" for neither
	Gender       string             // "female", "male", "other", "unknown"
	Nationality  string             // as KnownNationality returns it
	District     string             // the district's name, or "unknown"
	Exploitation []ExploitationType // the referral's exploitation types
}

// ExportService reads the records behind the research export (analysts only).
type ExportService interface {
	ExportRecords(ctx context.Context, actor Actor) ([]ExportRecord, error)
}

// nationality is one nationality on the fixed list: its ISO 3166-1 alpha-3 code and
// its UN M49 sub-region and region. Kosovo has no ISO 3166-1 code; XKX is the
// user-assigned code the European Commission and the IMF use.
type nationality struct{ iso3, subRegion, region string }

var nationalities = map[string]nationality{
	"british": {"GBR", "Northern Europe", "Europe"}, "english": {"GBR", "Northern Europe", "Europe"},
	"scottish": {"GBR", "Northern Europe", "Europe"}, "welsh": {"GBR", "Northern Europe", "Europe"},
	"lithuanian": {"LTU", "Northern Europe", "Europe"}, "latvian": {"LVA", "Northern Europe", "Europe"},
	"albanian": {"ALB", "Southern Europe", "Europe"}, "kosovan": {"XKX", "Southern Europe", "Europe"},
	"romanian": {"ROU", "Eastern Europe", "Europe"}, "polish": {"POL", "Eastern Europe", "Europe"},
	"bulgarian": {"BGR", "Eastern Europe", "Europe"}, "slovak": {"SVK", "Eastern Europe", "Europe"},
	"czech": {"CZE", "Eastern Europe", "Europe"}, "hungarian": {"HUN", "Eastern Europe", "Europe"},
	"ukrainian":  {"UKR", "Eastern Europe", "Europe"},
	"vietnamese": {"VNM", "South-eastern Asia", "Asia"}, "filipino": {"PHL", "South-eastern Asia", "Asia"},
	"chinese": {"CHN", "Eastern Asia", "Asia"},
	"indian":  {"IND", "Southern Asia", "Asia"}, "pakistani": {"PAK", "Southern Asia", "Asia"},
	"bangladeshi": {"BGD", "Southern Asia", "Asia"}, "afghan": {"AFG", "Southern Asia", "Asia"},
	"iranian": {"IRN", "Southern Asia", "Asia"},
	"iraqi":   {"IRQ", "Western Asia", "Asia"}, "syrian": {"SYR", "Western Asia", "Asia"},
	"eritrean": {"ERI", "Eastern Africa", "Africa"}, "ethiopian": {"ETH", "Eastern Africa", "Africa"},
	"somali":   {"SOM", "Eastern Africa", "Africa"},
	"sudanese": {"SDN", "Northern Africa", "Africa"}, "egyptian": {"EGY", "Northern Africa", "Africa"},
	"nigerian": {"NGA", "Western Africa", "Africa"}, "ghanaian": {"GHA", "Western Africa", "Africa"},
	"brazilian": {"BRA", "South America", "Americas"}, "jamaican": {"JAM", "Caribbean", "Americas"},
}

// KnownNationality returns a nationality from the fixed list (lower case), "Other" for
// one not on it and "unknown" for none: never what someone typed, which may carry
// other words, into an export or a published table.
func KnownNationality(nationality string) string {
	n := strings.ToLower(strings.TrimSpace(nationality))
	if n == "" || n == "unknown" {
		return "unknown"
	}
	if _, ok := nationalities[n]; ok {
		return n
	}
	return "Other"
}

// Region is the world region of a nationality as the statistics tables show it (the
// United Kingdom apart from the rest of Europe), "Other" for one not known, "unknown"
// for none.
func Region(nationality string) string {
	n := strings.ToLower(strings.TrimSpace(nationality))
	if n == "" || n == "unknown" {
		return "unknown"
	}
	if c, ok := nationalities[n]; ok {
		if c.iso3 == "GBR" {
			return "United Kingdom"
		}
		return c.region
	}
	return "Other"
}
