package tropic

import (
	"context"
	"strings"
	"time"
)

// AgencyKind is the kind of a partner agency.
type AgencyKind string

const (
	AgencyPolice           AgencyKind = "police"
	AgencyCountyCouncil    AgencyKind = "county_council"
	AgencyDistrictCouncil  AgencyKind = "district_council"
	AgencyPCC              AgencyKind = "pcc_office"
	AgencyHealth           AgencyKind = "health"
	AgencyCharity          AgencyKind = "charity"
	AgencyLabourInspectors AgencyKind = "labour_inspectorate"
	AgencyOther            AgencyKind = "other"
)

// AgencyKinds lists every kind in display order.
var AgencyKinds = []AgencyKind{AgencyPolice, AgencyCountyCouncil, AgencyDistrictCouncil, AgencyPCC,
	AgencyHealth, AgencyCharity, AgencyLabourInspectors, AgencyOther}

// Label is the kind's name for people.
func (k AgencyKind) Label() string {
	switch k {
	case AgencyPolice:
		return "Police"
	case AgencyCountyCouncil:
		return "County council"
	case AgencyDistrictCouncil:
		return "District or borough council"
	case AgencyPCC:
		return "Police and Crime Commissioner's office"
	case AgencyHealth:
		return "Health body"
	case AgencyCharity:
		return "Charity"
	case AgencyLabourInspectors:
		return "Labour inspectorate"
	case AgencyOther:
		return "Other"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k AgencyKind) Valid() bool {
	for _, v := range AgencyKinds {
		if v == k {
			return true
		}
	}
	return false
}

// DutyToNotifyDefault says whether the Duty to Notify (MSA s.52) binds agencies of this
// kind: police, councils and the labour inspectorate (GLAA) yes; the PCC's office, NHS
// bodies and charities no. An administrator may record otherwise per agency.
func (k AgencyKind) DutyToNotifyDefault() bool {
	switch k {
	case AgencyPolice, AgencyCountyCouncil, AgencyDistrictCouncil, AgencyLabourInspectors:
		return true
	}
	return false
}

// Agency is a partner organisation. Users belong to exactly one.
type Agency struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Kind           AgencyKind `json:"kind"`
	FirstResponder bool       `json:"first_responder"` // a designated NRM First Responder Organisation
	DutyToNotify   bool       `json:"duty_to_notify"`  // bound by MSA s.52
	CreatedAt      time.Time  `json:"created_at"`
}

// Validate normalises the agency and reports problems per field.
func (a *Agency) Validate() error {
	var p Problems
	a.Name = strings.TrimSpace(a.Name)
	switch {
	case a.Name == "":
		p.Add("name", "Enter the agency's name")
	default:
		CheckText(&p, "name", "Agency name", a.Name, 200)
	}
	if !a.Kind.Valid() {
		p.Add("kind", "Choose the kind of agency")
	}
	return p.Err()
}

// AgencyService manages partner agencies.
type AgencyService interface {
	CreateAgency(ctx context.Context, actor Actor, a *Agency) error
	FindAgencyByID(ctx context.Context, id int64) (*Agency, error)
	FindAgencyByName(ctx context.Context, name string) (*Agency, error)
	FindAgencies(ctx context.Context) ([]*Agency, error)
}

// HasControlChars reports whether s holds a control character other than tab, CR and LF.
func HasControlChars(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
