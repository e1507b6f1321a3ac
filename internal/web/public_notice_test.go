package web

import (
	"net/http"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The privacy notice and the accessibility statement say what the deployment states
// about itself, and plainly that it has not when it has not.
func TestPrivacyAndAccessibilityFromTheDeploymentsNotice(t *testing.T) {
	t.Parallel()
	notice := &tropic.PublicNotice{
		Controller:   tropic.Contact{Name: "Testshire County Council", Address: "County Hall, Testtown", Email: "info@testshire.example"},
		DPO:          tropic.Contact{Name: "Dana Officer", Email: "dpo@testshire.example", Phone: "01234 000000"},
		LawfulBases:  []tropic.Basis{{Purpose: "Protecting people", Basis: "UK GDPR Article 6(1)(e)"}},
		ICOReference: "Z1234567",
		Accessible: tropic.Compliance{Status: "partial", KnownProblems: []string{"The map is not described in words."},
			PreparedOn: "2026-09-01", ReviewedOn: "2026-11-30", TestedBy: "Tested by the council's digital team.",
			Contact: tropic.Contact{Name: "the web team", Email: "web@testshire.example"}, ResponseDays: 7},
	}
	schedule, err := tropic.ParseRetention("case_closed=7y,case_closed.no_exploitation=3y")
	if err != nil {
		t.Fatal(err)
	}
	with := newTestServer(t, Config{PublicNotice: notice, SessionIdle: 20 * time.Minute, Retention: schedule}).client(t)
	privacy := with.get("/privacy")
	wantStatus(t, privacy, http.StatusOK)
	wantContains(t, privacy.body, "The data controller is Testshire County Council", "Z1234567", "mailto:dpo@testshire.example", "Dana Officer",
		"Protecting people", "UK GDPR Article 6(1)(e)", "ico.org.uk/make-a-complaint", "after 20 minutes without activity",
		// The retention schedule in force, as configured.
		"7 years after the case is closed", "3 years after the case is closed", "No exploitation found", "10 years after the case is closed", "2 years after the decision")
	wantNotContains(t, privacy.body, "6 years from the last activity", "does not yet delete", "6 years after the case is closed")
	access := with.get("/accessibility")
	wantContains(t, access.body, "partially compliant", "The map is not described in words.", "1 September 2026", "30 November 2026",
		"mailto:web@testshire.example", "within 7 working days", "Enforcement procedure")

	without := newTestServer(t, Config{}).client(t)
	wantContains(t, without.get("/privacy").body, "has not yet published here who its data controller", "6 years after the case is closed")
	wantContains(t, without.get("/accessibility").body, "has not yet published its assessment")
}
