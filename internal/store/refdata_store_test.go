package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestSettingsKeepTheFlagsUntilChangedAndRecordEveryChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		flags, err := tropic.ParseTriageTargets("emergency=30m,urgent=1wd,routine=4wd")
		if err != nil {
			t.Fatal(err)
		}
		ref := store.NewReferenceDataService(e.db, tropic.Settings{TriageTargets: flags})
		police := e.agency(t, "Police")
		agencyAdmin := tropic.ActorFor(e.user(t, police.ID, "admin@police.example", tropic.RoleAdmin))
		partnership := e.user(t, police.ID, "coordinator@police.example", tropic.RolePartnershipAdmin)

		set, err := ref.FindSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if set.DisclosureThreshold != tropic.DefaultDisclosureThreshold || set.TriageTargets != flags ||
			set.AcknowledgeTargets != tropic.DefaultAcknowledgeTargets || len(set.Stored) != 0 {
			t.Fatalf("before any change: %+v, want the flags and the built-in defaults", set)
		}

		refused := []struct {
			name, setting, value, code string
			actor                      tropic.Actor
		}{
			{"A threshold below 3 is refused on its field", tropic.SettingDisclosureThreshold, "2", tropic.EINVALID, admin},
			{"A threshold above 20 is refused on its field", tropic.SettingDisclosureThreshold, "21", tropic.EINVALID, admin},
			{"A threshold that is not a number is refused on its field", tropic.SettingDisclosureThreshold, "five", tropic.EINVALID, admin},
			{"Targets that put urgent after routine are refused on their field", tropic.SettingTriageTargets, "emergency=1h,urgent=6wd,routine=5wd", tropic.EINVALID, admin},
			{"An emergency in working days is refused", tropic.SettingAcknowledgeTargets, "emergency=1wd", tropic.EINVALID, admin},
			{"An agency administrator may not change the threshold", tropic.SettingDisclosureThreshold, "7", tropic.EFORBIDDEN, agencyAdmin},
			{"A caseworker may not change the targets", tropic.SettingTriageTargets, "emergency=2h", tropic.EFORBIDDEN,
				tropic.ActorFor(e.user(t, police.ID, "sam@police.example", tropic.RoleCaseworker))},
			{"An unknown setting is not found", "retention_years", "7", tropic.ENOTFOUND, admin},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				err := ref.SetSetting(ctx, tt.actor, tt.setting, tt.value)
				wantCode(t, err, tt.code)
				if tt.code == tropic.EINVALID {
					wantField(t, err, tt.setting)
				}
			})
		}
		if changes, err := ref.FindReferenceChanges(ctx); err != nil || len(changes) != 0 {
			t.Fatalf("refused changes left %v (%v)", changes, err)
		}

		me := tropic.ActorFor(partnership)
		if err := ref.SetSetting(ctx, me, tropic.SettingDisclosureThreshold, " 7 "); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Minute)
		if err := ref.SetSetting(ctx, me, tropic.SettingTriageTargets, "emergency=45m,urgent=1wd,routine=3wd"); err != nil {
			t.Fatal(err)
		}
		if err := ref.SetSetting(ctx, admin, tropic.SettingDisclosureThreshold, "7"); err != nil {
			t.Fatal(err) // the same value: nothing to record
		}
		set, err = ref.FindSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if set.DisclosureThreshold != 7 || set.TriageTargets.Routine.WorkingDays != 3 || set.TriageTargets.Emergency.Duration != 45*time.Minute ||
			!set.Stored[tropic.SettingDisclosureThreshold] || !set.Stored[tropic.SettingTriageTargets] || set.Stored[tropic.SettingAcknowledgeTargets] {
			t.Errorf("after the changes: %+v", set)
		}
		changes, err := ref.FindReferenceChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 {
			t.Fatalf("changes %+v, want 2", changes)
		}
		want := []tropic.ReferenceChange{
			{Name: tropic.SettingTriageTargets, Old: "emergency=30m,urgent=1wd,routine=4wd", New: "emergency=45m,urgent=1wd,routine=3wd", ActorName: partnership.Name},
			{Name: tropic.SettingDisclosureThreshold, Old: "5", New: "7", ActorName: partnership.Name},
		}
		for i, w := range want {
			c := changes[i]
			if c.Name != w.Name || c.Old != w.Old || c.New != w.New || c.ActorName != w.ActorName || c.At.IsZero() {
				t.Errorf("change %d: %+v, want %+v", i, c, w)
			}
		}
		if !changes[0].At.After(changes[1].At) {
			t.Errorf("changes not newest first: %v then %v", changes[0].At, changes[1].At)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditReferenceChanged || ev.UserID != partnership.ID {
			t.Errorf("last audit event %+v, want the change by the partnership administrator", ev)
		}
		// A server started later with other flags: the stored values stand.
		other := store.NewReferenceDataService(e.db, tropic.Settings{TriageTargets: tropic.DefaultTriageTargets})
		if set, err := other.FindSettings(ctx); err != nil || set.TriageTargets.Routine.WorkingDays != 3 {
			t.Errorf("another server's settings: %+v (%v), want the stored targets over its flags", set, err)
		}
	})
}

func TestSettingChangedTwiceAtOnceRecordsEachOldValue(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		ref := store.NewReferenceDataService(e.db, tropic.Settings{})
		if err := ref.SetSetting(ctx, admin, tropic.SettingDisclosureThreshold, "6"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, v := range []string{"8", "9"} {
			wg.Go(func() {
				if err := ref.SetSetting(ctx, admin, tropic.SettingDisclosureThreshold, v); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		changes, err := ref.FindReferenceChanges(ctx)
		if err != nil || len(changes) != 3 {
			t.Fatalf("changes %+v (%v), want 3", changes, err)
		}
		// The history is a chain: each change's old value is the one before's new value.
		if changes[2].New != "6" || changes[1].Old != changes[2].New || changes[0].Old != changes[1].New {
			t.Errorf("the history does not chain: %+v", changes)
		}
	})
}

func TestHowHeardOptionsAreDataAndRetiredOnesKeepTheirMeaning(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		ctx := context.Background()
		ref := store.NewReferenceDataService(e.db, tropic.Settings{})
		options, err := ref.FindHowHeardOptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(options) != 7 || options[0].Code != "poster_or_leaflet" || options[6].Code != "other" {
			t.Fatalf("seeded options %+v, want the seven that reports stored before", options)
		}
		older := routineReport(tropic.ChannelWeb)
		older.HowHeard = "news"
		if _, err := e.reports.CreateReport(ctx, admin, older, tropic.HashFormKey(tropic.NewFormKey())); err != nil {
			t.Fatal(err)
		}

		agencyAdmin := tropic.ActorFor(e.user(t, e.agency(t, "Council").ID, "admin@council.example", tropic.RoleAdmin))
		tests := []struct {
			name  string
			do    func() error
			code  string
			field string
		}{
			{"An agency administrator may not add an answer", func() error {
				return ref.AddHowHeardOption(ctx, agencyAdmin, tropic.HowHeardOption{Code: "local_radio", Label: "Local radio"})
			}, tropic.EFORBIDDEN, ""},
			{"An agency administrator may not retire an answer", func() error {
				return ref.UpdateHowHeardOption(ctx, agencyAdmin, tropic.HowHeardOption{Code: "news", Label: "News", Retired: true})
			}, tropic.EFORBIDDEN, ""},
			{"A code with spaces is refused on its field", func() error {
				return ref.AddHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "local radio", Label: "Local radio"})
			}, tropic.EINVALID, "code"},
			{"A code that looks like a campaign's is refused", func() error {
				return ref.AddHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "campaign_x", Label: "X"})
			}, tropic.EINVALID, "code"},
			{"An empty answer is refused on its field", func() error {
				return ref.AddHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "blank", Label: "  "})
			}, tropic.EINVALID, "label"},
			{"A code that exists is a conflict on its field", func() error {
				return ref.AddHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "news", Label: "Newspapers"})
			}, tropic.ECONFLICT, "code"},
			{"An unknown code cannot be changed", func() error {
				return ref.UpdateHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "nope", Label: "Nope"})
			}, tropic.ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.do()
				wantCode(t, err, tt.code)
				if tt.field != "" {
					wantField(t, err, tt.field)
				}
			})
		}
		if changes, err := ref.FindReferenceChanges(ctx); err != nil || len(changes) != 0 {
			t.Fatalf("refused changes left %v (%v)", changes, err)
		}

		if err := ref.AddHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "Local_Radio", Label: "Local radio"}); err != nil {
			t.Fatal(err)
		}
		if err := ref.UpdateHowHeardOption(ctx, admin, tropic.HowHeardOption{Code: "news", Label: "News, radio or television", Retired: true}); err != nil {
			t.Fatal(err)
		}
		options, err = ref.FindHowHeardOptions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if last := options[len(options)-1]; last.Code != "local_radio" || last.Retired {
			t.Errorf("the added answer: %+v, want local_radio last, offered", last)
		}
		if got := tropic.HowHeardLabel("news", options); got != "News, radio or television" {
			t.Errorf("a retired answer reads %q, want its wording kept for the reports that gave it", got)
		}

		retired := routineReport(tropic.ChannelWeb)
		retired.HowHeard = "news"
		_, err = e.reports.CreateReport(ctx, admin, retired, tropic.HashFormKey(tropic.NewFormKey()))
		wantCode(t, err, tropic.EINVALID)
		wantField(t, err, "how_heard")
		added := routineReport(tropic.ChannelWeb)
		added.HowHeard = "local_radio"
		if _, err := e.reports.CreateReport(ctx, admin, added, tropic.HashFormKey(tropic.NewFormKey())); err != nil {
			t.Errorf("a report giving the added answer: %v", err)
		}
		if got, err := e.reports.FindReportByReference(ctx, admin, older.Reference); err != nil || got.HowHeard != "news" {
			t.Errorf("the older report's answer: %v (%v), want news kept", got, err)
		}

		changes, err := ref.FindReferenceChanges(ctx)
		if err != nil || len(changes) != 2 {
			t.Fatalf("changes %+v (%v), want 2", changes, err)
		}
		if c := changes[0]; c.Name != tropic.HowHeardChange("news") || c.Old != "News, radio or television" || c.New != "News, radio or television (retired)" || c.ActorName != "test" {
			t.Errorf("the retirement's record: %+v", c)
		}
		if c := changes[1]; c.Name != tropic.HowHeardChange("local_radio") || c.Old != "" || c.New != "Local radio" {
			t.Errorf("the addition's record: %+v", c)
		}
	})
}
