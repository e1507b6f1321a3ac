package tropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// PublicNotice is what a deployment states about itself on its privacy notice and
// accessibility statement (issue 15, item 7): who the controller is, how to reach
// its data protection officer, the lawful bases it relies on, and how accessible the
// service is, as the Public Sector Bodies Accessibility Regulations 2018 require.
// Each deployment writes its own in a JSON file (ParsePublicNotice).
type PublicNotice struct {
	Controller   Contact    `json:"controller"`                 // the data controller (for a partnership: the lead agency, or the joint controllers' point of contact)
	DPO          Contact    `json:"dpo"`                        // the data protection officer
	LawfulBases  []Basis    `json:"lawful_bases"`               // one per purpose
	Accessible   Compliance `json:"accessibility"`              // the accessibility statement's required sections
	ICOReference string     `json:"ico_registration,omitempty"` // the controller's ICO registration number
}

// Contact is an organisation or officer and how to reach them.
type Contact struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Email   string `json:"email"`
	Phone   string `json:"phone,omitempty"`
}

// Basis is the lawful basis for one purpose, in words for the public: for example
// "Protecting people from modern slavery" under "UK GDPR Article 6(1)(e) (public
// task) and, for special category data, Article 9(2)(g) with the DPA 2018 Schedule 1
// condition for safeguarding"; for the police, DPA 2018 Part 3 (law enforcement).
type Basis struct {
	Purpose string `json:"purpose"`
	Basis   string `json:"basis"`
}

// Compliance is the accessibility statement's part that only the deployment knows.
type Compliance struct {
	Status        string   `json:"status"`                   // "full", "partial" or "not"
	KnownProblems []string `json:"known_problems,omitempty"` // content that is not accessible, and why
	PreparedOn    string   `json:"prepared_on"`              // YYYY-MM-DD
	ReviewedOn    string   `json:"reviewed_on,omitempty"`    // YYYY-MM-DD, the last review
	TestedBy      string   `json:"tested_by"`                // who tested the service, and how
	Contact       Contact  `json:"contact"`                  // where to report a problem or ask for another format
	ResponseDays  int      `json:"response_days"`            // working days to reply
}

// ComplianceLabel is the regulations' sentence for the status.
func (c Compliance) ComplianceLabel() string {
	switch c.Status {
	case "full":
		return "fully compliant"
	case "partial":
		return "partially compliant"
	}
	return "not compliant"
}

// ParsePublicNotice reads a deployment's notice: JSON with no unknown fields, every
// required part given, e-mail addresses and dates well formed. Problems name the
// field, like "dpo.email".
func ParsePublicNotice(b []byte) (*PublicNotice, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var n PublicNotice
	if err := dec.Decode(&n); err != nil {
		return nil, Errorf(EINVALID, "The public notice file is not valid: %v", err)
	}
	if dec.More() {
		return nil, Errorf(EINVALID, "The public notice file holds more than one JSON value")
	}
	var p Problems
	checkContact(&p, "controller", n.Controller)
	checkContact(&p, "dpo", n.DPO)
	if len(n.LawfulBases) == 0 {
		p.Add("lawful_bases", "Give the lawful basis of at least one purpose")
	}
	for i, b := range n.LawfulBases {
		field := fmt.Sprintf("lawful_bases[%d]", i)
		if strings.TrimSpace(b.Purpose) == "" || strings.TrimSpace(b.Basis) == "" {
			p.Add(field, "Give both the purpose and its lawful basis")
		}
		CheckText(&p, field+".purpose", "The purpose", b.Purpose, MaxMediumText)
		CheckText(&p, field+".basis", "The basis", b.Basis, MaxLongText)
	}
	a := n.Accessible
	if a.Status != "full" && a.Status != "partial" && a.Status != "not" {
		p.Add("accessibility.status", `Say "full", "partial" or "not"`)
	}
	if a.Status != "full" && len(a.KnownProblems) == 0 {
		p.Add("accessibility.known_problems", "List the content that is not accessible")
	}
	for i, k := range a.KnownProblems {
		CheckText(&p, fmt.Sprintf("accessibility.known_problems[%d]", i), "A known problem", k, MaxLongText)
	}
	for field, d := range map[string]string{"accessibility.prepared_on": a.PreparedOn, "accessibility.reviewed_on": a.ReviewedOn} {
		if d == "" && field == "accessibility.reviewed_on" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			p.Add(field, "Give the date like 2026-09-01")
		}
	}
	if strings.TrimSpace(a.TestedBy) == "" {
		p.Add("accessibility.tested_by", "Say who tested the service, and how")
	}
	CheckText(&p, "accessibility.tested_by", "Who tested it", a.TestedBy, MaxLongText)
	checkContact(&p, "accessibility.contact", a.Contact)
	if a.ResponseDays < 1 || a.ResponseDays > 60 {
		p.Add("accessibility.response_days", "Give the working days to reply, from 1 to 60")
	}
	CheckText(&p, "ico_registration", "The ICO registration", n.ICOReference, MaxShortText)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &n, nil
}

func checkContact(p *Problems, field string, c Contact) {
	if strings.TrimSpace(c.Name) == "" {
		p.Add(field+".name", "Give the name")
	}
	CheckText(p, field+".name", "The name", c.Name, MaxShortText)
	CheckText(p, field+".address", "The address", c.Address, MaxMediumText)
	CheckText(p, field+".phone", "The phone number", c.Phone, MaxShortText)
	if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
		p.Add(field+".email", "Give an e-mail address like dpo@council.example")
	}
}
