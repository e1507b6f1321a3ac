package store_test

import (
	"fmt"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestCampaignsAndTheirEffect(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		svc := store.NewCampaignService(e.db)
		ag := e.agency(t, "Hertfordshire County Council")
		analyst := tropic.Actor{UserID: 1, AgencyID: ag.ID, Roles: []tropic.Role{tropic.RoleAnalyst}}
		worker := tropic.Actor{UserID: 2, AgencyID: ag.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}

		c := &tropic.Campaign{Name: "Spot the signs 2026", StartsOn: "2026-03-10", EndsOn: "2026-03-16",
			Hashtags: []string{"#SpotTheSigns"}, AgencyIDs: []int64{ag.ID}}
		wantCode(t, svc.CreateCampaign(ctx, worker, c), tropic.EFORBIDDEN)
		if err := svc.CreateCampaign(ctx, admin, c); err != nil {
			t.Fatalf("create: %v", err)
		}
		dup := &tropic.Campaign{Name: "Spot the signs 2026", StartsOn: "2026-03-10", EndsOn: "2026-03-16"}
		wantField(t, svc.CreateCampaign(ctx, analyst, dup), "slug")
		got, err := svc.FindCampaign(ctx, "spot-the-signs-2026")
		if err != nil || got.Name != c.Name || len(got.AgencyIDs) != 1 || got.Hashtags[0] != "#SpotTheSigns" {
			t.Fatalf("find: %+v, %v", got, err)
		}
		got.Description = "Look closer."
		if err := svc.UpdateCampaign(ctx, analyst, got); err != nil {
			t.Fatalf("update: %v", err)
		}
		_, err = svc.FindCampaign(ctx, "nope")
		wantCode(t, err, tropic.ENOTFOUND)

		// Reports on either side of the start (2026-03-10): 2 weeks before holds 3, the
		// 2 weeks from the start hold 5, of which 2 name the campaign; one outside both.
		raw := openRaw(t, d, e.dsn)
		start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		at := []time.Time{start.AddDate(0, 0, -15), start.AddDate(0, 0, -14), start.AddDate(0, 0, -3), start.Add(-time.Second),
			start, start.AddDate(0, 0, 1), start.AddDate(0, 0, 5), start.AddDate(0, 0, 13), start.AddDate(0, 0, 14).Add(-time.Second), start.AddDate(0, 0, 14)}
		for i, tm := range at {
			how := ""
			if i == 4 || i == 6 {
				how = "campaign:spot-the-signs-2026"
			}
			raw.exec(t, `INSERT INTO reports (reference, channel, received_at, description, urgency, urgency_rank, follow_up_hash, how_heard)
				VALUES (?, 'web', ?, 'x', 'routine', 2, 'h', ?)`, fmt.Sprintf("TR-%d", i), raw.timeArg(tm), how)
		}
		// The same two weeks a year (52 weeks) earlier hold 2, in a district; one
		// report falls a second before them.
		raw.exec(t, `INSERT INTO districts (slug, name, created_at) VALUES ('dacorum', 'Dacorum', ?)`, raw.timeArg(start))
		lastYear := start.AddDate(0, 0, -364)
		for i, tm := range []time.Time{lastYear.Add(-time.Second), lastYear, lastYear.AddDate(0, 0, 14).Add(-time.Second)} {
			raw.exec(t, `INSERT INTO reports (reference, channel, received_at, description, urgency, urgency_rank, follow_up_hash, district)
				VALUES (?, 'web', ?, 'x', 'routine', 2, 'h', 'dacorum')`, fmt.Sprintf("TL-%d", i), raw.timeArg(tm))
		}
		eff, err := svc.CampaignEffect(ctx, analyst, got, start.AddDate(0, 0, -28), start.AddDate(0, 0, 28), 2)
		if err != nil {
			t.Fatalf("effect: %v", err)
		}
		before, after := 0, 0
		for _, tm := range at {
			if !tm.Before(start.AddDate(0, 0, -14)) && tm.Before(start) {
				before++
			} else if !tm.Before(start) && tm.Before(start.AddDate(0, 0, 14)) {
				after++
			}
		}
		if eff.Before != before || eff.After != after || eff.Before != 3 || eff.After != 5 || eff.Attributed != 2 {
			t.Fatalf("got before %d after %d attributed %d; want %d, %d, 2", eff.Before, eff.After, eff.Attributed, before, after)
		}
		if eff.LastYear != 2 {
			t.Fatalf("same weeks last year: %d reports, want 2", eff.LastYear)
		}
		var sum tropic.DistrictEffect
		for _, d := range eff.Districts {
			sum.Before, sum.After, sum.LastYear = sum.Before+d.Before, sum.After+d.After, sum.LastYear+d.LastYear
			if d.District == "dacorum" && (d.Name != "Dacorum" || d.LastYear != 2 || d.After != 0) {
				t.Fatalf("Dacorum: %+v, want 2 last year and none since", d)
			}
		}
		if sum.Before != eff.Before || sum.After != eff.After || sum.LastYear != eff.LastYear {
			t.Fatalf("districts add up to %+v, want %d, %d, %d", sum, eff.Before, eff.After, eff.LastYear)
		}
		total := 0
		for _, w := range eff.Weeks {
			total += w.Reports
			if w.Start.Weekday() != time.Monday {
				t.Fatalf("week starting %v is not a Monday", w.Start)
			}
		}
		if total != len(at) {
			t.Fatalf("weeks hold %d reports, want %d", total, len(at))
		}
		_, err = svc.CampaignEffect(ctx, worker, got, start, start, 2)
		wantCode(t, err, tropic.EFORBIDDEN)
		list, err := svc.FindCampaigns(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", list, err)
		}
	})
}
