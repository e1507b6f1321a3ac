package tropic

import (
	"fmt"
	"strings"
)

// ReportRecords are what a report carries into the case it is linked to (issue 12,
// item 3): its place, vehicles, phones and businesses become the case's records,
// marked as from the report (Source), so that exact links and matching fire at once;
// the people it describes go on the timeline.
type ReportRecords struct {
	Places     []Place
	Vehicles   []CaseVehicle
	Phones     []CasePhone
	Businesses []Business
	Note       string // the people seen, for the timeline; "" when the report says nothing of them
}

// RecordsFromReport turns report r into case records. What the report holds was
// checked when it was received; a record the case's rules would refuse is left out.
func RecordsFromReport(r *Report) ReportRecords {
	out := ReportRecords{}
	src := r.Reference
	if r.Location.Address != "" || r.Location.Postcode != "" {
		pl := Place{Kind: "other", Address: r.Location.Address, Postcode: r.Location.Postcode, Source: src,
			Notes: "Where the reporter saw it."}
		if pl.Address == "" {
			pl.Address = "Postcode given by the reporter"
		}
		if pl.Validate() == nil {
			out.Places = append(out.Places, pl)
		}
	}
	for _, v := range r.Vehicles {
		cv := CaseVehicle{Registration: v.Registration, Description: v.Description, Source: src}
		if cv.Registration != "" && cv.Validate() == nil {
			out.Vehicles = append(out.Vehicles, cv)
		}
	}
	for _, ph := range r.Phones {
		if ph.E164 != "" {
			out.Phones = append(out.Phones, CasePhone{Number: ph.Number, E164: ph.E164, Source: src})
		}
	}
	for _, name := range r.Businesses {
		b := Business{Name: name, Kind: "other", Source: src}
		if b.Validate() == nil {
			out.Businesses = append(out.Businesses, b)
		}
	}
	var people []string
	switch {
	case r.People.Count == 1:
		people = append(people, "1 person seen.")
	case r.People.Count > 1:
		people = append(people, fmt.Sprintf("%d people seen.", r.People.Count))
	}
	if r.People.ChildrenInvolved == AnswerYes {
		people = append(people, "The reporter said children are involved.")
	}
	if d := strings.TrimSpace(r.People.Description); d != "" {
		people = append(people, "As the reporter described them: "+d)
	}
	if len(people) > 0 {
		out.Note = "From report " + src + ": " + strings.Join(people, " ")
	}
	return out
}
