package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tropic/internal/notify/mailpittest"
)

var cliInviteLinkRE = regexp.MustCompile(`https?://\S+/invite/([A-Za-z0-9_-]{43})`)

// A partnership's first administrator, as the README tells: added with the partnership
// administrator role, who then invites others; the command line makes the same
// invitations as the pages, printed when e-mail is not set up and e-mailed when it is.
func TestUserInviteCommand(t *testing.T) {
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))
	if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "first.admin@testshire.example",
		"--name", "First Admin", "--agency", "Testshire Police", "--roles", "partnership_admin"); err != nil {
		t.Fatalf("user add --roles partnership_admin: %v", err)
	}
	base := []string{"user", "invite", "--base-url", "https://tropic.testshire.example"}
	out, _, err := tropicCmd(t, vars, "", append(base, "--email", "new@testshire.example", "--name", "New Starter", "--agency", "Testshire Police", "--roles", "triage")...)
	first := cliInviteLinkRE.FindStringSubmatch(out)
	if err != nil || first == nil || !strings.Contains(out, "https://tropic.testshire.example/invite/") {
		t.Fatalf("user invite: %q (%v), want a link printed", out, err)
	}
	out, _, err = tropicCmd(t, vars, "", append(base, "--email", "new@testshire.example")...)
	second := cliInviteLinkRE.FindStringSubmatch(out)
	if err != nil || second == nil || second[1] == first[1] {
		t.Fatalf("user invite again: %q (%v), want a new link", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "", append(base, "--email", "new@testshire.example", "--roles", "admin")...); exitCode(err) != 2 {
		t.Errorf("inviting an existing user with new details: %v, want a usage error", err)
	}
	if _, _, err := tropicCmd(t, vars, "", "user", "invite", "--email", "x@testshire.example"); exitCode(err) != 2 || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("no base URL: %v, want a usage error naming --base-url", err)
	}

	// The server takes the newer link and refuses the older, plainly.
	inst := start(t, vars, "serve")
	if status, body := get(t, http.DefaultClient, inst.URL+"/invite/"+first[1]); status != http.StatusGone || !strings.Contains(body, "replaced by a newer one") {
		t.Errorf("the older link: %d", status)
	}
	jar, _ := cookiejar.New(nil)
	res, err := (&http.Client{Jar: jar}).PostForm(inst.URL+"/invite/"+second[1], url.Values{"password": {"copper lantern meadow 8"}, "confirm": {"copper lantern meadow 8"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/login/mfa/setup" {
		t.Errorf("after choosing a password: at %s, want the authenticator set-up", res.Request.URL.Path)
	}

	// With e-mail set up, the link goes by e-mail, not to the terminal.
	mp := mailpittest.Start(t)
	to := mailpittest.NewRecipient(t, "invitee")
	vars["TROPIC_SMTP_ADDR"], vars["TROPIC_MAIL_FROM"], vars["TROPIC_SMTP_TLS"] = mp.SMTPAddr, "Tropic <tropic@testshire.example>", "none"
	out, _, err = tropicCmd(t, vars, "", append(base, "--email", to, "--name", "Mailed Person", "--agency", "Testshire Police", "--roles", "caseworker")...)
	if err != nil || cliInviteLinkRE.MatchString(out) {
		t.Fatalf("user invite with e-mail: %q (%v), want no link on the terminal", out, err)
	}
	msgs := mp.WaitFor(t, to, 1, 10*time.Second)
	text := mp.Text(t, msgs[0].ID)
	if !cliInviteLinkRE.MatchString(text) || strings.Contains(text, "Mailed Person") {
		t.Errorf("the invitation e-mail:\n%s", text)
	}
}
