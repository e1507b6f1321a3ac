package tropic

import (
	"context"
	"sort"
	"strconv"
	"strings"
)

// ExportRecord is one potential victim referred to the NRM, as the research export
// sees them: quasi-identifiers only, in HTCDS 2.0 terms. It never holds immigration
// status, names, contact details or free text.
type ExportRecord struct {
	Year         int    // year the referral was submitted
	AgeBand      string // age at referral, in CTDC bands ("0-8", "9-17", "18-25", ...), or "unknown"
	Gender       string // "female", "male", "other", "unknown"
	Nationality  string // "unknown" when not recorded
	District     string // the district's name, or "unknown"
	Exploitation string // the Home Office combined label ("Labour", "Sexual & Labour")
	Multiple     bool   // more than one exploitation type
}

// ExportService reads the records behind the research export (analysts only).
type ExportService interface {
	ExportRecords(ctx context.Context, actor Actor) ([]ExportRecord, error)
}

// AgeBand is the CTDC age band for an age in years; a negative age is "unknown".
func AgeBand(age int) string {
	switch {
	case age < 0:
		return "unknown"
	case age <= 8:
		return "0-8"
	case age <= 17:
		return "9-17"
	case age <= 25:
		return "18-25"
	case age <= 38:
		return "26-38"
	case age <= 47:
		return "39-47"
	}
	return "48+"
}

// broadAge generalises an age band to child, adult or unknown.
func broadAge(b string) string {
	switch b {
	case "0-8", "9-17", "0-17":
		return "0-17"
	case "unknown", "":
		return "unknown"
	}
	return "18+"
}

// nationalityRegions maps a nationality (as recorded, a demonym) to a world region.
var nationalityRegions = map[string]string{
	"british": "United Kingdom", "english": "United Kingdom", "scottish": "United Kingdom", "welsh": "United Kingdom",
	"albanian": "Europe", "romanian": "Europe", "polish": "Europe", "bulgarian": "Europe", "lithuanian": "Europe",
	"slovak": "Europe", "czech": "Europe", "hungarian": "Europe", "latvian": "Europe", "ukrainian": "Europe", "kosovan": "Europe",
	"vietnamese": "Asia", "chinese": "Asia", "indian": "Asia", "pakistani": "Asia", "bangladeshi": "Asia", "filipino": "Asia",
	"afghan": "Asia", "iranian": "Asia", "iraqi": "Asia", "syrian": "Asia",
	"eritrean": "Africa", "sudanese": "Africa", "nigerian": "Africa", "ethiopian": "Africa", "ghanaian": "Africa", "somali": "Africa", "egyptian": "Africa",
	"brazilian": "Americas", "jamaican": "Americas",
}

// KnownNationality returns a nationality from the fixed list (lower case), "Other" for
// one not on it and "unknown" for none: never what someone typed, which may carry
// other words, into an export or a published table.
func KnownNationality(nationality string) string {
	n := strings.ToLower(strings.TrimSpace(nationality))
	if n == "" || n == "unknown" {
		return "unknown"
	}
	if _, ok := nationalityRegions[n]; ok {
		return n
	}
	return "Other"
}

// Region is the world region of a nationality, "Other" for one not known, "unknown"
// for none.
func Region(nationality string) string {
	n := strings.ToLower(strings.TrimSpace(nationality))
	if n == "" || n == "unknown" {
		return "unknown"
	}
	if r, ok := nationalityRegions[n]; ok {
		return r
	}
	return "Other"
}

// AnonRow is a row of the research export after generalisation.
type AnonRow struct {
	Year         int
	AgeBand      string
	Gender       string
	Nationality  string
	District     string
	Exploitation string
}

// Key is the row's combination of quasi-identifiers.
func (r AnonRow) Key() string {
	return strings.Join([]string{strconv.Itoa(r.Year), r.AgeBand, r.Gender, r.Nationality, r.District, r.Exploitation}, "\x00")
}

// AnonResult is a k-anonymised extract and how it was reached.
type AnonResult struct {
	Rows       []AnonRow
	K          int
	Levels     [4]int // generalisation of age, nationality, district, exploitation: 0 none
	Suppressed int    // rows left out because no generalisation put them in a group of k
}

// maximum generalisation level per quasi-identifier: age, nationality, district, exploitation.
var anonMax = [4]int{2, 2, 1, 2}

func generalise(rec ExportRecord, lv [4]int) AnonRow {
	r := AnonRow{Year: rec.Year, AgeBand: rec.AgeBand, Gender: rec.Gender, Nationality: rec.Nationality, District: rec.District, Exploitation: rec.Exploitation}
	switch lv[0] {
	case 1:
		r.AgeBand = broadAge(rec.AgeBand)
	case 2:
		r.AgeBand = "any"
	}
	switch lv[1] {
	case 1:
		r.Nationality = Region(rec.Nationality)
	case 2:
		r.Nationality = "any"
	}
	if lv[2] >= 1 {
		r.District = "county"
	}
	switch lv[3] {
	case 1:
		if rec.Multiple {
			r.Exploitation = "multiple"
		}
	case 2:
		r.Exploitation = "any"
	}
	return r
}

// KAnonymise generalises the records' quasi-identifiers (age band, gender,
// nationality, district, exploitation types, with the year) until every combination
// in the output is shared by at least k rows. It raises one quasi-identifier's level
// at a time (the one with most distinct values first: district to "county",
// nationality to region and then "any", exploitation to "multiple" and then "any",
// age band to child or adult and then "any") while more than maxSuppress of the rows
// sit in groups smaller than k; the rows still in such groups are then suppressed.
// k below 2 is taken as 2. The output is sorted.
func KAnonymise(recs []ExportRecord, k int, maxSuppress float64) AnonResult {
	if k < 2 {
		k = 2
	}
	var lv [4]int
	for {
		rows, small := anonAt(recs, lv, k)
		if float64(small) <= maxSuppress*float64(len(recs)) {
			return finish(rows, lv, k)
		}
		next := -1
		best := -1
		for i := range lv {
			if lv[i] >= anonMax[i] {
				continue
			}
			if d := distinct(rows, i); d > best {
				best, next = d, i
			}
		}
		if next < 0 {
			return finish(rows, lv, k)
		}
		lv[next]++
	}
}

func anonAt(recs []ExportRecord, lv [4]int, k int) ([]AnonRow, int) {
	rows := make([]AnonRow, len(recs))
	count := map[string]int{}
	for i, r := range recs {
		rows[i] = generalise(r, lv)
		count[rows[i].Key()]++
	}
	small := 0
	for _, n := range count {
		if n < k {
			small += n
		}
	}
	return rows, small
}

func distinct(rows []AnonRow, i int) int {
	seen := map[string]bool{}
	for _, r := range rows {
		switch i {
		case 0:
			seen[r.AgeBand] = true
		case 1:
			seen[r.Nationality] = true
		case 2:
			seen[r.District] = true
		case 3:
			seen[r.Exploitation] = true
		}
	}
	return len(seen)
}

func finish(rows []AnonRow, lv [4]int, k int) AnonResult {
	count := map[string]int{}
	for _, r := range rows {
		count[r.Key()]++
	}
	res := AnonResult{K: k, Levels: lv}
	for _, r := range rows {
		if count[r.Key()] >= k {
			res.Rows = append(res.Rows, r)
		} else {
			res.Suppressed++
		}
	}
	sort.Slice(res.Rows, func(i, j int) bool { return res.Rows[i].Key() < res.Rows[j].Key() })
	return res
}
