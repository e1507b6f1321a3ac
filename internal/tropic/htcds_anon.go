package tropic

import (
	"sort"
	"strconv"
	"strings"
)

// The research export in HTCDS 2.0 terms (IOM's Human Trafficking Case Data Standard,
// docs/decisions.md), k-anonymous by local generalisation: each quasi-identifier has a
// hierarchy from "any" down to the value as recorded, and the records are split
// top-down (Mondrian, LeFevre et al. 2006) wherever every part keeps at least k rows,
// so common combinations stay exact and only rare ones are generalised.

// HTCDSHeader is the export's header row: HTCDS 2.0 field names where the standard
// has one (prs_, vic_), the CTDC global dataset's names for what it derives
// (yearOfRegistration, ageBroad, is*), and the district, which is Tropic's own.
var HTCDSHeader = []string{"yearOfRegistration", "prs_Gender", "ageBroad", "prs_Citizenship", "district",
	"vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "isForcedLabour", "isSexualExploit", "isOtherExploit"}

// The quasi-identifiers, in the order ties are broken when choosing a split.
const (
	qiYear = iota
	qiGender
	qiAge
	qiCitizenship
	qiExploitation
	qiDistrict
	qiCount
)

// qiHeight is the height of each quasi-identifier's hierarchy.
var qiHeight = [qiCount]int{1, 1, 3, 3, 2, 1}

// QINames names the quasi-identifiers for AnonResult's figures.
var QINames = [qiCount]string{"year", "gender", "age", "citizenship", "exploitation", "district"}

// AnyValue is what a fully generalised value reads.
const AnyValue = "any"

// HTCDSRow is a row of the research export after generalisation: one value per
// column of HTCDSHeader.
type HTCDSRow []string

// AnonResult is a k-anonymised extract and what it kept.
type AnonResult struct {
	Rows       []HTCDSRow
	K          int
	Suppressed int // rows left out: only when there are fewer than k records in all
	// NotAny is, per quasi-identifier (QINames), the share of rows whose value is
	// not generalised to "any"; Exact the share still at the value as recorded.
	NotAny, Exact [qiCount]float64
}

// htcdsGender maps a recorded gender to HTCDS 2.0's prs_Gender picklist.
func htcdsGender(g string) string {
	switch strings.ToLower(g) {
	case "female":
		return "Feminine"
	case "male":
		return "Masculine"
	case "other":
		return "NonConforming"
	}
	return "NonSpecifiedUnknown"
}

// ageBroadPath is an age's hierarchy in the CTDC's ageBroad bands: minor or adult,
// then a middle band, then the band.
func ageBroadPath(age int, group AgeGroup) []string {
	switch {
	case age < 0 && group == AgeChild:
		return []string{"0--17"}
	case age < 0 && group == AgeAdult:
		return []string{"18+"}
	case age < 0:
		return []string{"Unknown"}
	case age <= 8:
		return []string{"0--17", "0--8"}
	case age <= 17:
		return []string{"0--17", "09--17"}
	case age >= 48:
		return []string{"18+", "48+"}
	case age >= 30:
		band := "39--47"
		if age <= 38 {
			band = "30--38"
		}
		return []string{"18+", "30--47", band}
	}
	lo := 18 + (age-18)/3*3
	return []string{"18+", "18--29", strconv.Itoa(lo) + "--" + strconv.Itoa(lo+2)}
}

// citizenshipPath is a nationality's hierarchy: UN M49 region, sub-region, then ISO
// 3166-1 alpha-3 code.
func citizenshipPath(n string) []string {
	switch k := KnownNationality(n); k {
	case "unknown":
		return []string{"Unknown"}
	case "Other":
		return []string{"Other"}
	default:
		c := nationalities[k]
		return []string{c.region, c.subRegion, c.iso3}
	}
}

// htcdsExploitation maps the NRM's exploitation types to HTCDS 2.0's
// vic_TypeOfExploitation values (criminal exploitation is forced labour in illicit
// activities; domestic servitude is servitude: an inference, DOMAIN.md §6.2), sorted,
// and reports whether any was criminal.
func htcdsExploitation(types []ExploitationType) (values []string, illicit bool) {
	seen := map[string]bool{}
	for _, t := range types {
		v := ""
		switch t {
		case ExploitLabour:
			v = "ForcedLabour"
		case ExploitCriminal:
			v, illicit = "ForcedLabour", true
		case ExploitSexual:
			v = "SexualExploitation"
		case ExploitDomestic:
			v = "Servitude"
		case ExploitOrgan:
			v = "OrganRemoval"
		}
		if v != "" && !seen[v] {
			seen[v] = true
			values = append(values, v)
		}
	}
	sort.Strings(values)
	return values, illicit
}

// exploitationPath: the HTCDS types, then the types with the forced labour industry.
func exploitationPath(types []ExploitationType) []string {
	v, illicit := htcdsExploitation(types)
	set := strings.Join(v, ";")
	if set == "" {
		set = "Unknown"
	}
	industry := ""
	if illicit {
		industry = "IllicitActivities"
	}
	return []string{set, set + "|" + industry}
}

func qiPaths(r ExportRecord) [qiCount][]string {
	district := r.District
	if district == "" {
		district = "unknown"
	}
	return [qiCount][]string{
		{strconv.Itoa(r.Year)},
		{htcdsGender(r.Gender)},
		ageBroadPath(r.Age, r.AgeGroup),
		citizenshipPath(r.Nationality),
		exploitationPath(r.Exploitation),
		{district},
	}
}

// anonPart is a set of records that will share one generalised row: depth is how far
// down each hierarchy it has been split; closed marks a hierarchy this part may not
// split again (it is what was left over from a split).
type anonPart struct {
	rows   []int
	depth  [qiCount]int
	closed [qiCount]bool
}

// KAnonymise generalises the records until every row of the output is shared by at
// least k rows (k below 2 is taken as 2). Nothing is suppressed unless there are
// fewer than k records in all. The output is sorted.
func KAnonymise(recs []ExportRecord, k int) AnonResult {
	if k < 2 {
		k = 2
	}
	res := AnonResult{K: k}
	if len(recs) < k {
		res.Suppressed = len(recs)
		return res
	}
	paths := make([][qiCount][]string, len(recs))
	all := make([]int, len(recs))
	for i, r := range recs {
		paths[i] = qiPaths(r)
		all[i] = i
	}
	var leaves []anonPart
	stack := []anonPart{{rows: all}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		parts := splitPart(p, paths, k)
		if parts == nil {
			leaves = append(leaves, p)
			continue
		}
		stack = append(stack, parts...)
	}
	for _, p := range leaves {
		for _, i := range p.rows {
			res.Rows = append(res.Rows, htcdsRow(paths[i], p.depth))
			for q := 0; q < qiCount; q++ {
				if p.depth[q] > 0 {
					res.NotAny[q]++
				}
				if p.depth[q] == len(paths[i][q]) {
					res.Exact[q]++
				}
			}
		}
	}
	for q := 0; q < qiCount; q++ {
		res.NotAny[q] /= float64(len(recs))
		res.Exact[q] /= float64(len(recs))
	}
	sort.Slice(res.Rows, func(i, j int) bool {
		return strings.Join(res.Rows[i], "\x00") < strings.Join(res.Rows[j], "\x00")
	})
	return res
}

// splitPart splits a part one step down one hierarchy (the one it has gone least far
// down, then the one that specialises the most rows, then the earlier), into children of at least k rows each and,
// when some rows cannot go down with them, a rest of at least k rows that keeps the
// part's generalisation (made up, if it must be, with rows a large child can spare:
// the same values may then appear exact in one row and generalised in another, each
// row still shared by k). It returns nil when no split keeps every part at k or more.
func splitPart(p anonPart, paths [][qiCount][]string, k int) []anonPart {
	var best []anonPart
	bestRows, bestShare := 0, 0.0
	for q := 0; q < qiCount; q++ {
		if p.closed[q] {
			continue
		}
		groups := map[string][]int{}
		var rest []int
		d := p.depth[q]
		for _, i := range p.rows {
			if path := paths[i][q]; len(path) > d {
				groups[path[d]] = append(groups[path[d]], i)
			} else {
				rest = append(rest, i)
			}
		}
		keys := make([]string, 0, len(groups))
		for key, g := range groups {
			if len(g) < k {
				rest = append(rest, g...)
				continue
			}
			keys = append(keys, key)
		}
		// Largest first. A rest short of k takes what it lacks from the largest child
		// if that child keeps k; otherwise it takes the smallest child whole.
		sort.Slice(keys, func(i, j int) bool {
			if a, b := len(groups[keys[i]]), len(groups[keys[j]]); a != b {
				return a > b
			}
			return keys[i] < keys[j]
		})
		for len(rest) > 0 && len(rest) < k && len(keys) > 0 {
			need, big := k-len(rest), groups[keys[0]]
			if len(big)-need >= k {
				rest = append(rest, big[len(big)-need:]...)
				groups[keys[0]] = big[:len(big)-need]
				break
			}
			last := keys[len(keys)-1]
			rest = append(rest, groups[last]...)
			keys = keys[:len(keys)-1]
		}
		if len(keys) == 0 || (len(rest) > 0 && len(rest) < k) {
			continue
		}
		n := 0
		for _, key := range keys {
			n += len(groups[key])
		}
		// Detail is spread across the columns: the split goes down the hierarchy
		// this part has gone least far down (relative to its height), and, among
		// those, the one that specialises the most rows.
		share := float64(d) / float64(qiHeight[q])
		if best != nil && (share > bestShare || (share == bestShare && n <= bestRows)) {
			continue
		}
		bestRows, bestShare = n, share
		best = nil
		for _, key := range keys {
			c := anonPart{rows: groups[key], depth: p.depth, closed: p.closed}
			c.depth[q]++
			best = append(best, c)
		}
		if len(rest) > 0 {
			r := anonPart{rows: rest, depth: p.depth, closed: p.closed}
			r.closed[q] = true
			best = append(best, r)
		}
	}
	return best
}

// htcdsRow writes one record at its part's generalisation.
func htcdsRow(path [qiCount][]string, depth [qiCount]int) HTCDSRow {
	at := func(q int) string {
		if depth[q] == 0 {
			return AnyValue
		}
		return path[q][depth[q]-1]
	}
	row := HTCDSRow{at(qiYear), at(qiGender), at(qiAge), at(qiCitizenship), at(qiDistrict)}
	switch depth[qiExploitation] {
	case 0:
		row = append(row, AnyValue, AnyValue, AnyValue, AnyValue, AnyValue)
	default:
		set, industry, _ := strings.Cut(path[qiExploitation][1], "|")
		if depth[qiExploitation] < 2 {
			industry = AnyValue
		}
		flag := func(b bool) string {
			if b {
				return "1"
			}
			return ""
		}
		labour := strings.Contains(set, "ForcedLabour")
		sexual := strings.Contains(set, "SexualExploitation")
		other := strings.Contains(set, "Servitude") || strings.Contains(set, "OrganRemoval")
		row = append(row, set, industry, flag(labour), flag(sexual), flag(other))
	}
	return row
}
