package tropic

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// The analysts' partnership network: what they may search it by, how it is
// filtered and expanded, and which records it names.

// What the analysts' network is searched by.
const (
	NetworkByReference = "reference"
	NetworkByBusiness  = "business"
	NetworkByPostcode  = "postcode"
	NetworkByPhone     = "phone"
	NetworkByVehicle   = "vehicle"
)

// NetworkSearchKinds lists what the network is searched by, in the order forms offer them.
var NetworkSearchKinds = []string{NetworkByReference, NetworkByBusiness, NetworkByPostcode, NetworkByPhone, NetworkByVehicle}

// Audit actions of the analysts' network exports.
const AuditAnalystNetworkExported = "network.analyst_exported"

// NetworkSearchSteps is how many steps from the record searched for the network
// starts with; each expansion adds one step from one record.
const NetworkSearchSteps = 2

// NetworkQuery selects part of the partnership's network: the records within
// NetworkSearchSteps of the one searched for, plus the neighbours of each record
// expanded, among cases opened in the period, in the district and of the
// exploitation type asked for (the people and identifiers of other cases are
// reached only through the cases kept). Without a search, the largest groups.
type NetworkQuery struct {
	By           string // one of NetworkSearchKinds, when Search is not ""
	Search       string // as typed; for a reference, postcode or vehicle, normalised as links are
	From, To     time.Time
	District     string // a district's slug
	Exploitation ExploitationType
	Expand       []string // node keys ("person:3fa2…") to add the neighbours of
	Export       string   // "csv" or "graphml" for an export, audited as one
}

// Filtered says whether the query filters the cases.
func (q NetworkQuery) Filtered() bool {
	return !q.From.IsZero() || !q.To.IsZero() || q.District != "" || q.Exploitation != ""
}

// IncludesCase says whether a case opened at opened (in the partnership's time
// zone: the period is of its days), in district, with the exploitation types
// exploitation (comma-separated, as cases store them) is kept.
func (q NetworkQuery) IncludesCase(opened time.Time, district, exploitation string) bool {
	day := time.Date(opened.Year(), opened.Month(), opened.Day(), 0, 0, 0, 0, time.UTC)
	if (!q.From.IsZero() && day.Before(q.From)) || (!q.To.IsZero() && day.After(q.To)) {
		return false
	}
	if q.District != "" && district != q.District {
		return false
	}
	return q.Exploitation == "" || slices.Contains(strings.Split(exploitation, ","), string(q.Exploitation))
}

// PartnershipNetworkNames says whether the analysts' network names records of a
// kind. Businesses and places are not personal data and are named; people, cases,
// phones, vehicles and e-mail addresses lead to people and stay pseudonymised.
func PartnershipNetworkNames(kind string) bool { return kind == "business" || kind == "place" }

var (
	networkKeyRE   = regexp.MustCompile(`^(case|person|phone|vehicle|place|business|email):[0-9a-f]{16}$`)
	districtSlugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
)

// IsNetworkKey says whether s has the shape of a node key of the analysts' network.
func IsNetworkKey(s string) bool { return networkKeyRE.MatchString(s) }

// ParseNetworkQuery reads the analysts' network query from a URL's parameters
// (by, q, from, to, district, exploitation, expand), naming the field of each
// problem. Phones and business names are normalised by the store, as links are.
func ParseNetworkQuery(v map[string][]string) (NetworkQuery, error) {
	get := func(k string) string {
		if len(v[k]) == 0 {
			return ""
		}
		return strings.TrimSpace(v[k][0])
	}
	var q NetworkQuery
	var p Problems
	if q.Search = get("q"); q.Search != "" {
		q.By = get("by")
		switch q.By {
		case NetworkByReference:
			ref, err := ParseCaseReference(q.Search)
			if err != nil {
				p.Add("q", "Enter the case reference as the case shows it, with its check character")
			}
			q.Search = ref
		case NetworkByPostcode:
			pc, ok := NormalisePostcode(q.Search)
			if !ok {
				p.Add("q", "Enter a full postcode, like AL1 3JX")
			}
			q.Search = pc
		case NetworkByVehicle:
			reg, ok := NormaliseRegistration(q.Search)
			if !ok {
				p.Add("q", "Enter a vehicle registration of letters and digits, like AB12 CDE")
			}
			q.Search = reg
		case NetworkByPhone, NetworkByBusiness:
			if len(q.Search) > 200 {
				p.Add("q", "Enter 200 characters or fewer")
			}
		default:
			p.Add("by", "Choose what to search by: a case reference, business, postcode, phone or vehicle")
		}
	}
	date := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			p.Add(field, "Enter a date like 2026-03-31")
		}
		return t
	}
	q.From, q.To = date("from", get("from")), date("to", get("to"))
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		p.Add("to", "Enter an end of the period on or after its start")
	}
	if q.District = get("district"); q.District != "" && !districtSlugRE.MatchString(q.District) {
		p.Add("district", "Choose a district from the list")
	}
	if e := ExploitationType(get("exploitation")); e != "" {
		if !e.Valid() {
			p.Add("exploitation", "Choose a type of exploitation from the list")
		}
		q.Exploitation = e
	}
	for _, k := range v["expand"] {
		if !IsNetworkKey(k) {
			p.Add("expand", "A record to expand is not one of the network's: start again from the search")
			continue
		}
		if !slices.Contains(q.Expand, k) {
			q.Expand = append(q.Expand, k)
		}
	}
	if err := p.Err(); err != nil {
		return NetworkQuery{}, err
	}
	return q, nil
}
