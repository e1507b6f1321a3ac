package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// Notifications are e-mailed by each user's choice, through a real SMTP server: one
// e-mail each, or a digest listing them; never twice, and never with personal data.
func TestNotificationsAreEmailedByEachUsersChoiceOnce(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			mp := mailpittest.Start(t)
			db := storetest.Open(t, d)
			if _, err := jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil); err != nil {
				t.Fatal(err)
			}
			agencies, users := store.NewAgencyService(db), store.NewUserService(db)
			cases, notices := store.NewCaseService(db, phone.Parse), store.NewNotificationService(db)
			police := &tropic.Agency{Name: "Hertfordshire Constabulary", Kind: tropic.AgencyPolice}
			if err := agencies.CreateAgency(ctx, system, police); err != nil {
				t.Fatal(err)
			}
			user := func(prefix string, role tropic.Role, m tropic.NotificationEmail) (tropic.Actor, string) {
				to := mailpittest.NewRecipient(t, prefix)
				u := &tropic.User{Email: to, Name: "Test " + prefix, AgencyID: police.ID, Roles: []tropic.Role{role}}
				if err := users.CreateUser(ctx, system, u, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5"); err != nil {
					t.Fatal(err)
				}
				a := tropic.ActorFor(u)
				if err := notices.SetNotificationEmail(ctx, a, m); err != nil {
					t.Fatal(err)
				}
				return a, to
			}
			super, superTo := user("super", tropic.RoleSupervisor, tropic.NotificationEmailEach)
			each, eachTo := user("each", tropic.RoleCaseworker, tropic.NotificationEmailEach)
			digest, digestTo := user("digest", tropic.RoleCaseworker, tropic.NotificationEmailDigest)
			none, noneTo := user("none", tropic.RoleCaseworker, tropic.NotificationEmailNone)
			c := &tropic.Case{Title: "Car wash run by Zebulon Quxworth", District: "st-albans"}
			if err := cases.CreateCase(ctx, super, c, ""); err != nil {
				t.Fatal(err)
			}
			for _, a := range []tropic.Actor{each, digest, digest, none} {
				if err := cases.AddTask(ctx, super, c.Reference, &tropic.Task{Title: "Visit Zebulon Quxworth", AssignedUser: a.UserID}); err != nil {
					t.Fatal(err)
				}
			}
			logs := &logBuffer{}
			q, err := jobs.New(jobs.Config{Dialect: jobs.Dialect(d), DB: db.SQL(), Logger: slog.New(slog.NewTextHandler(logs, nil)),
				Reports: store.NewReportService(db, nil, phone.Parse), Mailer: mailerFor(t, mp), BaseURL: baseURL,
				Notifications: notices, NotificationInterval: time.Hour, FetchPollInterval: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				q.Stop(stop)
			})
			for _, choice := range []tropic.NotificationEmail{tropic.NotificationEmailEach, tropic.NotificationEmailDigest, tropic.NotificationEmailEach} {
				if err := q.QueueNotificationMail(ctx, choice); err != nil {
					t.Fatal(err)
				}
			}
			msgs := mp.WaitFor(t, eachTo, 1, 20*time.Second)
			dmsgs := mp.WaitFor(t, digestTo, 1, 20*time.Second)
			waitKind(t, q, jobs.NotificationMailJob{}.Kind(), 3)
			if len(msgs) != 1 || msgs[0].Subject != "Tropic notification about "+c.Reference {
				t.Fatalf("each: got %+v, want one e-mail about %s", msgs, c.Reference)
			}
			text := mp.Text(t, msgs[0].ID)
			for _, want := range []string{"A task on case " + c.Reference + " was assigned to you.", baseURL + "/cases/" + c.Reference + "#tasks", baseURL + "/account/notifications"} {
				if !strings.Contains(text, want) {
					t.Errorf("e-mail lacks %q:\n%s", want, text)
				}
			}
			if len(dmsgs) != 1 || dmsgs[0].Subject != "Tropic: 2 unread notifications" {
				t.Fatalf("digest: got %+v, want one digest of 2", dmsgs)
			}
			for _, m := range append(msgs, dmsgs...) {
				raw := mp.Raw(t, m.ID)
				if strings.Contains(raw, "Zebulon") || strings.Contains(raw, "Quxworth") {
					t.Errorf("e-mail holds personal data:\n%s", raw)
				}
			}
			// The third run found nothing new: nobody got an e-mail twice.
			time.Sleep(300 * time.Millisecond)
			if n := len(mp.MessagesTo(t, eachTo)); n != 1 {
				t.Errorf("the user who wants each got %d e-mails, want 1", n)
			}
			if n := len(mp.MessagesTo(t, noneTo)) + len(mp.MessagesTo(t, superTo)); n != 0 {
				t.Errorf("users with nothing to hear by e-mail got %d", n)
			}
		})
	}
}
