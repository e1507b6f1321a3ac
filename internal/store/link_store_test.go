package store_test

import (
	"fmt"
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

func describeLinks(links []tropic.Link) string {
	var out []string
	for _, l := range links {
		l.HeldByID = 0 // the agency is compared by its name, HeldBy
		out = append(out, fmt.Sprintf("%+v", l))
	}
	return strings.Join(out, "\n")
}

// The same phone typed three ways on a police case, a council case and a public
// report links all three, each side told only what it may see.
func TestLinksOnOnePhoneTypedThreeWays(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Sparkle hand car wash")
		if err := e.cases.AddPhone(ctx, e.pWorker, police.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.AddVehicle(ctx, e.pWorker, police.Reference, &tropic.CaseVehicle{Registration: "ab12 cde"}); err != nil {
			t.Fatal(err)
		}
		council := e.newCase(t, e.cWorker, "Overcrowded house, Hatfield Road")
		e.person(t, e.cWorker, council, tropic.Person{GivenName: "Marek", FamilyName: "Nowak", Phone: "+44 7700 900123"}, tropic.RoleSuspect)
		if err := e.cases.AddVehicle(ctx, e.cWorker, council.Reference, &tropic.CaseVehicle{Registration: "AB12CDE"}); err != nil {
			t.Fatal(err)
		}
		r := &tropic.Report{Channel: tropic.ChannelWeb, Description: "Workers collected by a van at dawn", FollowUpHash: "h",
			Reporter: tropic.Reporter{Anonymous: true}, Phones: []tropic.Phone{{Number: "(07700) 900 123"}}}
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatalf("create report: %v", err)
		}
		unrelated := e.newCase(t, e.cWorker, "Nothing in common")
		if err := e.cases.AddPhone(ctx, e.cWorker, unrelated.Reference, &tropic.CasePhone{Number: "07700 900999"}); err != nil {
			t.Fatal(err)
		}

		// The council caseworker, without a share, learns only that the police hold a match.
		got, err := links.FindLinks(ctx, e.cWorker, council.Reference)
		if err != nil {
			t.Fatal(err)
		}
		want := []tropic.Link{
			{Kind: tropic.LinkPhone, Value: "+44 7700 900123", HeldBy: "Hertfordshire Constabulary"},
			{Kind: tropic.LinkPhone, Value: "+44 7700 900123", HeldBy: tropic.TriageHub},
			{Kind: tropic.LinkVehicle, Value: "AB12CDE", HeldBy: "Hertfordshire Constabulary"},
		}
		if describeLinks(got) != describeLinks(want) {
			t.Fatalf("got\n%s\nwant\n%s", describeLinks(got), describeLinks(want))
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditCaseLinksViewed || ev.ObjectType != "case" || strings.Contains(ev.Detail, police.Reference) {
			t.Fatalf("got audit %+v, want case.links_viewed naming no case the viewer may not see", ev)
		}

		// After a share, the reference and title appear.
		e.share(t, e.pSuper, police, e.council.ID, tropic.ShareWithoutSensitive, "")
		got, err = links.FindLinks(ctx, e.cWorker, council.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !got[0].Visible || got[0].CaseRef != police.Reference || got[0].Title != police.Title ||
			got[2].CaseRef != police.Reference || got[1].Visible || got[1].ReportRef != "" {
			t.Fatalf("got\n%s\nwant the police case visible by phone and vehicle, the report as held by the triage hub", describeLinks(got))
		}

		// The police see the council's case only as held by the council.
		got, err = links.FindLinks(ctx, e.pWorker, police.Reference)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range got {
			if l.Visible || l.CaseRef != "" || l.Title != "" || l.ReportRef != "" {
				t.Fatalf("got %+v, want a hit-or-no-hit notice only", l)
			}
		}
		if len(got) != 3 || got[0].Value != "07700 900123" || got[0].HeldBy != "Hertfordshire County Council" {
			t.Fatalf("got\n%s\nwant the phone as the police typed it, held by the council", describeLinks(got))
		}

		// Triage sees, on the report, that both agencies hold a match, and no case.
		got, err = links.FindReportLinks(ctx, e.pTriage, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		want = []tropic.Link{
			{Kind: tropic.LinkPhone, Value: "(07700) 900 123", HeldBy: "Hertfordshire Constabulary"},
			{Kind: tropic.LinkPhone, Value: "(07700) 900 123", HeldBy: "Hertfordshire County Council"},
		}
		if describeLinks(got) != describeLinks(want) {
			t.Fatalf("got\n%s\nwant\n%s", describeLinks(got), describeLinks(want))
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditReportLinksViewed {
			t.Fatalf("got audit %q, want %q", ev.Action, tropic.AuditReportLinksViewed)
		}
		// A second report with the phone: triage sees it as a report match.
		r2 := &tropic.Report{Channel: tropic.ChannelWeb, Description: "Same number on a card in a shop window", FollowUpHash: "h",
			Reporter: tropic.Reporter{Anonymous: true}, Phones: []tropic.Phone{{Number: "07700900123"}}}
		if _, err := e.reports.CreateReport(ctx, admin, r2, ""); err != nil {
			t.Fatal(err)
		}
		got, err = links.FindReportLinks(ctx, e.pTriage, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !got[2].Visible || got[2].ReportRef != r2.Reference {
			t.Fatalf("got\n%s\nwant the second report visible to triage", describeLinks(got))
		}

		// Who may not see the record is answered as for a missing one.
		_, err = links.FindLinks(ctx, e.cWorker, unrelated.Reference)
		if err != nil {
			t.Fatal(err)
		}
		_, err = links.FindLinks(ctx, e.pWorker, unrelated.Reference)
		wantNotFoundLikeMissing(t, e, err)
		_, err = links.FindLinks(ctx, e.pTriage, police.Reference)
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = links.FindReportLinks(ctx, e.cWorker, r.Reference)
		wantCode(t, err, tropic.ENOTFOUND)
	})
}

// People link on an e-mail address however it is typed, and on the same folded
// name with the same full date of birth; a year of birth alone is too common.
func TestLinksOnEmailAndOnNameWithTheSameFullDateOfBirth(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Nail bar")
		e.person(t, e.pWorker, police, tropic.Person{GivenName: "Anna", FamilyName: "Kowalska", DateOfBirth: "1998-04-02", Email: "Anna.K+jobs@Example.com"}, tropic.RolePotentialVictim)
		e.person(t, e.pWorker, police, tropic.Person{GivenName: "Piotr", FamilyName: "Nowak", DateOfBirth: "1990"}, tropic.RoleSuspect)
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		e.person(t, e.cWorker, council, tropic.Person{GivenName: "ANNA", FamilyName: "Kowalská", DateOfBirth: "1998-04-02"}, tropic.RolePotentialVictim)
		e.person(t, e.cWorker, council, tropic.Person{GivenName: "Piotr", FamilyName: "Nowak", DateOfBirth: "1990"}, tropic.RoleWitness)
		other := e.newCase(t, e.cWorker, "Hand car wash")
		e.person(t, e.cWorker, other, tropic.Person{GivenName: "Ania", Email: " anna.k@example.com"}, tropic.RoleWitness)
		e.person(t, e.cWorker, other, tropic.Person{GivenName: "Anna", FamilyName: "Kowalska", DateOfBirth: "1998-02-04"}, tropic.RoleWitness)

		tests := []struct {
			name  string
			actor tropic.Actor
			ref   string
			want  []tropic.Link
		}{
			{"The police learn who holds the same address and the same person", e.pWorker, police.Reference, []tropic.Link{
				{Kind: tropic.LinkEmail, Value: "Anna.K+jobs@Example.com", HeldBy: "Hertfordshire County Council"},
				{Kind: tropic.LinkPerson, Value: "Anna Kowalska, born 2 April 1998", HeldBy: "Hertfordshire County Council"},
			}},
			{"The council learns that the police hold the same address", e.cWorker, other.Reference, []tropic.Link{
				{Kind: tropic.LinkEmail, Value: "anna.k@example.com", HeldBy: "Hertfordshire Constabulary"},
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := links.FindLinks(ctx, tt.actor, tt.ref)
				if err != nil {
					t.Fatal(err)
				}
				if describeLinks(got) != describeLinks(tt.want) {
					t.Fatalf("got\n%s\nwant\n%s", describeLinks(got), describeLinks(tt.want))
				}
			})
		}
		// With a share, the police see which case.
		e.share(t, e.cSuper, council, e.police.ID, tropic.ShareWithoutSensitive, "")
		got, err := links.FindLinks(ctx, e.pWorker, police.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[1].Kind != tropic.LinkPerson || !got[1].Visible || got[1].CaseRef != council.Reference {
			t.Fatalf("got\n%s\nwant the person link to the council's case by reference", describeLinks(got))
		}
	})
}
