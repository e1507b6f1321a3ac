package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

var inviteLinkRE = regexp.MustCompile(`http://[^\s]+/invite/([A-Za-z0-9_-]{43})`)

// inviteServer is a server whose invitations are recorded, with an agency
// administrator signed in.
func inviteServer(t *testing.T, cfg Config) (*testServer, *recordingMailer, *client) {
	t.Helper()
	mailer := &recordingMailer{}
	ts := newTestServer(t, cfg, func(d *Deps) { d.Mail = mailer })
	ts.addUser("admin@police.example", tropic.RoleAdmin)
	admin := ts.client(t)
	if cfg.MFAWaived {
		admin.signInWaived("admin@police.example")
	} else {
		admin.enrol("admin@police.example")
	}
	return ts, mailer, admin
}

func TestInvitationJourney(t *testing.T) {
	t.Parallel()
	ts, mailer, admin := inviteServer(t, Config{})
	invite := url.Values{"name": {"Nadia New"}, "email": {"nadia@police.example"}, "roles": {"caseworker"}}

	t.Run("Bad input names the field and keeps what was typed", func(t *testing.T) {
		res := admin.post("/admin/users/invite", url.Values{"name": {"Nadia New"}, "email": {"not an address"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		for _, want := range []string{`href="#email"`, `href="#roles"`, `value="Nadia New"`, "Give the user at least one role"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("the page does not hold %q", want)
			}
		}
	})

	res := admin.post("/admin/users/invite", invite)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/admin/users/") {
		t.Fatalf("POST /admin/users/invite: %d to %q\n%s", res.status, res.location(), brief(res.body))
	}
	mail := mailer.last(t)
	m := inviteLinkRE.FindStringSubmatch(mail.Body)
	if m == nil || mail.To[0] != "nadia@police.example" {
		t.Fatalf("the e-mail to %v holds no invitation link:\n%s", mail.To, mail.Body)
	}
	if strings.Contains(mail.Body, "Nadia") || strings.Contains(mail.Subject, "Nadia") {
		t.Errorf("the e-mail names the person:\n%s", mail.Body)
	}
	link := "/invite/" + m[1]
	page := admin.get(res.location())
	if !strings.Contains(page.body, "the link works until") || !strings.Contains(page.body, "Invited") {
		t.Errorf("the user's page does not show the invitation:\n%s", brief(page.body))
	}

	t.Run("Only the hash of the link is stored", func(t *testing.T) {
		var n int
		if err := ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM user_invites WHERE token_hash = ?`, m[1]).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the link's secret is stored as it is (%d, %v)", n, err)
		}
	})
	t.Run("The invited user cannot sign in before choosing a password", func(t *testing.T) {
		res := ts.client(t).login("nadia@police.example", "", "")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		res = ts.client(t).login("nadia@police.example", testPassword, "")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, "Enter a correct email address and password") {
			t.Errorf("not the usual refusal:\n%s", brief(res.body))
		}
	})

	nadia := ts.client(t)
	t.Run("A mistyped confirmation is refused on its field", func(t *testing.T) {
		res := nadia.post(link, url.Values{"password": {"amber kettle violin 42"}, "confirm": {"amber kettle violin 43"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#confirm"`) {
			t.Errorf("no error on the confirmation:\n%s", brief(res.body))
		}
	})
	t.Run("The link leads to choosing a password, then to setting up the authenticator", func(t *testing.T) {
		if page := nadia.get(link); page.status != http.StatusOK || !strings.Contains(page.body, "Choose your password") ||
			!strings.Contains(page.body, "next you will set up an authenticator app") || !strings.Contains(mail.Body, "set up an authenticator app") {
			t.Fatalf("GET %s: %d\n%s", link, page.status, brief(page.body))
		}
		res := nadia.post(link, url.Values{"password": {"amber kettle violin 42"}, "confirm": {"amber kettle violin 42"}})
		if res.status != http.StatusSeeOther || res.location() != "/login/mfa/setup" {
			t.Fatalf("POST %s: %d to %q\n%s", link, res.status, res.location(), brief(res.body))
		}
		if page := nadia.get("/login/mfa/setup"); page.status != http.StatusOK || !secretRE.MatchString(page.body) {
			t.Fatalf("the authenticator set-up page: %d\n%s", page.status, brief(page.body))
		}
		if res := nadia.get("/staff"); res.status != http.StatusSeeOther {
			t.Fatalf("signed in before the second factor: %d", res.status)
		}
	})
	t.Run("A used link says so plainly", func(t *testing.T) {
		res := ts.client(t).get(link)
		wantStatus(t, res, http.StatusGone)
		if !strings.Contains(res.body, "has been used already") {
			t.Errorf("the page does not say the link was used:\n%s", brief(res.body))
		}
	})
	t.Run("A new link replaces the old one, and expires after 72 hours", func(t *testing.T) {
		id := strings.TrimPrefix(res.location(), "/admin/users/")
		if r := admin.post("/admin/users/"+id+"/invite", nil); r.status != http.StatusSeeOther {
			t.Fatalf("re-invite: %d\n%s", r.status, brief(r.body))
		}
		older := "/invite/" + inviteLinkRE.FindStringSubmatch(mailer.last(t).Body)[1]
		if r := admin.post("/admin/users/"+id+"/invite", nil); r.status != http.StatusSeeOther {
			t.Fatalf("re-invite: %d", r.status)
		}
		newer := "/invite/" + inviteLinkRE.FindStringSubmatch(mailer.last(t).Body)[1]
		if r := ts.client(t).get(older); r.status != http.StatusGone || !strings.Contains(r.body, "replaced by a newer one") {
			t.Errorf("the older link: %d\n%s", r.status, brief(r.body))
		}
		ts.clock.Advance(72 * time.Hour)
		if r := ts.client(t).get(newer); r.status != http.StatusGone || !strings.Contains(r.body, "has expired") {
			t.Errorf("the expired link: %d\n%s", r.status, brief(r.body))
		}
	})
	t.Run("A link of no invitation is not valid", func(t *testing.T) {
		res := ts.client(t).get("/invite/" + strings.Repeat("A", 43))
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.body, "This invitation link is not valid") {
			t.Errorf("not said plainly:\n%s", brief(res.body))
		}
	})
}

func TestInvitationWhenTheMailFails(t *testing.T) {
	t.Parallel()
	ts, mailer, admin := inviteServer(t, Config{MFAWaived: true})
	mailer.fail = errors.New("smtp down")
	res := admin.post("/admin/users/invite", url.Values{"name": {"Omar Other"}, "email": {"omar@police.example"}, "roles": {"triage"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("POST: %d\n%s", res.status, brief(res.body))
	}
	page := admin.get(res.location())
	if !strings.Contains(page.body, "the e-mail could not be sent") {
		t.Errorf("the page does not say the e-mail failed:\n%s", brief(page.body))
	}
	if _, err := ts.users.FindUserByEmail(context.Background(), "omar@police.example"); err != nil {
		t.Errorf("the invited user was not kept: %v", err)
	}
}

func TestNoInvitationWithoutEmail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("admin@police.example", tropic.RoleAdmin)
	admin := ts.client(t)
	admin.signInWaived("admin@police.example")
	// No form that cannot work: the page says e-mail is off and what to do instead.
	if page := admin.get("/admin/users/invite"); !strings.Contains(page.body, "E-mail is not set up on this server") ||
		strings.Contains(page.body, `action="/admin/users/invite"`) || !strings.Contains(page.body, "tropic user invite --email") {
		t.Errorf("the page without e-mail:\n%s", brief(page.body))
	}
	res := admin.post("/admin/users/invite", url.Values{"name": {"Pat"}, "email": {"pat@police.example"}, "roles": {"triage"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if _, err := ts.users.FindUserByEmail(context.Background(), "pat@police.example"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
		t.Errorf("a user was made though no invitation could be sent: %v", err)
	}
}

func TestNewPasswordRequiredAtSignIn(t *testing.T) {
	t.Parallel()
	ts, _, admin := inviteServer(t, Config{})
	sam := ts.addUser("sam@police.example", tropic.RoleCaseworker)
	secret := ts.client(t).enrol("sam@police.example")
	if res := admin.post(userPath(sam.ID)+"/require-password", nil); res.status != http.StatusSeeOther {
		t.Fatalf("require: %d\n%s", res.status, brief(res.body))
	}
	c := ts.client(t)
	t.Run("The new-password page waits for the second factor", func(t *testing.T) {
		if res := c.login("sam@police.example", testPassword, ""); res.location() != "/login/mfa" {
			t.Fatalf("after the password: %q", res.location())
		}
		if res := c.get("/login/password"); res.status != http.StatusSeeOther || res.location() != "/login" {
			t.Fatalf("before the second factor: %d to %q", res.status, res.location())
		}
	})
	t.Run("After the second factor the user must choose a new password", func(t *testing.T) {
		ts.clock.Advance(30 * time.Second) // the next code: the enrolment used this one
		res := c.post("/login/mfa", url.Values{"code": {c.code(secret)}})
		if res.status != http.StatusSeeOther || res.location() != "/login/password" {
			t.Fatalf("after the code: %d to %q\n%s", res.status, res.location(), brief(res.body))
		}
		if res := c.get("/staff"); res.status != http.StatusSeeOther {
			t.Fatalf("signed in without choosing a password: %d", res.status)
		}
		res = c.post("/login/password", url.Values{"password": {"walnut"}, "confirm": {"walnut"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#password"`) {
			t.Fatalf("a short password: %d\n%s", res.status, brief(res.body))
		}
		res = c.post("/login/password", url.Values{"password": {"walnut harbour quietly 7"}, "confirm": {"walnut harbour quietly 7"}})
		if res.status != http.StatusSeeOther || res.location() != "/staff" {
			t.Fatalf("new password: %d to %q\n%s", res.status, res.location(), brief(res.body))
		}
		if res := c.get("/staff"); res.status != http.StatusOK {
			t.Fatalf("not signed in: %d", res.status)
		}
	})
	t.Run("The old password works no more", func(t *testing.T) {
		wantStatus(t, ts.client(t).login("sam@police.example", testPassword, ""), http.StatusUnprocessableEntity)
	})
	if got := ts.auditActions(tropic.AuditFilter{UserID: sam.ID, Action: tropic.AuditUserPasswordChanged}); len(got) != 1 {
		t.Errorf("audited %v, want one password change", got)
	}
}

func TestAdministrationForAnAgencyAdministrator(t *testing.T) {
	t.Parallel()
	ts, _, admin := inviteServer(t, Config{MFAWaived: true})
	other := &tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil}
	if err := ts.agencies.CreateAgency(context.Background(), testAdmin, other); err != nil {
		t.Fatal(err)
	}
	stranger := &tropic.User{Email: "cat@dacorum.example", Name: "Cat Council", AgencyID: other.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := ts.users.CreateUser(context.Background(), testAdmin, stranger, "x"); err != nil {
		t.Fatal(err)
	}
	list := admin.get("/admin/users?agency=" + strconv.FormatInt(other.ID, 10))
	if list.status != http.StatusOK || strings.Contains(list.body, "Cat Council") {
		t.Errorf("an agency administrator lists another agency's user: %d", list.status)
	}
	if !strings.Contains(list.body, "Sam Example") && !strings.Contains(list.body, "admin@police.example") {
		t.Errorf("the administrator's own agency is not listed:\n%s", brief(list.body))
	}
	if page := admin.get("/admin/agencies"); page.status != http.StatusNotFound {
		t.Errorf("an agency administrator reaches the agencies: %d", page.status)
	}
	// They see their own agency's users only: no agency column, and no partnership
	// administrator to filter by while none is in their agency.
	partnershipRole := `value="` + string(tropic.RolePartnershipAdmin) + `"`
	wantNotContains(t, list.body, ">Agency</th>", partnershipRole)
	wantContains(t, list.body, ">Roles</th>", `value="`+string(tropic.RoleCaseworker)+`"`)
	ts.addUser("boss@police.example", tropic.RolePartnershipAdmin)
	wantContains(t, admin.get("/admin/users").body, partnershipRole)
	if page := admin.get("/admin/history"); page.status != http.StatusOK || strings.Contains(page.body, "Dacorum") {
		t.Errorf("the history: %d, or it tells of another agency", page.status)
	}
}

func TestReferenceDataPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("partnership@police.example", tropic.RolePartnershipAdmin)
	c := ts.client(t)
	c.signInWaived("partnership@police.example")

	t.Run("A district is added, and bad input names the field and keeps what was typed", func(t *testing.T) {
		res := c.post("/admin/districts", url.Values{"name": {"Three Rivers"}, "slug": {"Three Rivers!"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#slug"`) || !strings.Contains(res.body, `value="Three Rivers"`) {
			t.Errorf("the refused form:\n%s", brief(res.body))
		}
		if res := c.post("/admin/districts", url.Values{"name": {"Three Rivers"}, "slug": {"three-rivers"}}); res.status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", res.status, brief(res.body))
		}
		if page := c.get("/admin/districts"); !strings.Contains(page.body, "three-rivers") {
			t.Errorf("the district is not listed:\n%s", brief(page.body))
		}
	})
	t.Run("A one-off bank holiday is recorded and counted", func(t *testing.T) {
		year := ts.clock.Now().Year() + 1
		res := c.post("/admin/holidays", url.Values{"date": {"30/02/2027"}, "name": {"Nonsense"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `href="#date"`) || !strings.Contains(res.body, `value="Nonsense"`) {
			t.Errorf("the refused form:\n%s", brief(res.body))
		}
		date := strconv.Itoa(year) + "-07-14"
		if res := c.post("/admin/holidays", url.Values{"date": {date}, "name": {"Partnership day"}}); res.status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", res.status, brief(res.body))
		}
		if page := c.get("/admin/holidays"); !strings.Contains(page.body, "14 July "+strconv.Itoa(year)) || !strings.Contains(page.body, "Partnership day") {
			t.Errorf("the holiday is not listed:\n%s", brief(page.body))
		}
	})
	t.Run("Both show on the administration history", func(t *testing.T) {
		page := c.get("/admin/history")
		for _, want := range []string{"District added", "Bank holiday changed"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the history lacks %q", want)
			}
		}
	})
	t.Run("An agency administrator reaches neither", func(t *testing.T) {
		ts.addUser("admin@police.example", tropic.RoleAdmin)
		a := ts.client(t)
		a.signInWaived("admin@police.example")
		wantStatus(t, a.get("/admin/holidays"), http.StatusNotFound)
		wantStatus(t, a.post("/admin/districts", url.Values{"name": {"X"}, "slug": {"x"}}), http.StatusNotFound)
		if err := ts.srv.deps.Reports.CreateDistrict(context.Background(), tropic.ActorFor(ts.addUser("admin2@police.example", tropic.RoleAdmin)),
			tropic.District{Slug: "y", Name: "Y"}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("the store lets an agency administrator add a district: %v", err)
		}
	})
}

func TestLeaversPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	admin := ts.addUser("admin@police.example", tropic.RoleAdmin)
	gone := ts.addUser("gone@police.example", tropic.RoleCaseworker)
	ts.clock.Advance(100 * 24 * time.Hour)
	back := ts.addUser("new@police.example", tropic.RoleCaseworker) // added today: no leaver
	c := ts.client(t)
	c.signInWaived("admin@police.example")

	page := c.get("/admin/leavers")
	if !strings.Contains(page.body, "gone@police.example") || strings.Contains(page.body, "new@police.example") || strings.Contains(page.body, `value="`+strconv.FormatInt(admin.ID, 10)+`"`) {
		t.Fatalf("the leavers listed:\n%s", brief(page.body))
	}
	since := regexp.MustCompile(`name="since" value="(\d+)"`).FindStringSubmatch(page.body)[1]
	res := c.post("/admin/leavers", url.Values{"since": {since}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose at least one user to disable") {
		t.Errorf("none ticked: %d\n%s", res.status, brief(res.body))
	}
	res = c.post("/admin/leavers", url.Values{"since": {since}, "users": {strconv.FormatInt(gone.ID, 10), strconv.FormatInt(back.ID, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("disable: %d\n%s", res.status, brief(res.body))
	}
	if page := c.get(res.location()); !strings.Contains(page.body, "1 user disabled. Left as they were: 1 (signed in recently") {
		t.Errorf("the message after disabling:\n%s", brief(page.body))
	}
	if u, _ := ts.users.FindUserByID(context.Background(), gone.ID); !u.Disabled {
		t.Error("the leaver is still enabled")
	}
	if u, _ := ts.users.FindUserByID(context.Background(), back.ID); u.Disabled {
		t.Error("a user who is no leaver was disabled")
	}
}

// Where the second step of signing in is waived (the demo), no page or e-mail of an
// invitation says an authenticator app is set up next: the user is signed straight in.
func TestAnInvitationOnAServerWithoutASecondFactorPromisesNone(t *testing.T) {
	t.Parallel()
	ts, mailer, admin := inviteServer(t, Config{MFAWaived: true})
	if page := admin.get("/admin/users/invite"); strings.Contains(page.body, "authenticator") || !strings.Contains(page.body, "signed in straight away") {
		t.Errorf("the invite page:\n%s", brief(page.body))
	}
	res := admin.post("/admin/users/invite", url.Values{"name": {"Wes Waived"}, "email": {"wes@police.example"}, "roles": {"caseworker"}})
	wantStatus(t, res, http.StatusSeeOther)
	mail := mailer.last(t)
	m := inviteLinkRE.FindStringSubmatch(mail.Body)
	if m == nil || strings.Contains(mail.Body, "authenticator") {
		t.Fatalf("the e-mail:\n%s", mail.Body)
	}
	if page := admin.get(res.location()); strings.Contains(page.body, "after their second factor") {
		t.Errorf("the user's page promises a second factor:\n%s", brief(page.body))
	}
	wes := ts.client(t)
	link := "/invite/" + m[1]
	if page := wes.get(link); page.status != http.StatusOK || strings.Contains(page.body, "next you will set up an authenticator app") {
		t.Fatalf("GET %s: %d\n%s", link, page.status, brief(page.body))
	}
	res = wes.post(link, url.Values{"password": {"amber kettle violin 42"}, "confirm": {"amber kettle violin 42"}})
	if res.status != http.StatusSeeOther || res.location() != "/staff" {
		t.Fatalf("POST %s: %d to %q", link, res.status, res.location())
	}
}
