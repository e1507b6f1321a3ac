package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tropic/internal/notify/mailpittest"
	"tropic/internal/store"
)

// TestServeEmailsAnUrgentReportWithoutPersonalData takes an urgent report through the
// API of a running server configured with the TROPIC_SMTP_* variables, and reads the
// notification back from a real SMTP server.
func TestServeEmailsAnUrgentReportWithoutPersonalData(t *testing.T) {
	mp := mailpittest.Start(t)
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))
	if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "tri.age@testshire.example",
		"--name", "Tri Age", "--agency", "Testshire Police", "--roles", "triage"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	secret, _, err := tropicCmd(t, vars, "", "token", "create", "--user", "tri.age@testshire.example", "--name", "helpline")
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	to := mailpittest.NewRecipient(t, "triage-hub")
	vars["TROPIC_SMTP_ADDR"] = mp.SMTPAddr
	vars["TROPIC_SMTP_TLS"] = "none"
	vars["TROPIC_MAIL_FROM"] = "Tropic <tropic@testshire.example>"
	vars["TROPIC_TRIAGE_EMAILS"] = to
	vars["TROPIC_BASE_URL"] = "https://tropic.testshire.example/"
	inst := start(t, vars, "serve")

	body := `{"description": "Quentin Marlowby keeps the workers locked in the yard", "location": {"address": "7 Brackenridge Close", "postcode": "AL1 3JX", "district": "not_sure"},
		"in_danger": "no", "exploitation_types": ["labour"], "indicators": ["documents_withheld"],
		"people": {"count": 4, "children_involved": "no", "description": "men with bandaged hands"},
		"vehicles": [{"registration": "AB12 CDE", "description": "white van"}], "phones": ["07700 900123"], "businesses": ["Brackenridge Motors"],
		"reporter": {"anonymous": false, "name": "Harriet Vellacott", "contact": "harriet.vellacott@example.net"}, "channel": "helpline"}`
	req, _ := http.NewRequest(http.MethodPost, inst.URL+"/api/v1/reports", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(secret))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var created struct{ Reference, Urgency string }
	if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &created) != nil || created.Urgency != "urgent" {
		t.Fatalf("POST /api/v1/reports: %d %s, want 201 and an urgent report", res.StatusCode, raw)
	}

	msgs := mp.WaitFor(t, to, 1, 20*time.Second)
	if len(msgs) != 1 || msgs[0].Subject != "Urgent report "+created.Reference {
		t.Fatalf("messages %+v, want one about %s", msgs, created.Reference)
	}
	text := mp.Text(t, msgs[0].ID)
	for _, want := range []string{created.Reference, "Urgent", "District:  Not sure", "https://tropic.testshire.example/triage/reports/" + created.Reference} {
		if !strings.Contains(text, want) {
			t.Errorf("message lacks %q:\n%s", want, text)
		}
	}
	whole := strings.NewReplacer("=\r\n", "", "=\n", "").Replace(mp.Raw(t, msgs[0].ID)) + text
	for _, p := range []string{"Quentin", "Marlowby", "locked", "Brackenridge", "AL1 3JX", "AL13JX", "bandaged", "AB12", "white van",
		"07700", "7700900123", "Harriet", "Vellacott", "harriet.vellacott", "documents", "passport"} {
		if strings.Contains(whole, p) {
			t.Errorf("the e-mail contains personal data or detail %q:\n%s", p, whole)
		}
	}
	if logs := inst.Stderr.String(); !strings.Contains(logs, "urgent report notification sent") {
		t.Errorf("the server did not log the notification:\n%s", logs)
	}
}

func TestServeWithoutMailConfigLogsThatNotificationsAreOff(t *testing.T) {
	vars := keyedVars(t, filepath.Join(t.TempDir(), "tropic.db"))
	inst := start(t, vars, "serve")
	if logs := inst.Stderr.String(); !strings.Contains(logs, "e-mail notifications are off") {
		t.Errorf("serve did not say that e-mail is off:\n%s", logs)
	}
}

func TestServeRefusesIncompleteMailSettings(t *testing.T) {
	for name, extra := range map[string]map[string]string{
		"no sender":        {"TROPIC_SMTP_ADDR": "127.0.0.1:2525", "TROPIC_TRIAGE_EMAILS": "hub@testshire.example"},
		"no recipients":    {"TROPIC_SMTP_ADDR": "127.0.0.1:2525", "TROPIC_MAIL_FROM": "tropic@testshire.example"},
		"no server":        {"TROPIC_MAIL_FROM": "tropic@testshire.example", "TROPIC_TRIAGE_EMAILS": "hub@testshire.example"},
		"bad address":      {"TROPIC_SMTP_ADDR": "mail.testshire.example", "TROPIC_MAIL_FROM": "tropic@testshire.example", "TROPIC_TRIAGE_EMAILS": "hub@testshire.example"},
		"bad tls policy":   {"TROPIC_SMTP_ADDR": "127.0.0.1:2525", "TROPIC_MAIL_FROM": "tropic@testshire.example", "TROPIC_TRIAGE_EMAILS": "hub@testshire.example", "TROPIC_SMTP_TLS": "sometimes"},
		"bad recipient":    {"TROPIC_SMTP_ADDR": "127.0.0.1:2525", "TROPIC_MAIL_FROM": "tropic@testshire.example", "TROPIC_TRIAGE_EMAILS": "hub at testshire"},
		"password no user": {"TROPIC_SMTP_ADDR": "127.0.0.1:2525", "TROPIC_MAIL_FROM": "tropic@testshire.example", "TROPIC_TRIAGE_EMAILS": "hub@testshire.example", "TROPIC_SMTP_PASSWORD": "x"},
		"bad base url":     {"TROPIC_BASE_URL": "tropic.testshire.example"},
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "tropic.db")}
			for k, v := range extra {
				vars[k] = v
			}
			_, _, err := tropicCmd(t, vars, "", "serve", "--addr", "127.0.0.1:0")
			var u errUsage
			if !errors.As(err, &u) {
				t.Errorf("got %v, want a usage error", err)
			}
		})
	}
}

// TestJobQueueSchemaIsMigratedByTropicMigrate: a database whose own schema is current
// but which lacks River's tables is refused by serve --no-migrate, and tropic migrate
// adds them.
func TestJobQueueSchemaIsMigratedByTropicMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tropic.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	vars := keyedVars(t, path)
	_, _, err = tropicCmd(t, vars, "", "serve", "--no-migrate", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "job queue schema") || !strings.Contains(err.Error(), "run 'tropic migrate' first") {
		t.Errorf("serve --no-migrate: got %v, want a refusal naming the job queue and tropic migrate", err)
	}
	out, _, err := tropicCmd(t, vars, "", "migrate", "--status")
	if err != nil || !strings.Contains(out, "job queue schema version 0;") {
		t.Errorf("migrate --status: got %q, %v", out, err)
	}
	out, _, err = tropicCmd(t, vars, "", "migrate")
	if err != nil || !strings.Contains(out, "the schema is up to date") || !strings.Contains(out, "job queue migrations; the job queue schema is at version") {
		t.Errorf("migrate: got %q, %v", out, err)
	}
	out, _, err = tropicCmd(t, vars, "", "migrate")
	if err != nil || !strings.Contains(out, "the job queue schema is up to date") {
		t.Errorf("second migrate: got %q, %v", out, err)
	}
	start(t, vars, "serve", "--no-migrate")
}
