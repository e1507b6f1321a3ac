package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tropic/internal/tropic"
)

// The audit search: a data protection officer finds sign-ins by action, a wrong date
// comes back named with what was typed, and the export is a CSV whose own export is the
// newest event of the trail.
func TestTheDataProtectionOfficerSearchesAndExportsTheAuditTrail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("dee.pio@police.example", tropic.RoleDPO)
	ts.addUser("sam.worker@police.example", tropic.RoleCaseworker)
	worker := ts.client(t)
	worker.signInWaived("sam.worker@police.example")
	wantStatus(t, worker.get("/audit"), http.StatusNotFound)
	if strings.Contains(worker.get("/staff").body, `href="/audit"`) {
		t.Error("a caseworker's navigation offers the audit search")
	}

	dpo := ts.client(t)
	dpo.signInWaived("dee.pio@police.example")
	if !strings.Contains(dpo.get("/staff").body, `href="/audit"`) {
		t.Error("the DPO's navigation does not offer the audit search")
	}
	res := dpo.get("/audit?action=login.")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, pageText(res.body), "2 events", "login.succeeded")

	days := dpo.get("/audit?show=days&action=login.")
	wantStatus(t, days, http.StatusOK)
	wantContains(t, pageText(days.body), "Views and changes by user and day", "Records viewed")
	if !strings.Contains(days.body, `href="/audit?user=`) {
		t.Errorf("the grouped view does not link each user's day to its events:\n%s", pageText(days.body))
	}

	bad := dpo.get("/audit?" + url.Values{"from": {"last tuesday"}, "user": {"x"}, "action": {"case."}}.Encode())
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.body, `href="#from"`, `href="#user"`, `value="last tuesday"`, `value="case."`)

	export := dpo.post("/audit/export", url.Values{"action": {"login.succeeded"}})
	wantStatus(t, export, http.StatusOK)
	if ct := export.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("export is %q, want CSV", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(export.body)).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][5] != "login.succeeded" {
		t.Fatalf("export rows %v (%v), want a header and the two sign-ins", rows, err)
	}
	if got := ts.auditActions(tropic.AuditFilter{Limit: 1}); len(got) != 1 || got[0] != tropic.AuditExported+" action=login.succeeded: 2 events" {
		t.Fatalf("newest event %v, want the export", got)
	}
	xl := dpo.post("/audit/export", url.Values{"action": {"login.succeeded"}, "format": {"xlsx"}})
	wantStatus(t, xl, http.StatusOK)
	book, err := excelize.OpenReader(strings.NewReader(xl.body))
	if err != nil {
		t.Fatalf("the XLSX export does not open: %v", err)
	}
	if xrows, err := book.GetRows("Data"); err != nil || len(xrows) != 3 || xrows[1][5] != "login.succeeded" {
		t.Fatalf("XLSX export rows %v (%v), want a header and the two sign-ins", xrows, err)
	}
	wantStatus(t, worker.post("/audit/export", url.Values{}), http.StatusNotFound)

	// The export names staff and what they did: signed in longer ago than the
	// re-authentication window, the officer confirms who they are and comes back to the
	// search; nothing is exported or audited meanwhile. The caseworker is still refused.
	ts.clock.Advance(ts.cfg.ReauthWindow)
	wantStatus(t, worker.post("/audit/export", url.Values{}), http.StatusNotFound)
	before := len(ts.auditActions(tropic.AuditFilter{Action: tropic.AuditExported}))
	wantRedirect(t, dpo.post("/audit/export", url.Values{"action": {"login.succeeded"}}), "/account/confirm?next=%2Faudit")
	if after := len(ts.auditActions(tropic.AuditFilter{Action: tropic.AuditExported})); after != before {
		t.Errorf("an export without a recent proof was audited (%d, then %d)", before, after)
	}
	wantRedirect(t, dpo.post("/account/confirm", url.Values{"password": {testPassword}, "next": {"/audit"}}), "/audit")
	wantStatus(t, dpo.post("/audit/export", url.Values{"action": {"login.succeeded"}}), http.StatusOK)
}
