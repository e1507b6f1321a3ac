package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// The rows of the authorisation matrix for every route that is not about cases,
// people or referrals: public pages, reporting, signing in, the staff home, triage,
// campaigns, statistics, the reports API and operations. Together with apiMatrix and
// pageMatrix they cover every route the server registers (TestAuthorisationMatrix
// fails on a route without a row).

// Rules of the routes outside cases.

// signedIn: any member of staff, whatever their role or agency.
func signedIn(*matrixUser) expect { return allowed }

// onlyRoles: a list, page or form for some roles only; to anyone else, refused.
func onlyRoles(roles ...tropic.Role) func(*matrixUser) expect {
	return func(u *matrixUser) expect {
		if slices.Contains(roles, u.role) {
			return allowed
		}
		return refused
	}
}

// mayTriage: the triage queue, for every triage user (outside the hub, it lists only
// what was passed to their agency).
func mayTriage(u *matrixUser) expect { return onlyRoles(tropic.RoleTriage)(u) }

// mayTriageHub: a report's triage page and actions, for the hub's triage users only: A
// is the matrix's triage hub (agencies.triage_hub).
func mayTriageHub(u *matrixUser) expect {
	if u.agency == "A" {
		return onlyRoles(tropic.RoleTriage)(u)
	}
	return refused
}

// mayBulkTriage: bulk actions in the queue, for the hub's triage users; a triage user
// outside the hub reaches the queue (what was passed to their agency) but is refused
// the action (tropic.MayBulkTriage).
func mayBulkTriage(u *matrixUser) expect {
	if e := mayTriage(u); e != allowed || u.agency == "A" {
		return e
	}
	return forbidden
}

// mayReadInbox: an inbox of reports passed to the agency (tropic.MayReadInbox):
// caseworkers and supervisors, and triage users outside the hub.
func mayReadInbox(u *matrixUser) expect {
	if u.agency != "A" && u.role == tropic.RoleTriage {
		return allowed
	}
	return onlyRoles(tropic.RoleCaseworker, tropic.RoleSupervisor)(u)
}

// mayActAsReceiver: the report passed to A, in A's inbox: A's caseworkers and
// supervisors read and act on it; to anyone else it is missing.
func mayActAsReceiver(u *matrixUser) expect {
	if u.agency == "A" && (u.role == tropic.RoleCaseworker || u.role == tropic.RoleSupervisor) {
		return allowed
	}
	return hidden
}

// apiActAsReceiver: the API's acknowledge and return on the report passed to A: A's
// caseworkers and supervisors may; A's triage hub and intake, who read the report,
// may not act for the agency's caseworkers; to anyone else it is missing.
func apiActAsReceiver(u *matrixUser) expect {
	switch {
	case u.agency != "A":
		return hidden
	case u.role == tropic.RoleCaseworker || u.role == tropic.RoleSupervisor:
		return allowed
	case u.role == tropic.RoleTriage || u.role == tropic.RoleIntake:
		return forbidden
	}
	return hidden
}

// apiAccept: accepting is making a case of the report, or adding it to one: A's case
// workers, and A's triage hub, which may open cases from reports; A's intake reads the
// report but opens no cases.
func apiAccept(u *matrixUser) expect {
	if u.agency == "A" && u.role == tropic.RoleTriage {
		return allowed
	}
	return apiActAsReceiver(u)
}

// mayDecideReport: a triage decision, by the hub's triage users only; to anyone else the
// report is missing.
func mayDecideReport(u *matrixUser) expect {
	if u.agency == "A" && u.role == tropic.RoleTriage {
		return allowed
	}
	return hidden
}

// freshPassed enters a new report and has A's triage user pass it to A, for an inbox
// row whose call changes the report (accepting or returning it).
func (f *matrixFixture) freshPassed() {
	f.t.Helper()
	f.freshReport()
	for _, u := range f.users {
		if u.agency == "A" && u.role == tropic.RoleTriage {
			f.must(f.ts.srv.deps.Reports.DecideReport(context.Background(), u.actor(), f.freshRef,
				tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: f.agencies["A"].ID, Reason: "Matrix: A's inbox"}))
			return
		}
	}
	f.t.Fatal("no triage user of A")
}

// passedPath is prefix, then the report passed to A (or the fresh one), then action.
func passedPath(prefix string, fresh bool, action string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		ref := f.reportRef
		if fresh {
			ref = f.freshRef
		}
		if missing {
			ref = matrixMissingReport
		}
		return prefix + ref + action
	}
}

func inboxPath(fresh bool, action string) func(*matrixFixture, *matrixUser, bool) string {
	return passedPath("/inbox/reports/", fresh, action)
}

func reportAPIPath(fresh bool, action string) func(*matrixFixture, *matrixUser, bool) string {
	return passedPath("/api/v1/reports/", fresh, action)
}

// mayManageCampaigns: tropic.CanManageCampaigns.
func mayManageCampaigns(u *matrixUser) expect {
	return onlyRoles(tropic.RoleAnalyst, tropic.RoleAdmin)(u)
}

// mayReadStatistics: the staff statistics.
func mayReadStatistics(u *matrixUser) expect {
	return onlyRoles(tropic.RoleAnalyst, tropic.RoleAdmin)(u)
}

// mayAnalyse: the research export.
func mayAnalyse(u *matrixUser) expect { return onlyRoles(tropic.RoleAnalyst)(u) }

// mayTakeReports: recording a report received by staff, on the call handlers' page
// and through the API (tropic.CanTakeReports).
func mayTakeReports(u *matrixUser) expect { return onlyRoles(tropic.RoleTriage, tropic.RoleIntake)(u) }

// mayListReports: the triage queue.
func mayListReports(u *matrixUser) expect { return onlyRoles(tropic.RoleTriage)(u) }

// mayReadTheReport: the report A's intake took, passed to A and linked to the case is
// read by the triage hub (A's triage users), A's intake, A's case workers
// (tropic.ReportAccessFor), and whoever sees the case (tropic.ReportSightFor).
func mayReadTheReport(u *matrixUser) expect {
	switch {
	case u.role == tropic.RoleTriage && u.agency == "A":
		return allowed
	case u.agency == "A" && (u.role == tropic.RoleIntake || u.role == tropic.RoleCaseworker || u.role == tropic.RoleSupervisor):
		return allowed
	case u.access() != tropic.AccessNone:
		return allowed
	}
	return hidden
}

// mayMessageTheReporter: whoever reads the report reads and writes its messages with
// the reporter (tropic.MayMessageReporter), except through a share without sensitive
// fields (C), which sees the report but is refused its messages.
func mayMessageTheReporter(u *matrixUser) expect {
	if u.agency == "C" && u.access() == tropic.AccessWithoutSensitive {
		return forbidden
	}
	return mayReadTheReport(u)
}

// freshReport enters a new report through A's intake, for a triage row to act on
// without one call's claim or decision standing in the next one's way.
func (f *matrixFixture) freshReport() {
	f.t.Helper()
	res, created := jsonCall(f.t, f.ts, "POST", "/api/v1/reports", f.intakeToken, helplineReport)
	if res.status != http.StatusCreated {
		f.t.Fatalf("POST /api/v1/reports: %d %s", res.status, res.body)
	}
	f.freshRef = created["reference"].(string)
}

func triagePath(action string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		ref := f.freshRef
		if missing {
			ref = matrixMissingReport
		}
		return "/triage/reports/" + ref + action
	}
}

// matrixMissingReport is a well-formed reference of no report.
var matrixMissingReport = tropic.NewReference()

// addCampaign makes the live campaign the campaign rows read and edit.
func (f *matrixFixture) addCampaign() {
	f.t.Helper()
	if f.ts.srv.deps.Campaigns == nil {
		f.t.Fatal("newTestServer wires no campaigns")
	}
	now := f.ts.clock.Now()
	c := &tropic.Campaign{Name: "Matrix campaign", Slug: "matrix-campaign", Hashtags: []string{"#Matrix"},
		StartsOn: now.AddDate(0, 0, -1).Format(time.DateOnly), EndsOn: now.AddDate(0, 0, 30).Format(time.DateOnly), Description: "Look closer."}
	f.must(f.ts.srv.deps.Campaigns.CreateCampaign(context.Background(), testAdmin, c))
}

// addRelease publishes the statistics release the public statistics rows read.
func (f *matrixFixture) addRelease() {
	f.t.Helper()
	f.release = publishRelease(f.t, f.ts, tropic.ReleaseQuarterly)
}

// releasePath is a path under the fixture's release.
func releasePath(rest string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		if missing {
			return "/statistics/releases/999999" + rest
		}
		return "/statistics/releases/" + f.release.IDString() + rest
	}
}

func campaignForm(name string) func(*matrixFixture, *matrixUser) any {
	return func(f *matrixFixture, _ *matrixUser) any {
		now := f.ts.clock.Now()
		return form("name", name, "hashtags", "#Matrix", "starts_on", now.AddDate(0, 0, -1).Format(time.DateOnly),
			"ends_on", now.AddDate(0, 0, 30).Format(time.DateOnly), "description", "Look closer.")
	}
}

// reportAnswers fills in the public form the user's browser was given.
func reportAnswers(f *matrixFixture, u *matrixUser) url.Values {
	return rpAnswers(rpFormKey(f.t, u.browser.get("/report/new").body), f.ts.clock.Now())
}

// apiRouteMatrix lists the API's routes outside cases and referrals.
func apiRouteMatrix() []matrixRow {
	return []matrixRow{
		{name: "GET /api/v1/openapi.json", public: http.StatusOK, path: fixed("/api/v1/openapi.json")},
		{name: "GET /api/v1/statistics", public: http.StatusOK, path: fixed("/api/v1/statistics")},
		{name: "GET /api/v1/statistics/releases", public: http.StatusOK, path: fixed("/api/v1/statistics/releases")},
		{name: "GET /api/v1/statistics/releases/{id}", public: http.StatusOK,
			path: func(f *matrixFixture, _ *matrixUser, _ bool) string {
				return "/api/v1/statistics/releases/" + f.release.IDString()
			}},
		{name: "GET /api/v1/me", rule: signedIn, path: fixed("/api/v1/me")},
		{name: "POST /api/v1/reports", rule: mayTakeReports, path: fixed("/api/v1/reports"), body: jsonBody(helplineReport)},
		{name: "GET /api/v1/reports", rule: mayListReports, path: fixed("/api/v1/reports")},
		{name: "POST /api/v1/reports/bulk", rule: mayBulkTriage, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: fixed("/api/v1/reports/bulk"), body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"action": "no_further_action", "references": []string{f.freshRef}, "reason": "Matrix: nothing to act on"}
			}},
		{name: "GET /api/v1/reports/{reference}", rule: mayReadTheReport,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				if missing {
					return "/api/v1/reports/" + matrixMissingReport
				}
				return "/api/v1/reports/" + f.reportRef
			}},
		{name: "POST /api/v1/reports/{reference}/decision", rule: mayDecideReport, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: reportAPIPath(true, "/decision"), body: jsonBody(map[string]any{"decision": "no_further_action", "reason": "Matrix: nothing to act on"})},
		{name: "GET /api/v1/inbox", rule: mayReadInbox, path: fixed("/api/v1/inbox")},
		{name: "POST /api/v1/reports/{reference}/acknowledge", rule: apiActAsReceiver, path: reportAPIPath(false, "/acknowledge")},
		{name: "POST /api/v1/reports/{reference}/accept", rule: apiAccept, before: func(f *matrixFixture, _ *matrixUser) { f.freshPassed() },
			path: reportAPIPath(true, "/accept"), body: jsonBody(map[string]any{"case_title": "Matrix: accepted through the API"})},
		{name: "POST /api/v1/reports/{reference}/return", rule: apiActAsReceiver, before: func(f *matrixFixture, _ *matrixUser) { f.freshPassed() },
			path: reportAPIPath(true, "/return"), body: jsonBody(map[string]any{"reason": "Matrix: not ours"})},
		{name: "GET /api/v1/reports/{reference}/messages", rule: mayMessageTheReporter, path: reportAPIPath(false, "/messages")},
		{name: "POST /api/v1/reports/{reference}/messages", rule: mayMessageTheReporter, path: reportAPIPath(false, "/messages"),
			body: jsonBody(map[string]any{"text": "Matrix: a question for the reporter"})},
		{name: "/api/", public: http.StatusNotFound, path: fixed("/api/v1/no-such-endpoint")},
	}
}

// pageRouteMatrix lists the pages outside cases and referrals.
func pageRouteMatrix() []matrixRow {
	return []matrixRow{
		// Operations and assets: the same to anyone.
		{name: "GET /healthz", public: http.StatusOK, path: fixed("/healthz")},
		{name: "GET /readyz", public: http.StatusOK, path: fixed("/readyz")},
		// /metrics is routed on the public listener only with a token (health_test.go); no
		// staff session nor anyone else without the token reads it.
		{name: "GET /metrics", public: http.StatusUnauthorized, path: fixed("/metrics")},
		{name: "GET /static/", public: http.StatusOK, path: fixed("/static/app.css")},
		{name: "GET /favicon.ico", public: http.StatusOK, path: fixed("/favicon.ico")},
		{name: "/", public: http.StatusNotFound, path: fixed("/no-such-page")},

		// Public pages, the same whoever asks.
		{name: "GET /{$}", public: http.StatusOK, path: fixed("/")},
		{name: "GET /accessibility", public: http.StatusOK, path: fixed("/accessibility")},
		{name: "GET /privacy", public: http.StatusOK, path: fixed("/privacy")},
		{name: "GET /exit", public: http.StatusSeeOther, path: fixed("/exit"), endsSession: true},
		{name: "GET /report", public: http.StatusOK, path: fixed("/report")},
		{name: "GET /report/new", public: http.StatusOK, path: fixed("/report/new")},
		{name: "GET /report/me", public: http.StatusOK, path: fixed("/report/me")},
		{name: "GET /report/me/new", public: http.StatusOK, path: fixed("/report/me/new")},
		{name: "POST /report/check", public: http.StatusOK, path: fixed("/report/check"),
			body: func(f *matrixFixture, u *matrixUser) any { return reportAnswers(f, u) }},
		{name: "POST /report/edit", public: http.StatusOK, path: fixed("/report/edit"),
			body: func(f *matrixFixture, u *matrixUser) any { return reportAnswers(f, u) }},
		// One report, sent by everyone: the same answers under the same form key are the
		// same report again, which no limit on new reports holds back.
		{name: "POST /report/submit", public: http.StatusOK, path: fixed("/report/submit"),
			body: func(f *matrixFixture, u *matrixUser) any {
				if f.reportKey == "" {
					f.reportKey = rpFormKey(f.t, u.browser.get("/report/new").body)
				}
				return rpHidden(u.browser.post("/report/check", rpAnswers(f.reportKey, f.ts.clock.Now())).body)
			}},
		{name: "GET /report/follow-up", public: http.StatusOK, path: fixed("/report/follow-up")},
		{name: "POST /report/follow-up", public: http.StatusUnprocessableEntity, path: fixed("/report/follow-up"),
			body: formBody("reference", "", "code", "", "information", "")},
		{name: "GET /report/follow-up/done", public: http.StatusOK, path: fixed("/report/follow-up/done")},
		{name: "GET /report/follow-up/messages", public: http.StatusOK, path: fixed("/report/follow-up/messages")},
		{name: "POST /report/follow-up/messages", public: http.StatusUnprocessableEntity, path: fixed("/report/follow-up/messages"),
			body: formBody("reference", "", "code", "")},
		{name: "POST /report/follow-up/messages/reply", public: http.StatusUnprocessableEntity, path: fixed("/report/follow-up/messages/reply"),
			body: formBody("reference", "", "code", "", "reply", "")},
		{name: "GET /campaigns", public: http.StatusOK, path: fixed("/campaigns")},
		{name: "GET /campaigns/{slug}", public: http.StatusOK, path: fixed("/campaigns/matrix-campaign")},
		{name: "GET /statistics", public: http.StatusOK, path: fixed("/statistics")},
		{name: "GET /statistics/{file}", public: http.StatusNotFound, path: fixed("/statistics/nothing.csv")},
		{name: "GET /statistics/releases", public: http.StatusOK, path: fixed("/statistics/releases")},
		{name: "GET /statistics/releases/{id}", public: http.StatusOK, path: releasePath("")},
		{name: "GET /statistics/releases/{id}/{file}", public: http.StatusOK, path: releasePath("/offences-month.csv")},

		// Signing in: the forms are open to anyone.
		{name: "GET /login", rule: signedIn, anon: http.StatusOK, path: fixed("/login")}, // signed in: on to the staff home
		{name: "POST /login", public: http.StatusUnprocessableEntity, path: fixed("/login"), body: formBody("email", "", "password", "")},
		// Single sign-on: open to anyone; the matrix's server has no provider, and an
		// answer without a sign-on started is refused.
		{name: "GET /login/sso/{id}", public: http.StatusNotFound, path: fixed("/login/sso/police")},
		{name: "GET /login/sso/callback", public: http.StatusBadRequest, path: fixed("/login/sso/callback?state=x&code=y")},
		// Forgotten passwords: open to anyone (the matrix's server sends no e-mail); a
		// link that is not one does not work.
		{name: "GET /password/forgot", public: http.StatusOK, path: fixed("/password/forgot")},
		{name: "POST /password/forgot", public: http.StatusOK, path: fixed("/password/forgot"), body: formBody("email", "someone@police.example"),
			// Ten asks an hour from one address: the matrix asks once per user from one.
			before: func(f *matrixFixture, _ *matrixUser) { f.ts.srv.resetClientLimiter.forgetAll() }},
		{name: "GET /password/reset", public: http.StatusGone, path: fixed("/password/reset?token=nothing")},
		{name: "POST /password/reset", public: http.StatusGone, path: fixed("/password/reset"), body: formBody("token", "nothing", "password", "violet kettle harbour", "confirm", "violet kettle harbour")},
		// One's own password and confirming who one is: each user's own, naming no one.
		{name: "GET /account/password", rule: signedIn, path: fixed("/account/password")},
		{name: "POST /account/password", rule: signedIn, path: fixed("/account/password"),
			body:   formBody("current", testPassword, "password", "violet kettle harbour", "confirm", "violet kettle harbour"),
			before: func(f *matrixFixture, u *matrixUser) { f.changedPassword = u },
			after:  (*matrixFixture).restorePassword},
		{name: "GET /account/confirm", rule: signedIn, path: fixed("/account/confirm?next=/staff")},
		{name: "POST /account/confirm", rule: signedIn, path: fixed("/account/confirm"), body: formBody("password", testPassword, "next", "/staff")},
		{name: "GET /login/mfa/setup", public: http.StatusSeeOther, path: fixed("/login/mfa/setup")},
		{name: "GET /login/mfa/qr.png", public: http.StatusSeeOther, path: fixed("/login/mfa/qr.png")},
		{name: "POST /login/mfa/setup", public: http.StatusSeeOther, path: fixed("/login/mfa/setup"), body: formBody("code", "000000")},
		{name: "GET /login/mfa/recovery", public: http.StatusSeeOther, path: fixed("/login/mfa/recovery")},
		{name: "POST /login/mfa/recovery", public: http.StatusSeeOther, path: fixed("/login/mfa/recovery"), body: formBody("code", "ABCD-EFGH-JKLM-NPQR")},
		// Security keys: the sign-in ceremony needs a password just checked (JSON 401
		// without); adding one needs a recent sign-in and a started ceremony, and an
		// answer that is not an attestation is refused whoever sends it.
		{name: "POST /login/mfa/security-key/begin", public: http.StatusUnauthorized, path: fixed("/login/mfa/security-key/begin"), body: jsonPage(`{}`)},
		{name: "POST /login/mfa/security-key", public: http.StatusUnauthorized, path: fixed("/login/mfa/security-key"), body: jsonPage(`{}`)},
		{name: "GET /account/security-keys", rule: signedIn, path: fixed("/account/security-keys")},
		{name: "POST /account/security-keys/begin", rule: signedIn, path: fixed("/account/security-keys/begin"), body: jsonPage(`{"name": "Blue key"}`)},
		{name: "POST /account/security-keys", rule: signedIn, signedInStatus: http.StatusBadRequest, path: fixed("/account/security-keys"), body: jsonPage(`{}`)},
		// No such key of the user's own: the missing page (another user's key answers the same).
		{name: "POST /account/security-keys/{id}/remove", rule: signedIn, signedInStatus: http.StatusNotFound, path: fixed("/account/security-keys/987654/remove")},
		{name: "GET /account/recovery-codes", rule: signedIn, path: fixed("/account/recovery-codes")},
		{name: "POST /account/recovery-codes", rule: signedIn, path: fixed("/account/recovery-codes")},
		{name: "GET /login/mfa", public: http.StatusSeeOther, path: fixed("/login/mfa")},
		{name: "POST /login/mfa", public: http.StatusSeeOther, path: fixed("/login/mfa"), body: formBody("code", "000000")},

		// Staff pages.
		{name: "GET /staff", rule: signedIn, path: fixed("/staff")},
		{name: "GET /triage", rule: mayTriage, path: fixed("/triage")},
		{name: "GET /triage/reports/{ref}", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("")},
		{name: "POST /triage/reports/{ref}/claim", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("/claim")},
		{name: "POST /triage/reports/{ref}/notes", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("/notes"), body: formBody("note", "A matrix note")},
		{name: "POST /triage/reports/{ref}/urgency", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("/urgency"), body: formBody("urgency", "urgent", "urgency_reason", "Matrix: children seen")},
		{name: "POST /triage/reports/{ref}/messages", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("/messages"), body: formBody("message", "Matrix: a question for the reporter")},
		{name: "POST /triage/reports/{ref}/decision", rule: mayTriageHub, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: triagePath("/decision"), body: formBody("decision", "no_further_action", "reason", "Matrix: nothing to act on")},
		{name: "POST /triage/bulk", rule: mayBulkTriage, before: func(f *matrixFixture, _ *matrixUser) { f.freshReport() },
			path: fixed("/triage/bulk"), body: func(f *matrixFixture, _ *matrixUser) any {
				return form("action", "no_further_action", "reason", "Matrix: nothing to act on", "report", f.freshRef, "return", "/triage")
			}},
		{name: "GET /inbox", rule: mayReadInbox, path: fixed("/inbox")},
		{name: "GET /inbox/reports/{ref}", rule: mayActAsReceiver, path: inboxPath(false, "")},
		{name: "POST /inbox/reports/{ref}/acknowledge", rule: mayActAsReceiver, path: inboxPath(false, "/acknowledge")},
		{name: "POST /inbox/reports/{ref}/accept", rule: mayActAsReceiver, before: func(f *matrixFixture, _ *matrixUser) { f.freshPassed() },
			path: inboxPath(true, "/accept"), body: formBody("accept", "create_case", "case_title", "Matrix: from A's inbox")},
		{name: "POST /inbox/reports/{ref}/return", rule: mayActAsReceiver, before: func(f *matrixFixture, _ *matrixUser) { f.freshPassed() },
			path: inboxPath(true, "/return"), body: formBody("reason", "Matrix: not ours")},
		{name: "POST /inbox/reports/{ref}/messages", rule: mayActAsReceiver, before: func(f *matrixFixture, _ *matrixUser) { f.freshPassed() },
			path: inboxPath(true, "/messages"), body: formBody("message", "Matrix: a question for the reporter")},
		{name: "GET /intake/reports/new", rule: mayTakeReports, path: fixed("/intake/reports/new")},
		// A new form key for each call: each allowed user records one call.
		{name: "POST /intake/reports/new", rule: mayTakeReports, path: fixed("/intake/reports/new"),
			body: func(*matrixFixture, *matrixUser) any { return intakeAnswers(tropic.NewFormKey()) }},
		{name: "GET /staff/campaigns", rule: mayManageCampaigns, path: fixed("/staff/campaigns")},
		{name: "GET /staff/campaigns/new", rule: mayManageCampaigns, path: fixed("/staff/campaigns/new")},
		{name: "POST /staff/campaigns/new", rule: mayManageCampaigns, path: fixed("/staff/campaigns/new"),
			body: func(f *matrixFixture, u *matrixUser) any {
				return campaignForm("Matrix campaign by "+u.String()+" "+time.Now().Format(time.RFC3339Nano))(f, u)
			}},
		{name: "GET /staff/campaigns/{slug}/edit", rule: mayManageCampaigns,
			path: func(_ *matrixFixture, _ *matrixUser, missing bool) string {
				if missing {
					return "/staff/campaigns/no-such-campaign/edit"
				}
				return "/staff/campaigns/matrix-campaign/edit"
			}},
		{name: "POST /staff/campaigns/{slug}/edit", rule: mayManageCampaigns,
			path: func(_ *matrixFixture, _ *matrixUser, missing bool) string {
				if missing {
					return "/staff/campaigns/no-such-campaign/edit"
				}
				return "/staff/campaigns/matrix-campaign/edit"
			},
			body: func(f *matrixFixture, u *matrixUser) any {
				v := campaignForm("Matrix campaign")(f, u).(url.Values)
				v.Set("slug", "matrix-campaign")
				return v
			}},
		{name: "GET /staff/campaigns/{slug}/effect", rule: mayManageCampaigns, path: fixed("/staff/campaigns/matrix-campaign/effect")},
		{name: "GET /staff/exports/htcds.csv", rule: mayAnalyse, path: fixed("/staff/exports/htcds.csv")},
		{name: "GET /staff/exports/htcds.xlsx", rule: mayAnalyse, path: fixed("/staff/exports/htcds.xlsx")},
		{name: "GET /staff/statistics", rule: mayReadStatistics, path: fixed("/staff/statistics")},
		{name: "GET /staff/statistics/quarterly", rule: mayReadStatistics, path: fixed("/staff/statistics/quarterly")},
		{name: "GET /staff/statistics/quarterly.pdf", rule: mayReadStatistics, path: fixed("/staff/statistics/quarterly.pdf")},
		{name: "POST /staff/statistics/quarterly", rule: mayReadStatistics, path: fixed("/staff/statistics/quarterly"), body: formBody("commentary", "A quiet quarter.")},
		{name: "POST /staff/statistics/quarterly.pdf", rule: mayReadStatistics, path: fixed("/staff/statistics/quarterly.pdf"), body: formBody("commentary", "A quiet quarter.")},
		{name: "GET /staff/statistics/{file}", rule: mayReadStatistics, path: fixed("/staff/statistics/offences-quarter.csv")},

		{name: "POST /logout", public: http.StatusSeeOther, path: fixed("/logout"), endsSession: true},

		// Your sessions: each user's own; the path names no one else's.
		{name: "GET /account/sessions", rule: signedIn, path: fixed("/account/sessions")},
		{name: "POST /account/sessions/others", rule: signedIn, path: fixed("/account/sessions/others")},
		{name: "POST /account/sessions/{id}/end", rule: signedIn, path: func(f *matrixFixture, u *matrixUser, missing bool) string {
			if missing || u.anonymous {
				return idPath("/account/sessions/%d/end", 0, true)
			}
			return idPath("/account/sessions/%d/end", f.extraSession(u), false)
		}},
		// Signing out everywhere goes to the sign-in page, like signing out, and so reads as
		// /logout does (TestSignOutEverywhere checks who it signs out).
		{name: "POST /account/sessions/all", public: http.StatusSeeOther, path: fixed("/account/sessions/all"), endsSession: true},
	}
}

// extraSession stores another session of u's, as if signed in on a second browser, and
// returns its number.
func (f *matrixFixture) extraSession(u *matrixUser) int64 {
	f.t.Helper()
	ctx, token := context.Background(), "matrix-extra-"+u.user.Email+time.Now().Format(time.RFC3339Nano)
	if err := f.ts.sessions.CommitSession(ctx, token, []byte("x"), u.user.ID, tropic.SessionLimits{}); err != nil {
		f.t.Fatalf("extra session: %v", err)
	}
	list, err := f.ts.sessions.ListSessions(ctx, tropic.SystemActor("test"), u.user.ID, token, tropic.SessionLimits{})
	if err != nil {
		f.t.Fatalf("extra session: %v", err)
	}
	for _, ss := range list {
		if ss.Current {
			return ss.ID
		}
	}
	f.t.Fatalf("extra session not listed")
	return 0
}

// matrixMetricsToken routes /metrics on the matrix's server; no user of the matrix holds it.
const matrixMetricsToken = "matrix-metrics-token-for-tests-only"

// restorePassword gives back testPassword to the user who just changed theirs, so that
// the rows after can sign them in again.
func (f *matrixFixture) restorePassword() {
	u := f.changedPassword
	if u == nil || u.user == nil {
		return
	}
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.ts.users.SetPassword(context.Background(), testAdmin, u.user.ID, hash); err != nil {
		f.t.Fatal(err)
	}
}
