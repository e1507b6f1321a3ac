package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestSharingAgreementPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("partnership@police.example", tropic.RolePartnershipAdmin)
	other := &tropic.Agency{Name: "Agreement Charity", Kind: tropic.AgencyCharity}
	if err := ts.agencies.CreateAgency(context.Background(), testAdmin, other); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	c.signInWaived("partnership@police.example")
	soon := ts.clock.Now().AddDate(0, 0, 10).Format("2/1/2006")

	t.Run("Bad input names each field and keeps what was typed", func(t *testing.T) {
		res := c.post("/admin/agreements/new", url.Values{"title": {"Typed title"}, "review_on": {"31/02/2027"}, "parties": {strconv.FormatInt(other.ID, 10)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		for _, want := range []string{`href="#parties"`, `href="#purposes"`, `href="#lawful_bases"`, `href="#data_categories"`, `href="#review_on"`,
			`href="#document_ref"`, `value="Typed title"`, `value="31/02/2027"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the refused form lacks %s", want)
			}
		}
	})
	t.Run("An agreement is added, listed as due for review and shown on the home", func(t *testing.T) {
		res := c.post("/admin/agreements/new", url.Values{"title": {"Charity protocol"}, "parties": {strconv.FormatInt(ts.agency.ID, 10), strconv.FormatInt(other.ID, 10)},
			"purposes": {"Support"}, "lawful_bases": {"consent"}, "data_categories": {"identity"}, "review_on": {soon}, "document_ref": {"CP-1"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", res.status, brief(res.body))
		}
		if page := c.get("/admin/agreements"); !strings.Contains(page.body, "Charity protocol") || !strings.Contains(page.body, "Review due soon") {
			t.Errorf("the register:\n%s", brief(page.body))
		}
		if page := c.get("/staff"); !strings.Contains(page.body, "Sharing agreements to review") || !strings.Contains(page.body, "Charity protocol") {
			t.Errorf("the home:\n%s", brief(page.body))
		}
		if page := c.get("/admin/history"); !strings.Contains(page.body, "Sharing agreement added") {
			t.Errorf("the administration history lacks the agreement")
		}
	})
	t.Run("Nobody else reaches the register's pages", func(t *testing.T) {
		ts.addUser("admin@police.example", tropic.RoleAdmin)
		a := ts.client(t)
		a.signInWaived("admin@police.example")
		wantStatus(t, a.get("/admin/agreements"), http.StatusNotFound)
		wantStatus(t, a.post("/admin/agreements/new", url.Values{"title": {"X"}}), http.StatusNotFound)
	})
}
