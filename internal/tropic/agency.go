package tropic

import (
	"context"
	"net/mail"
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
	AgencyHomeOffice       AgencyKind = "home_office" // UKVI, Border Force, Immigration Enforcement
	AgencyNCA              AgencyKind = "nca"         // National Crime Agency
	AgencyGLAA             AgencyKind = "glaa"        // Gangmasters and Labour Abuse Authority
	AgencyOther            AgencyKind = "other"
)

// AgencyKinds lists every kind in display order.
var AgencyKinds = []AgencyKind{AgencyPolice, AgencyCountyCouncil, AgencyDistrictCouncil, AgencyHomeOffice, AgencyNCA,
	AgencyGLAA, AgencyPCC, AgencyHealth, AgencyCharity, AgencyLabourInspectors, AgencyOther}

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
	case AgencyHomeOffice:
		return "Home Office (UKVI, Border Force, Immigration Enforcement)"
	case AgencyNCA:
		return "National Crime Agency"
	case AgencyGLAA:
		return "Gangmasters and Labour Abuse Authority (GLAA)"
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
// kind (DOMAIN.md): police, councils, the Home Office, the NCA and the GLAA yes (and a
// labour inspectorate, the kind the GLAA was recorded under before it had its own);
// the PCC's office, NHS bodies and charities no. An administrator may record otherwise
// per agency.
func (k AgencyKind) DutyToNotifyDefault() bool {
	switch k {
	case AgencyPolice, AgencyCountyCouncil, AgencyDistrictCouncil, AgencyHomeOffice, AgencyNCA, AgencyGLAA, AgencyLabourInspectors:
		return true
	}
	return false
}

// FirstResponderDefault says whether agencies of this kind are designated NRM First
// Responder Organisations (DOMAIN.md): police forces, local authorities, the Home
// Office, the NCA and the GLAA are. Only listed charities are, so a charity is not
// by default; nor are the PCC's office, health bodies or other kinds. The list
// changes: an administrator records it per agency.
func (k AgencyKind) FirstResponderDefault() bool {
	switch k {
	case AgencyPolice, AgencyCountyCouncil, AgencyDistrictCouncil, AgencyHomeOffice, AgencyNCA, AgencyGLAA:
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
	// Disabled: its users can no longer sign in or use their tokens; its records stay.
	Disabled bool `json:"disabled"`
	// TriageHub: the agency is part of the triage hub, whose triage users see every
	// report (the hub is configuration; other agencies see what is passed to them).
	TriageHub bool `json:"triage_hub"`
	// InboxEmail is where the agency is told that a report was passed to it (the
	// reference, urgency, district and a link: no personal data); empty for none.
	InboxEmail string `json:"inbox_email,omitempty"`
	// ReminderEmail gets the agency's daily NRM reminder digest (counts and links
	// only); empty for none.
	ReminderEmail string    `json:"reminder_email,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
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
	a.InboxEmail = NormaliseEmail(a.InboxEmail)
	a.ReminderEmail = NormaliseEmail(a.ReminderEmail)
	for field, v := range map[string]string{"inbox_email": a.InboxEmail, "reminder_email": a.ReminderEmail} {
		if v != "" && !validEmail(v) {
			p.Add(field, "Enter an email address in the correct format, like name@example.org")
		}
	}
	return p.Err()
}

// validEmail reports whether s (normalised) is one plain e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// AgencyService manages partner agencies.
type AgencyService interface {
	CreateAgency(ctx context.Context, actor Actor, a *Agency) error
	FindAgencyByID(ctx context.Context, id int64) (*Agency, error)
	FindAgencyByName(ctx context.Context, name string) (*Agency, error)
	FindAgencies(ctx context.Context) ([]*Agency, error)
	// UpdateAgency changes an agency's name, kind, first responder, Duty to Notify,
	// triage hub membership, inbox and reminder addresses, as MayManageAgencies
	// allows, validated and audited.
	UpdateAgency(ctx context.Context, actor Actor, a *Agency) error
	// DisableAgency stops the agency's users signing in or using tokens; its records stay.
	DisableAgency(ctx context.Context, actor Actor, id int64) error
	// EnableAgency lets the agency's users back in (those not disabled one by one).
	EnableAgency(ctx context.Context, actor Actor, id int64) error
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
