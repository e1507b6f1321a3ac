package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestHowHeardAnswersAreEditedInTheBrowserAndOfferedOnTheForms(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	coordinator := ts.addUser("partnership@police.example", tropic.RolePartnershipAdmin)
	c := ts.client(t)
	c.signInWaived("partnership@police.example")
	ts.addUser("intake@police.example", tropic.RoleIntake)
	handler := ts.client(t)
	handler.signInWaived("intake@police.example")

	if page := c.get("/admin/how-heard"); page.status != http.StatusOK || !strings.Contains(page.body, "News, radio or television") {
		t.Fatalf("the page: %d\n%s", page.status, brief(page.body))
	}
	t.Run("A bad code names the field and keeps what was typed", func(t *testing.T) {
		res := c.post("/admin/how-heard", url.Values{"code": {"Local Radio!"}, "label": {"Local radio"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#code"`) || !strings.Contains(res.body, `value="Local Radio!"`) || !strings.Contains(res.body, `value="Local radio"`) {
			t.Errorf("the refused form:\n%s", brief(res.body))
		}
	})
	t.Run("An empty wording names the field", func(t *testing.T) {
		res := c.post("/admin/how-heard/change", url.Values{"change": {"other"}, "wording": {" "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#wording"`) {
			t.Errorf("the refused form:\n%s", brief(res.body))
		}
	})
	t.Run("An answer added is offered on the public form and the call handlers' form", func(t *testing.T) {
		if res := c.post("/admin/how-heard", url.Values{"code": {"local_radio"}, "label": {"Local radio"}}); res.status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", res.status, brief(res.body))
		}
		for _, page := range []*response{c.get("/report/new"), handler.get("/intake/reports/new")} {
			if !strings.Contains(page.body, `value="local_radio"`) || !strings.Contains(page.body, "Local radio") {
				t.Errorf("the form does not offer the new answer:\n%s", brief(page.body))
			}
		}
	})
	t.Run("A retired answer is no longer offered, and brought back it is", func(t *testing.T) {
		if res := c.post("/admin/how-heard/change", url.Values{"change": {"news"}, "retired": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("retire: %d\n%s", res.status, brief(res.body))
		}
		if page := c.get("/report/new"); strings.Contains(page.body, `value="news"`) {
			t.Error("the public form still offers the retired answer")
		}
		if page := c.get("/admin/how-heard"); !strings.Contains(page.body, "No, retired") || !strings.Contains(page.body, coordinator.Name) ||
			!strings.Contains(page.body, "News, radio or television (retired)") {
			t.Errorf("the page does not show the retirement and who did it:\n%s", brief(page.body))
		}
		if res := c.post("/admin/how-heard/change", url.Values{"change": {"news"}, "retired": {"no"}}); res.status != http.StatusSeeOther {
			t.Fatalf("bring back: %d", res.status)
		}
		if page := c.get("/report/new"); !strings.Contains(page.body, `value="news"`) {
			t.Error("the public form does not offer the answer brought back")
		}
	})
	t.Run("The administration history shows the changes", func(t *testing.T) {
		if page := c.get("/admin/history"); !strings.Contains(page.body, "Reference data changed") || !strings.Contains(page.body, "how_heard:local_radio") {
			t.Errorf("the history:\n%s", brief(page.body))
		}
	})
}

func TestSettingsAreEditedInTheBrowserWithHistory(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	coordinator := ts.addUser("partnership@police.example", tropic.RolePartnershipAdmin)
	c := ts.client(t)
	c.signInWaived("partnership@police.example")

	page := c.get("/admin/settings")
	if page.status != http.StatusOK || !strings.Contains(page.body, "stay exactly as they were published") || !strings.Contains(page.body, `value="5"`) {
		t.Fatalf("the page: %d\n%s", page.status, brief(page.body))
	}
	t.Run("A threshold out of bounds names the field and keeps what was typed", func(t *testing.T) {
		for _, typed := range []string{"2", "21", "five"} {
			res := c.post("/admin/settings/threshold", url.Values{"disclosure_threshold": {typed}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.body, `href="#disclosure_threshold"`) || !strings.Contains(res.body, "disclosure threshold as a whole number from 3 to 20") ||
				!strings.Contains(res.body, `value="`+typed+`"`) {
				t.Errorf("%q refused as:\n%s", typed, brief(res.body))
			}
		}
	})
	t.Run("Targets out of order name the field and keep what was typed", func(t *testing.T) {
		res := c.post("/admin/settings/triage-targets", url.Values{"triage_targets": {"1h"}, "triage_targets_urgent": {"9wd"}, "triage_targets_routine": {"5wd"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#triage_targets"`) || !strings.Contains(res.body, "Triage targets: urgent") || !strings.Contains(res.body, `value="9wd"`) {
			t.Errorf("the refused form:\n%s", brief(res.body))
		}
	})
	t.Run("A threshold saved shows with who changed it, from what", func(t *testing.T) {
		if res := c.post("/admin/settings/threshold", url.Values{"disclosure_threshold": {"7"}}); res.status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.status, brief(res.body))
		}
		page := c.get("/admin/settings")
		for _, want := range []string{`value="7"`, "as set here", coordinator.Name, "Disclosure threshold", "The next statistics release uses it"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the page lacks %q:\n%s", want, brief(page.body))
			}
		}
	})
	t.Run("Targets saved mark reports from now on", func(t *testing.T) {
		res := c.post("/admin/settings/triage-targets", url.Values{"triage_targets": {"20m"}, "triage_targets_urgent": {"2h"}, "triage_targets_routine": {"3wd"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", res.status, brief(res.body))
		}
		rules, err := ts.srv.triageCalendar(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rules.Triage.Emergency.Duration != 20*time.Minute || rules.Triage.Urgent.Duration != 2*time.Hour || rules.Acknowledge != tropic.DefaultAcknowledgeTargets {
			t.Errorf("the targets in force: %+v / %+v", rules.Triage, rules.Acknowledge)
		}
		if page := c.get("/admin/settings"); !strings.Contains(page.body, "from emergency=1h, urgent=1wd, routine=5wd to emergency=20m, urgent=2h, routine=3wd") {
			t.Errorf("the history does not show old and new targets:\n%s", brief(page.body))
		}
	})
}

func TestAnAgencyAdministratorCannotChangeReferenceData(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	admin := ts.addUser("admin@police.example", tropic.RoleAdmin)
	a := ts.client(t)
	a.signInWaived("admin@police.example")
	for _, res := range []*response{
		a.get("/admin/settings"),
		a.get("/admin/how-heard"),
		a.post("/admin/settings/threshold", url.Values{"disclosure_threshold": {"3"}}),
		a.post("/admin/settings/triage-targets", url.Values{"triage_targets": {"2h"}, "triage_targets_urgent": {"2wd"}, "triage_targets_routine": {"9wd"}}),
		a.post("/admin/how-heard", url.Values{"code": {"x"}, "label": {"X"}}),
		a.post("/admin/how-heard/change", url.Values{"change": {"news"}, "retired": {"yes"}}),
	} {
		wantStatus(t, res, http.StatusNotFound)
	}
	if page := a.get("/admin/users"); strings.Contains(page.body, "/admin/settings") || strings.Contains(page.body, "/admin/how-heard") {
		t.Error("an agency administrator is offered the reference data")
	}
	ctx := context.Background()
	if err := ts.srv.deps.Reference.SetSetting(ctx, tropic.ActorFor(admin), tropic.SettingDisclosureThreshold, "3"); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
		t.Errorf("the store lets an agency administrator change the threshold: %v", err)
	}
	set, err := ts.srv.deps.Reference.FindSettings(ctx)
	if err != nil || set.DisclosureThreshold != tropic.DefaultDisclosureThreshold || len(set.Stored) != 0 {
		t.Errorf("settings after the attempts: %+v (%v)", set, err)
	}
	if options, err := ts.srv.deps.Reference.FindHowHeardOptions(ctx); err != nil || len(options) != 7 || options[2].Retired {
		t.Errorf("options after the attempts: %+v (%v)", options, err)
	}
}
