package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"tropic/internal/tropic"
)

// The demo's register of data sharing agreements (issue 16 item 4): the partnership's
// agreement of all its agencies; a police and county council protocol that reaches its
// review date within the month (the partnership administrator's home lists it); and a
// police and charity protocol whose review date passed three weeks ago, so that the
// shares resting on it show flagged and the police supervisor can end them.

// Titles of the demo agreements.
const (
	AgreementPartnership = "Hertfordshire Modern Slavery Partnership information sharing agreement"
	AgreementChildren    = "Police and county council child exploitation protocol"
	AgreementCharity     = "Police and Safe Harbour victim support protocol"
)

// SeedAgreements writes the register, reviewed relative to now.
func SeedAgreements(ctx context.Context, svc tropic.AgreementService, agencies []*tropic.Agency, now time.Time) ([]*tropic.SharingAgreement, error) {
	byName := map[string]int64{}
	var all []int64
	for _, a := range agencies {
		byName[a.Name], all = a.ID, append(all, a.ID)
	}
	police, county, charity := byName[partnership[0].Name], byName[partnership[1].Name], byName[charityName()]
	var bases, cats []string
	for _, b := range tropic.LawfulBases {
		bases = append(bases, b.Key)
	}
	for _, c := range tropic.DataCategories {
		if c.Key != "immigration" {
			cats = append(cats, c.Key)
		}
	}
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	specs := []*tropic.SharingAgreement{
		{Title: AgreementPartnership, Parties: all, LawfulBases: bases, DataCategories: cats, ReviewOn: day(240),
			Purposes:    "Identifying, safeguarding and supporting potential victims of modern slavery; preventing and detecting modern slavery offences; the partnership's statistics.",
			DocumentRef: "HMSP-ISA v3, partnership governance library"},
		{Title: AgreementChildren, Parties: []int64{police, county}, LawfulBases: []string{"dpa_part3", "dpa_sch1_18", "gdpr_6_1_e"},
			DataCategories: []string{"identity", "case", "notes", "health", "children", "nrm"}, ReviewOn: day(18),
			Purposes:    "Safeguarding children at risk of criminal and sexual exploitation, including county lines; joint visits and strategy meetings.",
			DocumentRef: "HCC-HC/CE/2024/07"},
		{Title: AgreementCharity, Parties: []int64{police, charity}, LawfulBases: []string{"consent", "dpa_sch1_18", "dpa_part3"},
			DataCategories: []string{"identity", "case", "health"}, ReviewOn: day(-20),
			Purposes:    "Referring potential victims who consent to the charity's support and safe accommodation.",
			DocumentRef: "SH-POL-2023-02"},
	}
	actor := tropic.SystemActor("tropic demo")
	for _, g := range specs {
		if err := svc.CreateAgreement(ctx, actor, g); err != nil {
			return nil, fmt.Errorf("demo agreement %q: %w", g.Title, err)
		}
	}
	return svc.FindAgreements(ctx, actor)
}

func charityName() string {
	for _, s := range partnership {
		if s.Slug == "charity" {
			return s.Name
		}
	}
	return ""
}

// noAgreementReasons are why a demo share cites no agreement.
var noAgreementReasons = []string{
	"The district council is not yet party to the partnership agreement's data categories for notes; shared for a joint inspection under its own powers.",
	"Urgent safeguarding: a child may be at risk tonight; shared on the lawful basis alone and recorded for review.",
	"The person asked us in writing to share their case with this agency.",
}

// cite makes sh rest on the narrowest agreement in the register that is in force on
// day at, covers owner and sh's agency and gives its lawful basis; every fifteenth
// share (n) cites none and says why. With no register, every share says why.
func cite(list []*tropic.SharingAgreement, sh *tropic.Share, owner int64, at time.Time, n int) {
	sh.AgreementID, sh.NoAgreementReason = 0, ""
	var best *tropic.SharingAgreement
	if n%15 != 7 {
		for _, g := range tropic.AgreementsFor(list, at, owner, sh.AgencyID) {
			if slices.Contains(g.LawfulBases, sh.LawfulBasis) && (best == nil || len(g.Parties) < len(best.Parties)) {
				best = g
			}
		}
	}
	if best != nil {
		sh.AgreementID = best.ID
		return
	}
	sh.NoAgreementReason = noAgreementReasons[n%len(noAgreementReasons)]
}

// agreementTitled finds an agreement of the register by title; nil when there is none.
func agreementTitled(list []*tropic.SharingAgreement, title string) *tropic.SharingAgreement {
	for _, g := range list {
		if g.Title == title {
			return g
		}
	}
	return nil
}
