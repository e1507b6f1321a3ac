package store_test

import (
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// linkedCases sets up a police case and a council case sharing a phone, a vehicle, a
// business and a postcode, and a report with the same phone, vehicle, business and
// postcode.
func linkedCases(t *testing.T, e *caseEnv) (police, council *tropic.Case, r *tropic.Report) {
	t.Helper()
	police = e.newCase(t, e.pWorker, "Sparkle hand car wash")
	council = e.newCase(t, e.cWorker, "Overcrowded house, Hatfield Road")
	for _, c := range []struct {
		actor tropic.Actor
		c     *tropic.Case
	}{{e.pWorker, police}, {e.cWorker, council}} {
		must(t, e.cases.AddPhone(ctx, c.actor, c.c.Reference, &tropic.CasePhone{Number: "07700 900123"}))
		must(t, e.cases.AddVehicle(ctx, c.actor, c.c.Reference, &tropic.CaseVehicle{Registration: "AB12 CDE"}))
		must(t, e.cases.AddBusiness(ctx, c.actor, c.c.Reference, &tropic.Business{Name: "Sparkle Hand Car Wash", Kind: "car_wash"}))
		must(t, e.cases.AddPlace(ctx, c.actor, c.c.Reference, &tropic.Place{Kind: "workplace", Address: "12 London Road", Postcode: "AL1 3JX"}))
	}
	r = e.newReport(t, &tropic.Report{Phones: []tropic.Phone{{Number: "07700900123"}}, Vehicles: []tropic.Vehicle{{Registration: "AB12CDE"}},
		Businesses: []string{"Sparkle Hand Car Wash"}, Location: tropic.Location{Postcode: "AL1 3JX"}})
	return police, council, r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// linksOfKind are the links of kind to cases (not reports), live and withdrawn.
func linksOfKind(links []tropic.Link, kind tropic.LinkKind) (live, withdrawn []tropic.Link) {
	for _, l := range links {
		if l.Kind != kind || l.HeldBy == tropic.TriageHub {
			continue
		}
		if l.Withdrawn {
			withdrawn = append(withdrawn, l)
		} else {
			live = append(live, l)
		}
	}
	return live, withdrawn
}

// sharedIdentifiers counts the identifiers of kind that join two cases or more in a
// network: the link drawn.
func sharedIdentifiers(net *tropic.Network, kind tropic.LinkKind) int {
	kinds := map[string]string{}
	for _, n := range net.Nodes {
		kinds[n.Key] = n.Kind
	}
	want := string(kind)
	if kind == tropic.LinkPostcode {
		want = "place"
	}
	cases := map[string]map[string]bool{}
	for _, e := range net.Edges {
		for _, end := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
			if kinds[end[0]] == want && kinds[end[1]] == "case" {
				if cases[end[0]] == nil {
					cases[end[0]] = map[string]bool{}
				}
				cases[end[0]][end[1]] = true
			}
		}
	}
	n := 0
	for _, cs := range cases {
		if len(cs) >= 2 {
			n++
		}
	}
	return n
}

// A phone, vehicle, business or postcode corrected or removed on one case stops
// linking it at once, on both databases: the other agency's links show the link
// withdrawn, the report's stored matches no longer hold the case, and neither the
// case's network nor the analysts' partnership network joins the two cases by it.
func TestACorrectedOrRemovedIdentifierStopsLinkingAtOnce(t *testing.T) {
	tests := []struct {
		name string
		kind tropic.LinkKind
		fix  func(e *caseEnv, c *tropic.Case) error
		why  string
	}{
		{"a phone number corrected", tropic.LinkPhone, func(e *caseEnv, c *tropic.Case) error {
			ph := *c.Phones[0]
			ph.Number = "07700 900999"
			return e.cases.UpdatePhone(ctx, e.pWorker, c.Reference, &ph)
		}, tropic.LinkCorrected},
		{"a phone number removed", tropic.LinkPhone, func(e *caseEnv, c *tropic.Case) error {
			return e.cases.RemoveFromCase(ctx, e.pWorker, c.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: c.Phones[0].ID, Version: c.Phones[0].Version, Reason: tropic.RemovedInError})
		}, string(tropic.RemovedInError)},
		{"a vehicle corrected", tropic.LinkVehicle, func(e *caseEnv, c *tropic.Case) error {
			v := *c.Vehicles[0]
			v.Registration = "AB12 CDF"
			return e.cases.UpdateVehicle(ctx, e.pWorker, c.Reference, &v)
		}, tropic.LinkCorrected},
		{"a vehicle removed", tropic.LinkVehicle, func(e *caseEnv, c *tropic.Case) error {
			return e.cases.RemoveFromCase(ctx, e.pWorker, c.Reference, tropic.Removal{Part: tropic.PartVehicle, ItemID: c.Vehicles[0].ID, Version: 1, Reason: tropic.RemovedDuplicate})
		}, string(tropic.RemovedDuplicate)},
		{"a business corrected", tropic.LinkBusiness, func(e *caseEnv, c *tropic.Case) error {
			b := *c.Business[0]
			b.Name = "Shine Nails"
			return e.cases.UpdateBusiness(ctx, e.pWorker, c.Reference, &b)
		}, tropic.LinkCorrected},
		{"a business removed", tropic.LinkBusiness, func(e *caseEnv, c *tropic.Case) error {
			return e.cases.RemoveFromCase(ctx, e.pWorker, c.Reference, tropic.Removal{Part: tropic.PartBusiness, ItemID: c.Business[0].ID, Version: 1, Reason: tropic.RemovedNotConnected})
		}, string(tropic.RemovedNotConnected)},
		{"a postcode corrected", tropic.LinkPostcode, func(e *caseEnv, c *tropic.Case) error {
			pl := *c.Places[0]
			pl.Postcode = "AL1 3JY"
			return e.cases.UpdatePlace(ctx, e.pWorker, c.Reference, &pl)
		}, tropic.LinkCorrected},
		{"a place removed", tropic.LinkPostcode, func(e *caseEnv, c *tropic.Case) error {
			return e.cases.RemoveFromCase(ctx, e.pWorker, c.Reference, tropic.Removal{Part: tropic.PartPlace, ItemID: c.Places[0].ID, Version: 1, Reason: tropic.RemovedOther, Detail: "Wrong town"})
		}, string(tropic.RemovedOther)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, d store.Dialect) {
				e := newCaseEnv(t, d)
				links := store.NewLinkService(e.db, phone.Parse)
				matches := store.NewMatchService(e.db, phone.Parse)
				police, council, r := linkedCases(t, e)
				refreshReport(t, matches, r.ID)
				got, err := links.FindLinks(ctx, e.cWorker, council.Reference)
				must(t, err)
				if live, _ := linksOfKind(got, tt.kind); len(live) != 1 || live[0].HeldBy != e.police.Name {
					t.Fatalf("before: got\n%s\nwant one %s link held by the police", describeLinks(got), tt.kind)
				}
				// The report's stored matches (the triage queue tells a hidden case once
				// per agency, so the rows themselves are read).
				raw := openRaw(t, d, e.dsn)
				reportMatchesPolice := func() bool {
					return raw.id(t, `SELECT COUNT(*) FROM report_matches WHERE report_id = ? AND case_id = ? AND kind = ?`, r.ID, police.ID, string(tt.kind)) == 1
				}
				networks := func() (caseNet, analysts int) {
					net, err := matches.CaseNetwork(ctx, e.pWorker, police.Reference, 3, 0)
					must(t, err)
					an, err := matches.AnalystNetwork(ctx, e.cAnalyst, tropic.NetworkQuery{}, 0)
					must(t, err)
					return sharedIdentifiers(net, tt.kind), sharedIdentifiers(an, tt.kind)
				}
				if !reportMatchesPolice() {
					t.Fatalf("before: the report does not match the police case on %s", tt.kind)
				}
				if c, a := networks(); c != 1 || a != 1 {
					t.Fatalf("before: %d %s joining the cases in the case network, %d in the analysts', want 1 and 1", c, tt.kind, a)
				}

				must(t, tt.fix(e, e.find(t, e.pWorker, police.Reference)))
				// The audit trail names the item and the tombstone, never the value.
				ev := e.lastEvent(t)
				if ev.Action != tropic.AuditCasePartChanged && ev.Action != tropic.AuditCasePartRemoved {
					t.Fatalf("last audit event %s, want the correction", ev.Action)
				}
				for _, secret := range []string{"07700", "AB12", "Sparkle", "AL1", "London Road", "Wrong town"} {
					if strings.Contains(ev.Detail, secret) {
						t.Fatalf("audit %s detail %q holds the value %q", ev.Action, ev.Detail, secret)
					}
				}

				got, err = links.FindLinks(ctx, e.cWorker, council.Reference)
				must(t, err)
				live, withdrawn := linksOfKind(got, tt.kind)
				if len(live) != 0 || len(withdrawn) != 1 || withdrawn[0].HeldBy != e.police.Name || withdrawn[0].WithdrawnWhy != tt.why ||
					withdrawn[0].Visible || withdrawn[0].CaseRef != "" {
					t.Fatalf("after: got\n%s\nwant the %s link withdrawn (%s), told only as held by the police", describeLinks(got), tt.kind, tt.why)
				}
				got, err = links.FindLinks(ctx, e.pWorker, police.Reference)
				must(t, err)
				if live, withdrawn := linksOfKind(got, tt.kind); len(live)+len(withdrawn) != 0 {
					t.Fatalf("the police still see a %s link: %s", tt.kind, describeLinks(got))
				}
				if reportMatchesPolice() {
					t.Fatalf("the report still matches the police case on %s", tt.kind)
				}
				if c, a := networks(); c != 0 || a != 0 {
					t.Fatalf("after: %d %s joining the cases in the case network, %d in the analysts', want none", c, tt.kind, a)
				}
				// Added back, the link is live again and no longer told as withdrawn.
				switch tt.kind {
				case tropic.LinkPhone:
					must(t, e.cases.AddPhone(ctx, e.pWorker, police.Reference, &tropic.CasePhone{Number: "07700 900123"}))
					got, err = links.FindLinks(ctx, e.cWorker, council.Reference)
					must(t, err)
					if live, withdrawn := linksOfKind(got, tt.kind); len(live) != 1 || len(withdrawn) != 0 {
						t.Fatalf("added back: got\n%s\nwant the link live, not withdrawn", describeLinks(got))
					}
				}
			})
		})
	}
}

// The network no longer joins two cases once the phone that joined them is corrected.
func TestACorrectedPhoneLeavesTheNetwork(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		matches := store.NewMatchService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Sparkle hand car wash")
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		must(t, e.cases.AddPhone(ctx, e.pWorker, police.Reference, &tropic.CasePhone{Number: "07700 900123"}))
		must(t, e.cases.AddPhone(ctx, e.cWorker, council.Reference, &tropic.CasePhone{Number: "07700 900123"}))
		cases := func() int {
			net, err := matches.CaseNetwork(ctx, e.pWorker, police.Reference, 3, 0)
			must(t, err)
			n := 0
			for _, node := range net.Nodes {
				if node.Kind == "case" {
					n++
				}
			}
			return n
		}
		if n := cases(); n != 2 {
			t.Fatalf("before: got %d cases in the network, want 2", n)
		}
		ph := *e.find(t, e.pWorker, police.Reference).Phones[0]
		ph.Number = "07700 900999"
		must(t, e.cases.UpdatePhone(ctx, e.pWorker, police.Reference, &ph))
		if n := cases(); n != 1 {
			t.Fatalf("after: got %d cases in the network, want the police case alone", n)
		}
	})
}

// A correction saved over someone else's newer one is refused, naming who made it;
// a correction by another agency, one without a share, or of an item on another case
// is refused as the rules say; a removal is made once.
func TestCorrectionsAreRefusedWhenStaleForeignOrReplayed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police, council, _ := linkedCases(t, e)
		ph := *e.find(t, e.pWorker, police.Reference).Phones[0]
		mine, theirs := ph, ph
		theirs.Number = "07700 900124"
		must(t, e.cases.UpdatePhone(ctx, e.pWorker2, police.Reference, &theirs))
		mine.Number = "07700 900125"
		err := e.cases.UpdatePhone(ctx, e.pWorker, police.Reference, &mine)
		wantCode(t, err, tropic.ECONFLICT)
		if !strings.Contains(tropic.ErrorMessage(err), "Quinn Other") {
			t.Fatalf("got %q, want the stale save to name who changed the phone number", tropic.ErrorMessage(err))
		}
		if got := e.find(t, e.pWorker, police.Reference).Phones[0]; got.Number != "07700 900124" || got.Version != 2 {
			t.Fatalf("got %+v, want the first save kept at version 2", got)
		}

		// The council, which cannot see the police case, is told it does not exist.
		remove := tropic.Removal{Part: tropic.PartPhone, ItemID: ph.ID, Version: 2, Reason: tropic.RemovedInError}
		wantCode(t, e.cases.RemoveFromCase(ctx, e.cWorker, police.Reference, remove), tropic.ENOTFOUND)
		// With a whole-case share it may add notes and tasks, but not change what the case holds.
		e.share(t, e.pSuper, police, e.council.ID, tropic.ShareWhole, "")
		wantCode(t, e.cases.RemoveFromCase(ctx, e.cWorker, police.Reference, remove), tropic.EFORBIDDEN)
		// The police cannot reach the council's phone through their own case.
		councilPhone := e.find(t, e.cWorker, council.Reference).Phones[0]
		wantCode(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: councilPhone.ID, Version: 1, Reason: tropic.RemovedInError}), tropic.ENOTFOUND)
		// "Other" needs words of its own; an unknown reason is refused.
		err = e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: ph.ID, Version: 2, Reason: tropic.RemovedOther})
		wantCode(t, err, tropic.EINVALID)
		if _, ok := tropic.ErrorFields(err)["detail"]; !ok {
			t.Fatalf("got %v, want the problem named on the detail field", err)
		}
		wantCode(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: ph.ID, Version: 2, Reason: "because"}), tropic.EINVALID)
		// A removal against the old version is stale.
		wantCode(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: ph.ID, Version: 1, Reason: tropic.RemovedInError}), tropic.ECONFLICT)

		must(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, remove))
		before := len(e.actions(t))
		wantCode(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, remove), tropic.ENOTFOUND)
		if after := len(e.actions(t)); after != before {
			t.Fatalf("a replayed removal wrote %d audit events, want none", after-before)
		}
		c := e.find(t, e.pWorker, police.Reference)
		if len(c.Phones) != 0 {
			t.Fatalf("got phones %+v, want none", c.Phones)
		}
		last := c.Notes[len(c.Notes)-1]
		if last.Text != "Removed a phone number from the case: entered in error." || last.Author != "Pat Worker" {
			t.Fatalf("got timeline note %+v, want the removal and its reason", last)
		}
	})
}

// Victim first: only a supervisor of the owning agency takes a potential victim (or
// someone once recorded as one) off a case; a caseworker may take off a witness. The
// s.45 notice that rested on the link goes with it.
func TestRemovingAPotentialVictimIsASupervisorsDecision(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Cannabis farm")
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		p := e.person(t, e.pWorker, police, tropic.Person{GivenName: "Tran", FamilyName: "Van Minh", DateOfBirth: "2006-02-01"}, tropic.RoleSuspect)
		e.share(t, e.pSuper, police, e.council.ID, tropic.ShareWhole, "")
		must(t, e.cases.AddExistingPerson(ctx, e.cWorker, council.Reference, p.ID, tropic.RolePotentialVictim))
		if n := e.find(t, e.pWorker, police.Reference).Notices; len(n) != 1 {
			t.Fatalf("got notices %+v, want the s.45 notice", n)
		}
		witness := e.person(t, e.cWorker, council, tropic.Person{GivenName: "Olga", FamilyName: "Witness"}, tropic.RoleWitness)
		c := e.find(t, e.cWorker, council.Reference)
		var victimLink, witnessLink *tropic.CasePerson
		for _, cp := range c.People {
			switch cp.Person.ID {
			case p.ID:
				victimLink = cp
			case witness.ID:
				witnessLink = cp
			}
		}
		rm := func(cp *tropic.CasePerson) tropic.Removal {
			return tropic.Removal{Part: tropic.PartPerson, ItemID: cp.ID, Version: cp.Version, Reason: tropic.RemovedNotConnected}
		}
		err := e.cases.RemoveFromCase(ctx, e.cWorker, council.Reference, rm(victimLink))
		wantCode(t, err, tropic.EFORBIDDEN)
		if !strings.Contains(tropic.ErrorMessage(err), "supervisor") {
			t.Fatalf("got %q, want to be told to ask a supervisor", tropic.ErrorMessage(err))
		}
		wantCode(t, e.cases.RemoveFromCase(ctx, e.pSuper, council.Reference, rm(victimLink)), tropic.ENOTFOUND) // another agency's supervisor
		must(t, e.cases.RemoveFromCase(ctx, e.cWorker, council.Reference, rm(witnessLink)))
		must(t, e.cases.RemoveFromCase(ctx, e.cSuper, council.Reference, rm(victimLink)))
		if ev := e.lastEvent(t); ev.Action != tropic.AuditCasePartRemoved || strings.Contains(ev.Detail, "Tran") || strings.Contains(ev.Detail, "2006") {
			t.Fatalf("got audit %+v, want the removal naming no one", ev)
		}
		if got := e.find(t, e.cWorker, council.Reference).People; len(got) != 0 {
			t.Fatalf("got people %+v, want none left on the council's case", got)
		}
		if n := e.find(t, e.pWorker, police.Reference).Notices; len(n) != 0 {
			t.Fatalf("got notices %+v, want the s.45 notice gone with the link it rested on", n)
		}
		// The person stays on the police case, whole.
		if got := e.find(t, e.pWorker, police.Reference).People; len(got) != 1 || got[0].Person.ID != p.ID {
			t.Fatalf("got %+v, want the suspect still on the police case", got)
		}
	})
}

// A task's title, date and assignee can be corrected; a person newly assigned is told.
// A shared agency changes only the tasks it set.
func TestATaskReassignedTellsTheNewAssignee(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Sparkle hand car wash")
		task := &tropic.Task{Title: "Visit the car wash", AssignedUser: e.pWorker.UserID}
		must(t, e.cases.AddTask(ctx, e.pWorker, police.Reference, task))
		got := e.find(t, e.pWorker, police.Reference).Tasks[0]
		got.Title, got.Due, got.AssignedUser, got.AssignedAgency = "Visit the car wash with the council", "2030-01-31", e.pWorker2.UserID, 0
		must(t, e.cases.UpdateTask(ctx, e.pWorker, police.Reference, got))
		now := e.find(t, e.pWorker, police.Reference).Tasks[0]
		if now.Title != got.Title || now.Due != "2030-01-31" || now.AssignedUser != e.pWorker2.UserID || now.Version != 2 {
			t.Fatalf("got %+v, want the task corrected at version 2", now)
		}
		if k := kinds(e.notifications(t, e.pWorker2)); len(k) != 1 || k[0] != tropic.NotifyTaskAssigned {
			t.Fatalf("got notifications %v, want the new assignee told", k)
		}
		// To someone who cannot see the case: refused, naming the field.
		now.AssignedUser = e.cWorker.UserID
		err := e.cases.UpdateTask(ctx, e.pWorker, police.Reference, now)
		wantCode(t, err, tropic.EINVALID)
		if _, ok := tropic.ErrorFields(err)["assignee"]; !ok {
			t.Fatalf("got %v, want the assignee named", err)
		}
		// A whole-case share adds its own tasks and changes them, not the owner's.
		e.share(t, e.pSuper, police, e.council.ID, tropic.ShareWhole, "")
		theirs := &tropic.Task{Title: "Council visit", AssignedAgency: e.council.ID}
		must(t, e.cases.AddTask(ctx, e.cWorker, police.Reference, theirs))
		owners := e.find(t, e.pWorker, police.Reference).Tasks
		for _, tk := range owners {
			if want := map[bool]int64{true: e.council.ID, false: e.police.ID}[tk.ID == theirs.ID]; tk.CreatedByAgency != want {
				t.Fatalf("task %q set by agency %d, want %d", tk.Title, tk.CreatedByAgency, want)
			}
			tk.Title += " (checked)"
			err := e.cases.UpdateTask(ctx, e.cWorker, police.Reference, tk)
			if tk.ID == theirs.ID {
				must(t, err)
			} else {
				wantCode(t, err, tropic.EFORBIDDEN)
			}
		}
	})
}

// A person's link is corrected against its version; making a potential victim a
// suspect through it is still only a request for a supervisor.
func TestACaseLinkCorrectionKeepsTheRoleRules(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Cannabis farm")
		e.person(t, e.pWorker, police, tropic.Person{GivenName: "Tran", FamilyName: "Van Minh"}, tropic.RolePotentialVictim)
		cp := e.find(t, e.pWorker, police.Reference).People[0]
		rc, err := e.cases.UpdateCaseLink(ctx, e.pWorker, police.Reference, &tropic.CaseLinkUpdate{LinkID: cp.ID, Version: cp.Version, Role: tropic.RoleSuspect, CoercedOffender: true})
		wantCode(t, err, tropic.EINVALID) // a reason is needed
		rc, err = e.cases.UpdateCaseLink(ctx, e.pWorker, police.Reference, &tropic.CaseLinkUpdate{LinkID: cp.ID, Version: cp.Version, Role: tropic.RoleSuspect,
			Reason: "Seen directing the others", CoercedOffender: true})
		must(t, err)
		if rc == nil || rc.Status != tropic.RoleChangeRequested {
			t.Fatalf("got %+v, want a request for a supervisor", rc)
		}
		now := e.find(t, e.pWorker, police.Reference).People[0]
		if now.Role != tropic.RolePotentialVictim || !now.CoercedOffender || now.Version == cp.Version {
			t.Fatalf("got %+v, want still a potential victim, marked as possibly compelled, at a new version", now)
		}
		_, err = e.cases.UpdateCaseLink(ctx, e.pWorker2, police.Reference, &tropic.CaseLinkUpdate{LinkID: cp.ID, Version: cp.Version, Role: tropic.RoleWitness})
		wantCode(t, err, tropic.ECONFLICT)
	})
}

// A person taken off the only case they were on leaves no open suggestion behind: the
// other agency's case no longer suggests them (no case holds them for anyone to
// decide on), and the suggestion row is gone. Taken off one case of two, the person
// is still suggested. The person's record is left for disposal.
func TestAPersonTakenOffTheirLastCaseIsSuggestedNoMore(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		police := e.newCase(t, e.pWorker, "Car wash, Hatfield Road")
		second := e.newCase(t, e.pWorker, "Car wash, second visit")
		s := e.person(t, e.pWorker, police, jon, tropic.RoleWitness)
		must(t, e.cases.AddExistingPerson(ctx, e.pWorker, second.Reference, s.ID, tropic.RoleWitness))
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		e.person(t, e.cWorker, council, john, tropic.RolePotentialVictim)
		only(t, e.suggestions(t, e.cWorker, council.Reference))

		link := func(c *tropic.Case) *tropic.CasePerson { return e.find(t, e.pWorker, c.Reference).People[0] }
		cp := link(second)
		must(t, e.cases.RemoveFromCase(ctx, e.pWorker, second.Reference, tropic.Removal{Part: tropic.PartPerson, ItemID: cp.ID, Version: cp.Version, Reason: tropic.RemovedDuplicate}))
		only(t, e.suggestions(t, e.cWorker, council.Reference)) // still on the police's first case

		cp = link(police)
		must(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPerson, ItemID: cp.ID, Version: cp.Version, Reason: tropic.RemovedInError}))
		if got := e.suggestions(t, e.cWorker, council.Reference); len(got) != 0 {
			t.Fatalf("got suggestions %+v, want none once the police's person is on no case", got)
		}
		if got := e.rows(t, `SELECT status FROM person_matches WHERE person_a = ? OR person_b = ?`, s.ID, s.ID); len(got) != 0 {
			t.Fatalf("got person_matches %q, want the open suggestion dropped", got)
		}
	})
}

// Victim first cannot be got round by changing the role first: a caseworker who makes
// a potential victim a witness (which needs no supervisor) still cannot take them off
// the case, as they were once a potential victim on it; a supervisor can.
func TestAFormerPotentialVictimIsStillTakenOffOnlyByASupervisor(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Cannabis farm")
		e.person(t, e.pWorker, police, tropic.Person{GivenName: "Tran", FamilyName: "Van Minh"}, tropic.RolePotentialVictim)
		cp := e.find(t, e.pWorker, police.Reference).People[0]
		rc, err := e.cases.UpdateCaseLink(ctx, e.pWorker, police.Reference, &tropic.CaseLinkUpdate{LinkID: cp.ID, Version: cp.Version, Role: tropic.RoleWitness})
		must(t, err)
		if rc == nil || rc.Status != tropic.RoleChangeApproved {
			t.Fatalf("got %+v, want the change to witness made at once", rc)
		}
		cp = e.find(t, e.pWorker, police.Reference).People[0]
		if cp.Role != tropic.RoleWitness || !cp.WasVictim {
			t.Fatalf("got role %s (was a victim: %t), want a witness known to have been a potential victim", cp.Role, cp.WasVictim)
		}
		rm := tropic.Removal{Part: tropic.PartPerson, ItemID: cp.ID, Version: cp.Version, Reason: tropic.RemovedNotConnected}
		err = e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, rm)
		wantCode(t, err, tropic.EFORBIDDEN)
		if !strings.Contains(tropic.ErrorMessage(err), "supervisor") {
			t.Fatalf("got %q, want to be told to ask a supervisor", tropic.ErrorMessage(err))
		}
		if got := e.find(t, e.pWorker, police.Reference).People; len(got) != 1 {
			t.Fatalf("got %d people, want the person still on the case", len(got))
		}
		must(t, e.cases.RemoveFromCase(ctx, e.pSuper, police.Reference, rm))
	})
}

// The timeline's record of a removal is the service's, not a note: its actor cannot
// rewrite it, even in the minutes in which they could change a note they wrote.
func TestTheRecordOfARemovalIsNotEditedLikeANote(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police, _, _ := linkedCases(t, e)
		ph := e.find(t, e.pWorker, police.Reference).Phones[0]
		must(t, e.cases.RemoveFromCase(ctx, e.pWorker, police.Reference, tropic.Removal{Part: tropic.PartPhone, ItemID: ph.ID, Version: ph.Version, Reason: tropic.RemovedInError}))
		mine := &tropic.Note{Text: "A note of my own"}
		must(t, e.cases.AddNote(ctx, e.pWorker, police.Reference, mine))
		var record *tropic.Note
		for _, n := range e.find(t, e.pWorker, police.Reference).Notes {
			if strings.HasPrefix(n.Text, "Removed a ") {
				record = n
			}
		}
		if record == nil || !record.Record {
			t.Fatalf("no record of the removal in the timeline: %+v", record)
		}
		wantCode(t, e.cases.EditNote(ctx, e.pWorker, record.ID, "Removed nothing"), tropic.EFORBIDDEN)
		must(t, e.cases.EditNote(ctx, e.pWorker, mine.ID, "A note of my own, changed"))
	})
}

// A change to an item writes a record on the timeline, in the change's transaction,
// naming the kind of item and not its value (neither the old nor the new), which
// nobody edits; a change refused as stale writes none.
func TestAChangedItemIsRecordedOnTheTimelineByItsKind(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Sparkle hand car wash")
		must(t, e.cases.AddPhone(ctx, e.pWorker, police.Reference, &tropic.CasePhone{Number: "07700 900123"}))
		ph := *e.find(t, e.pWorker, police.Reference).Phones[0]
		stale := ph
		ph.Number = "07700 900999"
		must(t, e.cases.UpdatePhone(ctx, e.pWorker, police.Reference, &ph))
		stale.Number = "07700 900555"
		wantCode(t, e.cases.UpdatePhone(ctx, e.pWorker, police.Reference, &stale), tropic.ECONFLICT)
		var records []*tropic.Note
		for _, n := range e.find(t, e.pWorker, police.Reference).Notes {
			if strings.Contains(n.Text, "7700") {
				t.Errorf("the timeline holds a phone number: %q", n.Text)
			}
			if n.Record && strings.HasPrefix(n.Text, "Changed ") {
				records = append(records, n)
			}
		}
		if len(records) != 1 || records[0].Text != "Changed a phone number on the case." || records[0].Author != "Pat Worker" {
			t.Fatalf("got records %+v, want one naming the phone number changed, by its changer", records)
		}
		wantCode(t, e.cases.EditNote(ctx, e.pWorker, records[0].ID, "Changed nothing"), tropic.EFORBIDDEN)
	})
}
