package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tropic/internal/store/storetest"
)

// TestOpeningANotification: following a notification from the list marks it read and
// leads to its page; another user's notification is missing to everyone else, and
// opening it leaves it unread for its owner.
func TestOpeningANotification(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			e := newCaseEnvOn(t, d)
			f := &matrixFixture{t: t, ts: e.ts}
			sup, worker := e.as(e.super), e.as(e.worker)
			id := f.notificationFor(&matrixUser{user: e.super})

			list := sup.get("/notifications")
			wantContains(t, list.body, fmt.Sprintf(`href="/notifications/%d"`, id))
			count := func() string { return sup.get("/notifications?unread=1").body }
			if !strings.Contains(count(), "A matrix notification") {
				t.Fatal("the new notification is not unread")
			}

			// Another user: missing, and nothing changes.
			other := worker.get(fmt.Sprintf("/notifications/%d", id))
			wantStatus(t, other, http.StatusNotFound)
			if !strings.Contains(count(), "A matrix notification") {
				t.Error("another user's opening marked it read")
			}

			// The owner: led to its page, and it is read.
			res := sup.get(fmt.Sprintf("/notifications/%d", id))
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/staff" {
				t.Fatalf("opening: status %d, location %q; want 303 to /staff", res.status, res.header.Get("Location"))
			}
			if strings.Contains(count(), "A matrix notification") {
				t.Error("the opened notification is still unread")
			}
		})
	}
}
