package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The rows of the authorisation matrix for the administration pages and for choosing a
// password. Their target is a caseworker of agency A whom the rows act on (adminTarget):
// A's administrator and every partnership administrator may; another agency's
// administrator gets exactly the missing page; everyone else gets the missing page too,
// the pages being for administrators only.

// mayAdminister: the lists and forms of administration, for agency and partnership
// administrators (each sees what is theirs).
func mayAdminister(u *matrixUser) expect {
	return onlyRoles(tropic.RoleAdmin, tropic.RolePartnershipAdmin)(u)
}

// mayAdminUser: acting on A's user.
func mayAdminUser(u *matrixUser) expect {
	switch {
	case u.role == tropic.RolePartnershipAdmin, u.role == tropic.RoleAdmin && u.agency == "A":
		return allowed
	case u.role == tropic.RoleAdmin:
		return hidden
	}
	return refused
}

// mayMoveUser: only a partnership administrator; A's administrator is told why not.
func mayMoveUser(u *matrixUser) expect {
	if u.role == tropic.RoleAdmin && u.agency == "A" {
		return forbidden
	}
	return mayAdminUser(u)
}

// mayRunPartnership: the agencies, for partnership administrators only.
func mayRunPartnership(u *matrixUser) expect { return onlyRoles(tropic.RolePartnershipAdmin)(u) }

// adminTarget is A's caseworker whom the rows act on, made once, and put back as the
// rows need it: enabled, in A, a caseworker.
func (f *matrixFixture) adminTarget() int64 {
	f.t.Helper()
	ctx := context.Background()
	if f.targetID == 0 {
		u := &tropic.User{Email: "matrix.target@a.example", Name: "Matrix Target", AgencyID: f.agencies["A"].ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		f.must(f.ts.users.CreateUser(ctx, testAdmin, u, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"))
		f.targetID = u.ID
	}
	f.must(f.ts.users.EnableUser(ctx, testAdmin, f.targetID))
	f.must(f.ts.users.MoveUser(ctx, testAdmin, f.targetID, f.agencies["A"].ID))
	f.must(f.ts.users.SetRoles(ctx, testAdmin, f.targetID, []tropic.Role{tropic.RoleCaseworker}))
	return f.targetID
}

// adminAgency is the scratch agency the agency rows edit, disable and enable.
func (f *matrixFixture) adminAgency() int64 {
	f.t.Helper()
	if f.scratchAgency == 0 {
		a := &tropic.Agency{Name: "Matrix scratch agency", Kind: tropic.AgencyCharity}
		f.must(f.ts.agencies.CreateAgency(context.Background(), testAdmin, a))
		f.scratchAgency = a.ID
	}
	return f.scratchAgency
}

func onTarget(format string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		return idPath(format, f.adminTarget(), missing)
	}
}

func onScratchAgency(format string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		return idPath(format, f.adminAgency(), missing)
	}
}

// scratchAgreement is the agreement between A and G the agreement rows read and
// change, and the expired-share rows let lapse.
func (f *matrixFixture) scratchAgreement() *tropic.SharingAgreement {
	f.t.Helper()
	if f.agreement == nil {
		f.agreement = &tropic.SharingAgreement{Title: "Matrix scratch agreement", Parties: []int64{f.agencies["A"].ID, f.agencies["G"].ID},
			Purposes: "Matrix", LawfulBases: []string{"consent"}, DataCategories: []string{"case"}, ReviewOn: "2031-01-01", DocumentRef: "MX-1"}
		f.must(f.ts.srv.deps.Agreements.CreateAgreement(context.Background(), testAdmin, f.agreement))
	}
	return f.agreement
}

func onScratchAgreement(format string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		return idPath(format, f.scratchAgreement().ID, missing)
	}
}

func agreementForm(f *matrixFixture, title, review string) url.Values {
	return form("title", title, "parties", fmt.Sprint(f.agencies["A"].ID), "parties", fmt.Sprint(f.agencies["G"].ID), "purposes", "Matrix",
		"lawful_bases", "consent", "data_categories", "case", "review_on", review, "document_ref", "MX-2")
}

// expiredShare shares A's case with G under the scratch agreement, then lets the
// agreement lapse: a share the A supervisors may end from their list.
func (f *matrixFixture) expiredShare() {
	f.t.Helper()
	ctx := context.Background()
	f.clearScratchShares()
	g := f.scratchAgreement()
	g.ReviewOn = "2031-01-01"
	f.must(f.ts.srv.deps.Agreements.UpdateAgreement(ctx, testAdmin, g))
	sh := &tropic.Share{AgencyID: f.agencies["G"].ID, Scope: tropic.ShareWhole, LawfulBasis: "consent", Reason: "Matrix expired share", AgreementID: g.ID}
	f.must(f.cases.RequestShare(ctx, f.aSup, f.ref, sh))
	f.shareID = sh.ID
	g.ReviewOn = "2020-01-01"
	f.must(f.ts.srv.deps.Agreements.UpdateAgreement(ctx, testAdmin, g))
}

// mayEndExpired: A's supervisors end the shares of A's case; another agency's
// supervisor names a share that, for them, does not exist.
func mayEndExpired(u *matrixUser) expect {
	switch {
	case u.role != tropic.RoleSupervisor:
		return refused
	case u.agency == "A":
		return allowed
	}
	return hidden
}

// matrixInviteSecret is a well-formed invitation secret of no invitation.
const matrixInviteSecret = "bm8tc3VjaC1pbnZpdGF0aW9uLWZvci10aGUtbWF0cml4LXRlc3Q"

// adminRouteMatrix lists the administration pages and the password pages.
func adminRouteMatrix() []matrixRow {
	invited := 0
	var nameEntry int64
	return []matrixRow{
		// Choosing a password: a link of no invitation is refused alike to anyone;
		// the new-password page is for someone part-way through signing in only.
		{name: "GET /invite/{token}", public: http.StatusNotFound, path: fixed("/invite/" + matrixInviteSecret)},
		{name: "POST /invite/{token}", public: http.StatusNotFound, path: fixed("/invite/" + matrixInviteSecret),
			body: formBody("password", "correct horse battery staple", "confirm", "correct horse battery staple")},
		{name: "GET /login/password", public: http.StatusSeeOther, path: fixed("/login/password")},
		{name: "POST /login/password", public: http.StatusSeeOther, path: fixed("/login/password"),
			body: formBody("password", "correct horse battery staple", "confirm", "correct horse battery staple")},

		{name: "GET /admin/users", rule: mayAdminister, path: fixed("/admin/users")},
		{name: "GET /admin/users ?filters", rule: mayAdminister, path: fixed("/admin/users?role=caseworker&status=active&idle=90&mfa=none")},
		{name: "GET /admin/users/invite", rule: mayAdminister, path: fixed("/admin/users/invite")},
		// Each administrator invites someone new, into their own agency (a partnership
		// administrator into A).
		{name: "POST /admin/users/invite", rule: mayAdminister, path: fixed("/admin/users/invite"),
			body: func(f *matrixFixture, u *matrixUser) any {
				invited++
				return form("name", "Matrix Invitee", "email", fmt.Sprintf("invitee-%d@%s.example", invited, strings.ToLower(u.agency)),
					"agency", fmt.Sprint(f.agencies["A"].ID), "roles", "caseworker")
			}},
		{name: "GET /admin/users/{id}", rule: mayAdminUser, path: onTarget("/admin/users/%d")},
		{name: "POST /admin/users/{id}/roles", rule: mayAdminUser, path: onTarget("/admin/users/%d/roles"), body: formBody("roles", "supervisor")},
		{name: "POST /admin/users/{id}/agency", rule: mayMoveUser, path: onTarget("/admin/users/%d/agency"),
			body: func(f *matrixFixture, _ *matrixUser) any { return form("agency", fmt.Sprint(f.agencies["A"].ID)) }},
		{name: "POST /admin/users/{id}/disable", rule: mayAdminUser, path: onTarget("/admin/users/%d/disable")},
		{name: "POST /admin/users/{id}/enable", rule: mayAdminUser, path: onTarget("/admin/users/%d/enable"),
			before: func(f *matrixFixture, _ *matrixUser) {
				f.must(f.ts.users.DisableUser(context.Background(), testAdmin, f.adminTarget()))
			}},
		{name: "POST /admin/users/{id}/reset-mfa", rule: mayAdminUser, path: onTarget("/admin/users/%d/reset-mfa")},
		{name: "POST /admin/users/{id}/require-password", rule: mayAdminUser, path: onTarget("/admin/users/%d/require-password")},
		{name: "POST /admin/users/{id}/sign-out", rule: mayAdminUser, path: onTarget("/admin/users/%d/sign-out")},
		{name: "POST /admin/users/{id}/invite", rule: mayAdminUser, path: onTarget("/admin/users/%d/invite")},
		{name: "GET /admin/leavers", rule: mayAdminister, path: fixed("/admin/leavers")},
		// The target signed in lately, so an allowed batch disables nobody; another
		// agency's administrator naming them gets the missing page.
		{name: "POST /admin/leavers", rule: mayAdminUser, path: fixed("/admin/leavers"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("users", fmt.Sprint(f.adminTarget()), "since", fmt.Sprint(time.Now().Unix()))
			},
			missingPath: "/admin/leavers", missingBody: formBody("users", fmt.Sprint(missingID))},
		{name: "GET /admin/history", rule: mayAdminister, path: fixed("/admin/history")},
		{name: "GET /admin/agencies", rule: mayRunPartnership, path: fixed("/admin/agencies")},
		{name: "GET /admin/agencies/new", rule: mayRunPartnership, path: fixed("/admin/agencies/new")},
		{name: "POST /admin/agencies/new", rule: mayRunPartnership, path: fixed("/admin/agencies/new"),
			body: func(_ *matrixFixture, u *matrixUser) any {
				return form("name", "Matrix agency by "+u.String()+" "+time.Now().Format(time.RFC3339Nano), "kind", "charity")
			}},
		{name: "GET /admin/agencies/{id}/edit", rule: mayRunPartnership, path: onScratchAgency("/admin/agencies/%d/edit")},
		{name: "POST /admin/agencies/{id}/edit", rule: mayRunPartnership, path: onScratchAgency("/admin/agencies/%d/edit"),
			body: formBody("name", "Matrix scratch agency", "kind", "charity", "flags", "first_responder", "inbox_email", "inbox@scratch.example")},
		{name: "POST /admin/agencies/{id}/disable", rule: mayRunPartnership, path: onScratchAgency("/admin/agencies/%d/disable")},
		{name: "POST /admin/agencies/{id}/enable", rule: mayRunPartnership, path: onScratchAgency("/admin/agencies/%d/enable")},
		{name: "GET /admin/districts", rule: mayRunPartnership, path: fixed("/admin/districts")},
		{name: "POST /admin/districts", rule: mayRunPartnership, path: fixed("/admin/districts"),
			body: func(*matrixFixture, *matrixUser) any {
				invited++
				return form("name", fmt.Sprintf("Matrix district %d", invited), "slug", fmt.Sprintf("matrix-%d", invited))
			}},
		{name: "GET /admin/agreements", rule: mayRunPartnership, path: fixed("/admin/agreements")},
		{name: "GET /admin/agreements/new", rule: mayRunPartnership, path: fixed("/admin/agreements/new")},
		{name: "POST /admin/agreements/new", rule: mayRunPartnership, path: fixed("/admin/agreements/new"),
			body: func(f *matrixFixture, u *matrixUser) any {
				invited++
				return agreementForm(f, fmt.Sprintf("Matrix agreement %d", invited), "2031-01-31")
			}},
		{name: "GET /admin/agreements/{id}", rule: mayRunPartnership, path: onScratchAgreement("/admin/agreements/%d")},
		{name: "POST /admin/agreements/{id}", rule: mayRunPartnership, path: onScratchAgreement("/admin/agreements/%d"),
			body: func(f *matrixFixture, u *matrixUser) any {
				return agreementForm(f, "Matrix scratch agreement", "2031-02-28")
			}},
		{name: "GET /admin/holidays", rule: mayRunPartnership, path: fixed("/admin/holidays")},
		{name: "POST /admin/holidays", rule: mayRunPartnership, path: fixed("/admin/holidays"),
			body: func(*matrixFixture, *matrixUser) any {
				invited++
				return form("date", fmt.Sprintf("2031-%02d-%02d", 1+invited%12, 1+invited%28), "name", "Matrix holiday")
			}},
		{name: "GET /admin/names", rule: mayRunPartnership, path: fixed("/admin/names")},
		{name: "POST /admin/names", rule: mayRunPartnership, path: fixed("/admin/names"),
			body: formBody("list", "familiar", "name", "Katarzyna", "forms", "Kasia", "source", "Matrix test")},
		// Each caller withdraws an entry in force made for them; a missing one is missing.
		{name: "POST /admin/names/{id}/withdraw", rule: mayRunPartnership,
			before: func(f *matrixFixture, _ *matrixUser) {
				id, err := store.NewNameListService(f.ts.db).AddNameEntry(context.Background(), testAdmin,
					tropic.NameEntry{List: tropic.NameListVariants, Name: "Yousif", Forms: []string{"Yusuf"}, Source: "Matrix test"})
				f.must(err)
				nameEntry = id
			},
			path: func(_ *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/admin/names/%d/withdraw", nameEntry, missing)
			}},
		{name: "GET /admin/how-heard", rule: mayRunPartnership, path: fixed("/admin/how-heard")},
		{name: "POST /admin/how-heard", rule: mayRunPartnership, path: fixed("/admin/how-heard"),
			body: func(*matrixFixture, *matrixUser) any {
				invited++
				return form("code", fmt.Sprintf("matrix_%d", invited), "label", "Matrix answer")
			}},
		{name: "POST /admin/how-heard/change", rule: mayRunPartnership, path: fixed("/admin/how-heard/change"),
			body: func(*matrixFixture, *matrixUser) any {
				invited++
				return form("change", "other", "wording", fmt.Sprintf("Another way (%d)", invited))
			}},
		{name: "GET /admin/settings", rule: mayRunPartnership, path: fixed("/admin/settings")},
		{name: "POST /admin/settings/threshold", rule: mayRunPartnership, path: fixed("/admin/settings/threshold"),
			body: func(*matrixFixture, *matrixUser) any {
				invited++
				return form("disclosure_threshold", fmt.Sprint(5+invited%2))
			}},
		{name: "POST /admin/settings/triage-targets", rule: mayRunPartnership, path: fixed("/admin/settings/triage-targets"),
			body: formBody("triage_targets", "1h", "triage_targets_urgent", "1wd", "triage_targets_routine", "5wd")},
		{name: "POST /admin/settings/acknowledge-targets", rule: mayRunPartnership, path: fixed("/admin/settings/acknowledge-targets"),
			body: formBody("acknowledge_targets", "1h", "acknowledge_targets_urgent", "1wd", "acknowledge_targets_routine", "2wd")},
	}
}

// recordingMailer keeps what it is asked to send, for tests.
type recordingMailer struct {
	mu   sync.Mutex
	sent []sentMail
	fail error
}

type sentMail struct {
	To            []string
	Subject, Body string
}

func (m *recordingMailer) Send(_ context.Context, to []string, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.sent = append(m.sent, sentMail{To: to, Subject: subject, Body: body})
	return nil
}

func (m *recordingMailer) last(t *testing.T) sentMail {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sent) == 0 {
		t.Fatal("no e-mail was sent")
	}
	return m.sent[len(m.sent)-1]
}
