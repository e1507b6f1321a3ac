package web

import "net/http"

// api registers an authenticated API route and remembers its pattern, so that a test
// can hold the OpenAPI document to the routes that exist.
func (s *Server) api(mux routeMux, pattern string, h http.Handler) {
	s.apiRoutes = append(s.apiRoutes, pattern)
	mux.Handle(pattern, s.requireToken(h))
}

// publicAPI registers an API route open to anyone, without a token, and remembers it
// for the OpenAPI test as well.
func (s *Server) publicAPI(mux routeMux, pattern string, h http.Handler) {
	s.publicAPIRoutes = append(s.publicAPIRoutes, pattern)
	mux.Handle(pattern, h)
}

// routeMux is the server's mux, noting every pattern registered so that tests can
// walk the routes that exist (the authorisation matrix covers each case route).
type routeMux struct {
	*http.ServeMux
	s *Server
}

func (m routeMux) Handle(pattern string, h http.Handler) {
	m.s.routePatterns = append(m.s.routePatterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// routes lists every route. Browser routes get sessions and cross-origin protection;
// API routes get bearer tokens and JSON only.
func (s *Server) routes() http.Handler {
	mux := routeMux{http.NewServeMux(), s}
	static := staticFiles()

	// Operations.
	mux.Handle("GET /healthz", s.handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	// The metrics tell live counts of reports and sign-ins: on this (public) listener
	// only to the metrics token, and not at all without one (see MetricsHandler).
	if s.cfg.MetricsToken != "" {
		mux.Handle("GET /metrics", s.requireMetricsToken(s.metrics.handler()))
	}

	// Assets.
	mux.Handle("GET /static/", handleStatic(static))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeFileFS(w, r, static, "favicon.ico")
	})

	// Public pages.
	mux.Handle("GET /{$}", s.browser(s.handleHome()))
	mux.Handle("GET /accessibility", s.browser(s.handleNoticePage("accessibility", "layout.accessibility")))
	mux.Handle("GET /privacy", s.browser(s.handleNoticePage("privacy", "layout.privacy")))
	mux.Handle("GET /exit", s.browser(s.handleExit()))

	// Reporting a concern, and adding to a report.
	mux.Handle("GET /report", s.browser(s.handleReportStart()))
	mux.Handle("GET /report/new", s.browser(s.handleReportForm()))
	mux.Handle("GET /report/me", s.browser(s.handleReportSelfStart()))
	mux.Handle("GET /report/me/new", s.browser(s.handleReportSelfForm()))
	mux.Handle("POST /report/check", s.browser(s.handleReportCheck()))
	mux.Handle("POST /report/edit", s.browser(s.handleReportEdit()))
	mux.Handle("POST /report/submit", s.browser(s.handleReportSubmit()))
	mux.Handle("GET /report/follow-up", s.browser(s.handleFollowUpForm()))
	mux.Handle("POST /report/follow-up", s.browser(s.handleFollowUp()))
	mux.Handle("GET /report/follow-up/done", s.browser(s.handleFollowUpDone()))
	mux.Handle("GET /report/follow-up/messages", s.browser(s.messages(s.handleReporterSignInForm())))
	mux.Handle("POST /report/follow-up/messages", s.browser(s.messages(s.handleReporterThread())))
	mux.Handle("POST /report/follow-up/messages/reply", s.browser(s.messages(s.handleReporterReply())))

	// Campaign pages (public), and the staff pages for campaigns and the research export.
	mux.Handle("GET /campaigns", s.browser(s.handleCampaignIndex()))
	mux.Handle("GET /campaigns/{slug}", s.browser(s.handleCampaignPublic()))
	mux.Handle("GET /campaigns/{slug}/posters/{id}", s.handlePoster())
	mux.Handle("GET /staff/campaigns", s.campaignStaff(s.handleCampaignList()))
	mux.Handle("GET /staff/campaigns/new", s.campaignStaff(s.handleCampaignNewForm()))
	mux.Handle("POST /staff/campaigns/new", s.campaignStaff(s.handleCampaignSave(false)))
	mux.Handle("GET /staff/campaigns/{slug}/edit", s.campaignStaff(s.handleCampaignEditForm()))
	mux.Handle("POST /staff/campaigns/{slug}/edit", s.campaignStaff(s.handleCampaignSave(true)))
	mux.Handle("POST /staff/campaigns/{slug}/posters", s.campaignStaff(s.handlePosterUpload()))
	mux.Handle("POST /staff/campaigns/{slug}/posters/{id}/remove", s.campaignStaff(s.handlePosterRemove()))
	mux.Handle("GET /staff/campaigns/{slug}/effect", s.campaignStaff(s.handleCampaignEffect()))
	mux.Handle("GET /staff/exports/htcds.csv", s.handleHTCDSExport("csv"))
	mux.Handle("GET /staff/exports/htcds.xlsx", s.handleHTCDSExport("xlsx"))

	// Published statistics (public), and the analysts' statistics.
	mux.Handle("GET /statistics", s.browser(s.handlePublicStats()))
	mux.Handle("GET /statistics/{file}", s.browser(s.handlePublicStatsDownload()))
	mux.Handle("GET /statistics/releases", s.browser(s.handlePublicReleases()))
	mux.Handle("GET /statistics/releases/{id}", s.browser(s.handlePublicRelease()))
	mux.Handle("GET /statistics/releases/{id}/{file}", s.browser(s.handlePublicReleaseDownload()))
	mux.Handle("GET /staff/statistics", s.browser(s.requireUser(s.requireAnalyst(s.handleStaffStats()))))
	for _, m := range []string{"GET", "POST"} {
		mux.Handle(m+" /staff/statistics/quarterly", s.browser(s.requireUser(s.requireAnalyst(s.handleStaffQuarterly(false)))))
		mux.Handle(m+" /staff/statistics/quarterly.pdf", s.browser(s.requireUser(s.requireAnalyst(s.handleStaffQuarterly(true)))))
	}
	mux.Handle("GET /staff/statistics/{file}", s.browser(s.requireUser(s.requireAnalyst(s.handleStaffStatsDownload()))))

	// The partnership's network, pseudonymised, for analysts (anyone else: the missing page).
	mux.Handle("GET /analysis/network", s.browser(s.requireUser(s.requireNetworkAnalyst(s.handleAnalystNetwork()))))
	mux.Handle("GET /analysis/network.csv", s.browser(s.requireUser(s.requireNetworkAnalyst(s.recentAuth(s.handleAnalystNetworkExport("csv"))))))
	mux.Handle("GET /analysis/network.graphml", s.browser(s.requireUser(s.requireNetworkAnalyst(s.recentAuth(s.handleAnalystNetworkExport("graphml"))))))
	// Asking the holding agency to reveal a person of the network (decision 75).
	mux.Handle("GET /analysis/reveals/new", s.browser(s.requireUser(s.requireNetworkAnalyst(s.requireReveals(s.handleRevealAskForm())))))
	mux.Handle("POST /analysis/reveals", s.browser(s.requireUser(s.requireNetworkAnalyst(s.requireReveals(s.handleRevealAsk())))))
	mux.Handle("GET /analysis/reveals", s.browser(s.requireUser(s.requireNetworkAnalyst(s.requireReveals(s.handleOwnReveals())))))

	// Signing in.
	mux.Handle("GET /login", s.browser(s.handleLoginForm()))
	mux.Handle("POST /login", s.browser(s.handleLogin()))
	mux.Handle("GET /login/sso/callback", s.browser(s.handleSSOCallback()))
	mux.Handle("GET /login/sso/{id}", s.browser(s.handleSSOStart()))
	mux.Handle("GET /login/mfa/setup", s.browser(s.handleMFASetupForm()))
	mux.Handle("GET /login/mfa/qr.png", s.browser(s.handleMFAQRCode()))
	mux.Handle("POST /login/mfa/setup", s.browser(s.handleMFASetup()))
	mux.Handle("GET /login/mfa", s.browser(s.handleMFAForm()))
	mux.Handle("POST /login/mfa", s.browser(s.handleMFA()))
	mux.Handle("GET /login/mfa/recovery", s.browser(s.handleMFARecoveryForm()))
	mux.Handle("POST /login/mfa/recovery", s.browser(s.handleMFARecovery()))
	mux.Handle("POST /login/mfa/security-key/begin", s.browser(s.handleKeySignInBegin()))
	mux.Handle("POST /login/mfa/security-key", s.browser(s.handleKeySignIn()))
	mux.Handle("GET /account/security-keys", s.browser(s.requireUser(s.recentAuth(s.handleSecurityKeys()))))
	mux.Handle("POST /account/security-keys/begin", s.browser(s.requireUser(s.handleSecurityKeyBegin())))
	mux.Handle("POST /account/security-keys", s.browser(s.requireUser(s.handleSecurityKeyFinish())))
	mux.Handle("POST /account/security-keys/{id}/remove", s.browser(s.requireUser(s.recentAuthBack(securityKeysPath, s.handleSecurityKeyRemove()))))
	mux.Handle("GET /account/recovery-codes", s.browser(s.requireUser(s.handleRecoveryCodes())))
	mux.Handle("POST /account/recovery-codes", s.browser(s.requireUser(s.recentAuth(s.handleNewRecoveryCodes()))))
	mux.Handle("POST /logout", s.browser(s.handleLogout()))
	mux.Handle("GET /password/forgot", s.browser(s.handlePasswordForgotForm()))
	mux.Handle("POST /password/forgot", s.browser(s.handlePasswordForgot()))
	mux.Handle("GET /password/reset", s.browser(s.handlePasswordResetForm()))
	mux.Handle("POST /password/reset", s.browser(s.handlePasswordReset()))
	mux.Handle("GET /account/password", s.browser(s.requireUser(s.handleAccountPasswordForm())))
	mux.Handle("POST /account/password", s.browser(s.requireUser(s.handleAccountPassword())))
	mux.Handle("GET /account/confirm", s.browser(s.requireUser(s.handleConfirmForm())))
	mux.Handle("POST /account/confirm", s.browser(s.requireUser(s.handleConfirm())))
	mux.Handle("GET /account/sessions", s.browser(s.requireUser(s.handleAccountSessions())))
	mux.Handle("POST /account/sessions/others", s.browser(s.requireUser(s.handleEndOtherSessions())))
	mux.Handle("POST /account/sessions/all", s.browser(s.requireUser(s.handleEndAllSessions())))
	mux.Handle("POST /account/sessions/{id}/end", s.browser(s.requireUser(s.handleEndSession())))

	// Choosing a password: from an invitation link, or when an administrator asked.
	mux.Handle("GET /invite/{token}", s.browser(s.handleInviteForm()))
	mux.Handle("POST /invite/{token}", s.browser(s.handleInviteAccept()))
	mux.Handle("GET /login/password", s.browser(s.handleNewPasswordForm()))
	mux.Handle("POST /login/password", s.browser(s.handleNewPassword()))

	// Staff pages.
	mux.Handle("GET /staff", s.browser(s.requireUser(s.handleStaffHome())))

	// Notifications (every signed-in user, their own only) and the supervisors'
	// approvals queue (anyone else: the missing page).
	mux.Handle("GET /notifications", s.notices(s.handleNotifications()))
	mux.Handle("POST /notifications/read", s.notices(s.handleNotificationsRead()))
	mux.Handle("GET /notifications/{id}", s.notices(s.handleNotificationOpen()))
	mux.Handle("GET /account/notifications", s.notices(s.handleNotificationSettings()))
	mux.Handle("POST /account/notifications", s.notices(s.handleNotificationSettingsSave()))
	mux.Handle("GET /approvals", s.requireSupervisor(s.handleApprovals()))
	mux.Handle("POST /approvals/shares/{id}", s.requireSupervisor(s.handleApprovalShareDecision()))
	mux.Handle("GET /approvals/expired-shares", s.requireSupervisor(s.withAgreements(s.handleExpiredShares())))
	mux.Handle("POST /approvals/expired-shares", s.requireSupervisor(s.withAgreements(s.handleEndExpiredShares())))
	mux.Handle("GET /approvals/access/{id}", s.requireSupervisor(s.handleAccessDecisionForm()))
	mux.Handle("POST /approvals/access/{id}", s.requireSupervisor(s.handleAccessDecision()))
	mux.Handle("GET /approvals/reveals/{id}", s.requireSupervisor(s.requireReveals(s.handleRevealDecisionForm())))
	mux.Handle("POST /approvals/reveals/{id}", s.requireSupervisor(s.requireReveals(s.handleRevealDecision())))
	mux.Handle("GET /access-requests", s.browser(s.requireUser(s.handleOwnAccessRequests())))
	mux.Handle("GET /audit", s.requireDPO(s.handleAuditSearch()))
	mux.Handle("POST /audit/export", s.requireDPO(s.recentAuthBack(auditPath, s.handleAuditExport())))
	mux.Handle("GET /audit/alerts", s.requireMisuse(s.handleMisuseAlerts()))
	mux.Handle("POST /audit/alerts/{id}", s.requireMisuse(s.handleMisuseDecision()))
	mux.Handle("GET /retention", s.requireRetention(s.handleRetention()))
	mux.Handle("POST /retention/{id}", s.requireRetention(s.handleRetentionDecision()))
	// Administration (agency and partnership administrators; anyone else gets the
	// missing page, and so does another agency's user for an agency administrator).
	mux.Handle("GET /admin/users", s.admin(s.handleAdminUsers()))
	mux.Handle("GET /admin/users/invite", s.admin(s.handleAdminInviteForm()))
	mux.Handle("POST /admin/users/invite", s.admin(s.handleAdminInvite()))
	mux.Handle("GET /admin/users/{id}", s.admin(s.handleAdminUser()))
	// Changing a user's roles and resetting their second factor ask the administrator to
	// have proved who they are recently (re-authentication, issue 13 item 8).
	mux.Handle("POST /admin/users/{id}/roles", s.admin(s.recentAuthBack(adminUserPath, s.handleAdminUserRoles())))
	mux.Handle("POST /admin/users/{id}/agency", s.admin(s.handleAdminUserMove()))
	mux.Handle("POST /admin/users/{id}/disable", s.admin(s.handleAdminUserAction(disableUser, "Account disabled: the user can no longer sign in.")))
	mux.Handle("POST /admin/users/{id}/enable", s.admin(s.handleAdminUserAction(enableUser, "Account re-enabled: the user may sign in again.")))
	mux.Handle("POST /admin/users/{id}/reset-mfa", s.admin(s.recentAuthBack(adminUserPath, s.handleAdminUserAction(resetUserMFA, "Authenticator reset: the user sets one up again at their next sign-in."))))
	mux.Handle("POST /admin/users/{id}/require-password", s.admin(s.handleAdminUserAction(requireNewPassword, "The user will choose a new password at their next sign-in.")))
	mux.Handle("POST /admin/users/{id}/sign-out", s.admin(s.handleAdminUserAction(signUserOut, "The user has been signed out everywhere.")))
	mux.Handle("POST /admin/users/{id}/invite", s.admin(s.handleAdminReinvite()))
	mux.Handle("GET /admin/leavers", s.admin(s.handleAdminLeavers()))
	mux.Handle("POST /admin/leavers", s.admin(s.handleAdminDisableLeavers()))
	mux.Handle("GET /admin/history", s.admin(s.handleAdminHistory()))
	mux.Handle("GET /admin/agencies", s.partnershipAdmin(s.handleAdminAgencies()))
	mux.Handle("GET /admin/agencies/new", s.partnershipAdmin(s.handleAdminAgencyNewForm()))
	mux.Handle("POST /admin/agencies/new", s.partnershipAdmin(s.handleAdminAgencySave(true)))
	mux.Handle("GET /admin/agencies/{id}/edit", s.partnershipAdmin(s.handleAdminAgencyEditForm()))
	mux.Handle("POST /admin/agencies/{id}/edit", s.partnershipAdmin(s.handleAdminAgencySave(false)))
	mux.Handle("POST /admin/agencies/{id}/disable", s.partnershipAdmin(s.handleAdminAgencySwitch(true)))
	mux.Handle("POST /admin/agencies/{id}/enable", s.partnershipAdmin(s.handleAdminAgencySwitch(false)))
	mux.Handle("GET /admin/districts", s.partnershipAdmin(s.handleAdminDistricts()))
	mux.Handle("POST /admin/districts", s.partnershipAdmin(s.handleAdminDistrictAdd()))
	mux.Handle("GET /admin/holidays", s.partnershipAdmin(s.handleAdminHolidays()))
	mux.Handle("GET /admin/agreements", s.partnershipAdmin(s.withAgreements(s.handleAdminAgreements())))
	mux.Handle("GET /admin/agreements/new", s.partnershipAdmin(s.withAgreements(s.handleAdminAgreementNewForm())))
	mux.Handle("POST /admin/agreements/new", s.partnershipAdmin(s.withAgreements(s.handleAdminAgreementSave(true))))
	mux.Handle("GET /admin/agreements/{id}", s.partnershipAdmin(s.withAgreements(s.handleAdminAgreement())))
	mux.Handle("POST /admin/agreements/{id}", s.partnershipAdmin(s.withAgreements(s.handleAdminAgreementSave(false))))
	mux.Handle("POST /admin/holidays", s.partnershipAdmin(s.handleAdminHolidayAdd()))
	mux.Handle("GET /admin/names", s.partnershipAdmin(s.handleAdminNames()))
	mux.Handle("POST /admin/names", s.partnershipAdmin(s.handleAdminNameAdd()))
	mux.Handle("POST /admin/names/{id}/withdraw", s.partnershipAdmin(s.handleAdminNameWithdraw()))
	mux.Handle("GET /admin/how-heard", s.partnershipAdmin(s.handleAdminHowHeard()))
	mux.Handle("POST /admin/how-heard", s.partnershipAdmin(s.handleAdminHowHeardAdd()))
	mux.Handle("POST /admin/how-heard/change", s.partnershipAdmin(s.handleAdminHowHeardChange()))
	mux.Handle("GET /admin/settings", s.partnershipAdmin(s.handleAdminSettings()))
	mux.Handle("POST /admin/settings/threshold", s.partnershipAdmin(s.handleAdminThreshold()))
	mux.Handle("POST /admin/settings/triage-targets", s.partnershipAdmin(s.handleAdminTriageTargets()))
	mux.Handle("POST /admin/settings/acknowledge-targets", s.partnershipAdmin(s.handleAdminAckTargets()))

	// Triage (triage role only; anyone else gets the missing page).
	mux.Handle("GET /triage", s.triage(s.handleTriageQueue()))
	mux.Handle("GET /triage/reports/{ref}", s.triageHub(s.handleTriageReport()))
	mux.Handle("POST /triage/reports/{ref}/claim", s.triageHub(s.handleTriageClaim()))
	mux.Handle("POST /triage/reports/{ref}/notes", s.triageHub(s.handleTriageNote()))
	mux.Handle("POST /triage/reports/{ref}/messages", s.triageHub(s.messages(s.handleTriageMessage())))
	mux.Handle("POST /triage/reports/{ref}/urgency", s.triageHub(s.handleTriageUrgency()))
	mux.Handle("POST /triage/reports/{ref}/decision", s.triageHub(s.handleTriageDecision()))
	mux.Handle("POST /triage/bulk", s.triage(s.handleTriageBulk()))

	// Reports passed to the user's agency (its caseworkers and supervisors; its triage
	// users outside the hub may read them; anyone else gets the missing page).
	mux.Handle("GET /inbox", s.inbox(s.handleInboxList()))
	mux.Handle("GET /inbox/reports/{ref}", s.inbox(s.handleInboxReport()))
	mux.Handle("POST /inbox/reports/{ref}/acknowledge", s.inbox(s.handleInboxAcknowledge()))
	mux.Handle("POST /inbox/reports/{ref}/accept", s.inbox(s.handleInboxAccept()))
	mux.Handle("POST /inbox/reports/{ref}/return", s.inbox(s.handleInboxReturn()))
	mux.Handle("POST /inbox/reports/{ref}/messages", s.inbox(s.messages(s.handleInboxMessage())))

	// Recording a call (call handlers and triage; anyone else gets the missing page).
	mux.Handle("GET /intake/reports/new", s.intake(s.handleIntakeForm()))
	mux.Handle("POST /intake/reports/new", s.intake(s.handleIntakeRecord()))

	// Cases (those who work cases; a case or person the user may not see is the missing page).
	mux.Handle("GET /cases", s.cases(s.handleCaseList()))
	mux.Handle("GET /cases/new", s.cases(s.handleCaseNewForm()))
	mux.Handle("POST /cases/new", s.cases(s.handleCaseCreate()))
	mux.Handle("GET /cases/role-changes", s.cases(s.handleRoleChanges()))
	mux.Handle("POST /cases/role-changes", s.cases(s.handleRoleChangeDecision()))
	mux.Handle("GET /cases/{ref}", s.cases(s.handleCase()))
	mux.Handle("GET /cases/{ref}/reports/{report}", s.cases(s.handleCaseReport()))
	mux.Handle("GET /cases/{ref}/edit", s.cases(s.handleCaseForm(caseEditForm)))
	mux.Handle("POST /cases/{ref}/edit", s.cases(s.handleCaseFormPost(caseEditForm)))
	mux.Handle("GET /cases/{ref}/close", s.cases(s.handleCaseForm(caseCloseForm)))
	mux.Handle("POST /cases/{ref}/close", s.cases(s.handleCaseFormPost(caseCloseForm)))
	mux.Handle("POST /cases/{ref}/closure", s.cases(s.handleCaseClosureDecision()))
	mux.Handle("GET /cases/{ref}/officer", s.cases(s.handleCaseForm(caseOfficerForm)))
	mux.Handle("POST /cases/{ref}/officer", s.cases(s.handleCaseFormPost(caseOfficerForm)))
	mux.Handle("GET /cases/{ref}/reopen", s.cases(s.handleCaseForm(caseReopenForm)))
	mux.Handle("POST /cases/{ref}/reopen", s.cases(s.handleCaseFormPost(caseReopenForm)))
	mux.Handle("GET /cases/{ref}/places/new", s.cases(s.handleCaseForm(casePlaceForm)))
	mux.Handle("POST /cases/{ref}/places/new", s.cases(s.handleCaseFormPost(casePlaceForm)))
	mux.Handle("GET /cases/{ref}/businesses/new", s.cases(s.handleCaseForm(caseBusinessForm)))
	mux.Handle("POST /cases/{ref}/businesses/new", s.cases(s.handleCaseFormPost(caseBusinessForm)))
	mux.Handle("GET /cases/{ref}/vehicles/new", s.cases(s.handleCaseForm(caseVehicleForm)))
	mux.Handle("POST /cases/{ref}/vehicles/new", s.cases(s.handleCaseFormPost(caseVehicleForm)))
	mux.Handle("GET /cases/{ref}/phones/new", s.cases(s.handleCaseForm(casePhoneForm)))
	mux.Handle("POST /cases/{ref}/phones/new", s.cases(s.handleCaseFormPost(casePhoneForm)))
	mux.Handle("GET /cases/{ref}/orders/new", s.cases(s.handleCaseForm(caseOrderForm)))
	mux.Handle("POST /cases/{ref}/orders/new", s.cases(s.handleCaseFormPost(caseOrderForm)))
	mux.Handle("GET /cases/{ref}/tasks/new", s.cases(s.handleCaseForm(caseTaskForm)))
	mux.Handle("POST /cases/{ref}/tasks/new", s.cases(s.handleCaseFormPost(caseTaskForm)))
	mux.Handle("GET /cases/{ref}/share", s.cases(s.handleCaseForm(caseShareForm)))
	mux.Handle("POST /cases/{ref}/share", s.cases(s.handleCaseFormPost(caseShareForm)))
	mux.Handle("POST /cases/{ref}/notes", s.cases(s.handleCaseNote()))
	mux.Handle("GET /cases/{ref}/notes/{id}/edit", s.cases(s.handleCaseNoteEditForm()))
	mux.Handle("POST /cases/{ref}/notes/{id}/edit", s.cases(s.handleCaseNoteEdit()))
	mux.Handle("POST /cases/{ref}/tasks/{id}/complete", s.cases(s.handleCaseTaskComplete()))
	mux.Handle("POST /cases/{ref}/shares/{id}/decision", s.cases(s.handleCaseShareDecision()))
	mux.Handle("POST /cases/{ref}/shares/{id}/revoke", s.cases(s.handleCaseShareRevoke()))
	mux.Handle("GET /cases/{ref}/shares/{id}/decline", s.cases(s.handleShareDeclineForm()))
	mux.Handle("POST /cases/{ref}/shares/{id}/decline", s.cases(s.handleShareDecline()))
	mux.Handle("GET /cases/{ref}/access-request", s.cases(s.handleAccessRequestForm()))
	mux.Handle("POST /cases/{ref}/access-request", s.cases(s.handleAccessRequest()))
	mux.Handle("GET /cases/{ref}/matches", s.cases(s.handleCaseMatches()))
	mux.Handle("POST /cases/{ref}/matches/{id}", s.cases(s.handleCaseMatchDecision()))
	mux.Handle("POST /cases/{ref}/matches/{id}/undo", s.cases(s.handleCaseMatchUndo()))
	mux.Handle("GET /cases/{ref}/network", s.cases(s.handleCaseNetwork()))
	mux.Handle("GET /cases/{ref}/people/new", s.cases(s.handlePersonNewForm()))
	mux.Handle("POST /cases/{ref}/people/new", s.cases(s.handlePersonNew()))
	// Correcting the record: change or remove a place, business, vehicle, phone, order,
	// task or person's link ({part} as tropic.CasePart names it).
	mux.Handle("GET /cases/{ref}/items", s.cases(s.handleCaseItems()))
	mux.Handle("GET /cases/{ref}/{part}/{id}/edit", s.cases(s.handleCaseItemForm(false)))
	mux.Handle("POST /cases/{ref}/{part}/{id}/edit", s.cases(s.handleCaseItemPost(false)))
	mux.Handle("GET /cases/{ref}/{part}/{id}/remove", s.cases(s.handleCaseItemForm(true)))
	mux.Handle("POST /cases/{ref}/{part}/{id}/remove", s.cases(s.handleCaseItemPost(true)))
	mux.Handle("GET /people/{id}", s.cases(s.handlePerson()))
	mux.Handle("GET /people/{id}/edit", s.cases(s.handlePersonEditForm()))
	mux.Handle("POST /people/{id}/edit", s.cases(s.handlePersonEdit()))
	mux.Handle("POST /people/{id}/cases/{link}/role", s.cases(s.handlePersonRole()))
	mux.Handle("POST /people/{id}/cases/{link}/coerced", s.cases(s.handlePersonCoerced()))

	// NRM referrals and Duty to Notify reports (those who work cases; the form only for
	// a first responder or an agency bound by the Duty to Notify).
	mux.Handle("GET /cases/{ref}/people/{link}/referral/new", s.cases(s.handleReferralNewForm()))
	mux.Handle("POST /cases/{ref}/people/{link}/referral/new", s.cases(s.handleReferralNew()))
	mux.Handle("GET /referrals", s.cases(s.handleReferralList()))
	mux.Handle("GET /referrals/figures", s.cases(s.handleReferralFigures()))
	mux.Handle("GET /referrals/{id}", s.cases(s.handleReferral()))
	mux.Handle("POST /referrals/{id}/decisions", s.cases(s.handleReferralDecision()))
	mux.Handle("GET /referrals/{id}/withdraw", s.cases(s.handleReferralWithdrawForm()))
	mux.Handle("POST /referrals/{id}/withdraw", s.cases(s.handleReferralWithdraw()))
	mux.Handle("GET /referrals/{id}/correct", s.cases(s.handleReferralCorrectForm()))
	mux.Handle("POST /referrals/{id}/correct", s.cases(s.handleReferralCorrect()))
	mux.Handle("GET /referrals/{id}/summary", s.cases(s.recentAuth(s.handleReferralSummary())))
	mux.Handle("GET /referrals/{id}/summary.pdf", s.cases(s.recentAuth(s.handleReferralSummaryPDF())))

	// Multi-agency meetings and the partnership plan (issue 17, items 1 and 2).
	mux.Handle("GET /meetings", s.meetingPages(s.handleMeetingList()))
	mux.Handle("GET /meetings/new", s.meetingPages(s.handleMeetingNewForm()))
	mux.Handle("POST /meetings/new", s.meetingPages(s.handleMeetingCreate()))
	mux.Handle("GET /meetings/{id}", s.meetingPages(s.handleMeeting()))
	mux.Handle("GET /meetings/{id}/minutes.pdf", s.meetingPages(s.handleMeetingMinutesPDF()))
	mux.Handle("GET /meetings/{id}/edit", s.meetingPages(s.handleMeetingEditForm()))
	mux.Handle("POST /meetings/{id}/edit", s.meetingPages(s.handleMeetingEdit()))
	mux.Handle("POST /meetings/{id}/cancel", s.meetingPages(s.handleMeetingCancel()))
	mux.Handle("POST /meetings/{id}/items", s.meetingPages(s.handleMeetingItemAdd()))
	mux.Handle("POST /meetings/{id}/items/{item}/minutes", s.meetingPages(s.handleMeetingMinutes()))
	mux.Handle("POST /meetings/{id}/actions", s.meetingPages(s.handleMeetingActionAdd()))
	mux.Handle("POST /meetings/{id}/actions/{action}/status", s.meetingPages(s.handleMeetingActionStatus()))
	mux.Handle("GET /plan", s.planPages(s.handlePlan()))
	mux.Handle("GET /plan/progress.pdf", s.planPages(s.handlePlanPDF()))
	mux.Handle("POST /plan/objectives", s.planPages(s.handlePlanObjectiveCreate()))
	mux.Handle("POST /plan/objectives/{id}/rag", s.planPages(s.handlePlanRAG()))
	mux.Handle("POST /plan/objectives/{id}/actions", s.planPages(s.handlePlanActionAdd()))
	mux.Handle("POST /plan/actions/{id}/status", s.planPages(s.handlePlanActionStatus()))

	// Rights requests: subject access and others, for the agency's data protection officer (issue 16 item 3).
	mux.Handle("GET /rights", s.rightsPages(s.handleRightsList()))
	mux.Handle("POST /rights", s.rightsPages(s.handleRightsCreate()))
	mux.Handle("GET /rights/{id}", s.rightsPages(s.handleRights()))
	mux.Handle("POST /rights/{id}/extend", s.rightsPages(s.handleRightsExtend()))
	mux.Handle("POST /rights/{id}/close", s.rightsPages(s.handleRightsClose()))
	mux.Handle("POST /rights/{id}/people", s.rightsPages(s.handleRightsPerson()))
	mux.Handle("POST /rights/{id}/redaction", s.rightsPages(s.handleRightsRedaction()))
	mux.Handle("POST /rights/{id}/release", s.rightsPages(s.handleRightsRelease()))

	// JSON API.
	mux.Handle("GET /api/v1/openapi.json", s.handleOpenAPI())
	s.publicAPI(mux, "GET /api/v1/statistics", s.handleAPIStats())
	s.publicAPI(mux, "GET /api/v1/statistics/releases", s.handleAPIReleases())
	s.publicAPI(mux, "GET /api/v1/statistics/releases/{id}", s.handleAPIRelease())
	s.api(mux, "GET /api/v1/me", s.handleAPIMe())
	s.api(mux, "POST /api/v1/reports", s.handleAPICreateReport())
	s.api(mux, "GET /api/v1/reports", s.handleAPIListReports())
	s.api(mux, "GET /api/v1/reports/{reference}", s.handleAPIGetReport())
	s.api(mux, "POST /api/v1/reports/bulk", s.handleAPIBulkTriage())
	s.api(mux, "POST /api/v1/reports/{reference}/decision", s.handleAPIDecideReport())
	s.api(mux, "POST /api/v1/reports/{reference}/acknowledge", s.handleAPIAcknowledgeReport())
	s.api(mux, "POST /api/v1/reports/{reference}/accept", s.handleAPIAcceptReport())
	s.api(mux, "POST /api/v1/reports/{reference}/return", s.handleAPIReturnReport())
	s.api(mux, "GET /api/v1/reports/{reference}/messages", s.messages(s.handleAPIReportMessages()))
	s.api(mux, "POST /api/v1/reports/{reference}/messages", s.messages(s.handleAPISendReportMessage()))
	s.api(mux, "GET /api/v1/inbox", s.handleAPIInbox())
	s.api(mux, "GET /api/v1/cases", s.handleAPIListCases())
	s.api(mux, "POST /api/v1/cases", s.handleAPICreateCase())
	s.api(mux, "GET /api/v1/cases/{reference}", s.handleAPIGetCase())
	s.api(mux, "PATCH /api/v1/cases/{reference}", s.handleAPIUpdateCase())
	s.api(mux, "POST /api/v1/cases/{reference}/close", s.handleAPICloseCase())
	s.api(mux, "POST /api/v1/cases/{reference}/reopen", s.handleAPIReopenCase())
	s.api(mux, "POST /api/v1/cases/{reference}/closure", s.handleAPIDecideClosure())
	s.api(mux, "POST /api/v1/cases/{reference}/officer", s.handleAPIAssignCase())
	s.api(mux, "POST /api/v1/cases/{reference}/reports", s.handleAPILinkReport())
	s.api(mux, "POST /api/v1/cases/{reference}/people", s.handleAPIAddPerson())
	s.api(mux, "POST /api/v1/cases/{reference}/people/link", s.handleAPILinkPerson())
	s.api(mux, "POST /api/v1/cases/{reference}/places", s.handleAPIAddPlace())
	s.api(mux, "POST /api/v1/cases/{reference}/businesses", s.handleAPIAddBusiness())
	s.api(mux, "POST /api/v1/cases/{reference}/vehicles", s.handleAPIAddVehicle())
	s.api(mux, "POST /api/v1/cases/{reference}/phones", s.handleAPIAddPhone())
	s.api(mux, "POST /api/v1/cases/{reference}/orders", s.handleAPIAddOrder())
	s.api(mux, "POST /api/v1/cases/{reference}/notes", s.handleAPIAddNote())
	s.api(mux, "POST /api/v1/cases/{reference}/tasks", s.handleAPIAddTask())
	s.api(mux, "POST /api/v1/cases/{reference}/shares", s.handleAPIRequestShare())
	s.api(mux, "GET /api/v1/cases/{reference}/access-log", s.handleAPIAccessLog())
	s.api(mux, "GET /api/v1/cases/{reference}/matches", s.handleAPIListMatches())
	s.api(mux, "POST /api/v1/cases/{reference}/matches/{id}", s.handleAPIDecideMatch())
	s.api(mux, "POST /api/v1/cases/{reference}/matches/{id}/undo", s.handleAPIUndoMerge())
	s.api(mux, "GET /api/v1/cases/{reference}/network", s.handleAPICaseNetwork())
	s.api(mux, "PATCH /api/v1/cases/{reference}/{part}/{id}", s.handleAPIUpdateCaseItem())
	s.api(mux, "DELETE /api/v1/cases/{reference}/{part}/{id}", s.handleAPIRemoveCaseItem())
	s.api(mux, "GET /api/v1/people/matches", s.handleAPIPersonMatches())
	s.api(mux, "GET /api/v1/people/{id}", s.handleAPIGetPerson())
	s.api(mux, "PATCH /api/v1/people/{id}", s.handleAPIUpdatePerson())
	s.api(mux, "POST /api/v1/case-people/{id}/role", s.handleAPIChangeRole())
	s.api(mux, "POST /api/v1/case-people/{id}/coerced-offender", s.handleAPISetCoerced())
	s.api(mux, "GET /api/v1/role-changes", s.handleAPIListRoleChanges())
	s.api(mux, "POST /api/v1/role-changes/{id}/decision", s.handleAPIDecideRoleChange())
	s.api(mux, "PATCH /api/v1/notes/{id}", s.handleAPIEditNote())
	s.api(mux, "GET /api/v1/tasks", s.handleAPIListTasks())
	s.api(mux, "POST /api/v1/tasks/{id}/complete", s.handleAPICompleteTask())
	s.api(mux, "POST /api/v1/shares/{id}/decision", s.handleAPIDecideShare())
	s.api(mux, "POST /api/v1/shares/{id}/revoke", s.handleAPIRevokeShare())
	s.api(mux, "GET /api/v1/search", s.handleAPISearch())
	s.api(mux, "GET /api/v1/referrals", s.handleAPIListReferrals())
	s.api(mux, "POST /api/v1/cases/{reference}/people/{link}/referrals", s.handleAPICreateReferral())
	s.api(mux, "GET /api/v1/referrals/figures", s.handleAPIReferralFigures())
	s.api(mux, "GET /api/v1/referrals/{id}", s.handleAPIGetReferral())
	s.api(mux, "POST /api/v1/referrals/{id}/decisions", s.handleAPIRecordReferralDecision())
	s.api(mux, "POST /api/v1/referrals/{id}/withdrawal", s.handleAPIWithdrawReferral())
	s.api(mux, "PATCH /api/v1/referrals/{id}", s.handleAPICorrectReferral())
	s.api(mux, "GET /api/v1/notifications", s.handleAPINotifications())
	s.api(mux, "POST /api/v1/notifications/read", s.handleAPINotificationsRead())
	s.api(mux, "GET /api/v1/approvals", s.handleAPIApprovals())
	s.api(mux, "POST /api/v1/access-requests", s.handleAPIRequestAccess())
	s.api(mux, "GET /api/v1/access-requests", s.handleAPIOwnAccessRequests())
	s.api(mux, "GET /api/v1/meetings", s.handleAPIListMeetings())
	s.api(mux, "POST /api/v1/meetings", s.handleAPICreateMeeting())
	s.api(mux, "GET /api/v1/meetings/{id}", s.handleAPIGetMeeting())
	s.api(mux, "PATCH /api/v1/meetings/{id}", s.handleAPIUpdateMeeting())
	s.api(mux, "POST /api/v1/meetings/{id}/cancel", s.handleAPICancelMeeting())
	s.api(mux, "POST /api/v1/meetings/{id}/items", s.handleAPIAddAgendaItem())
	s.api(mux, "POST /api/v1/meetings/{id}/items/{item}/minutes", s.handleAPIRecordMinutes())
	s.api(mux, "POST /api/v1/meetings/{id}/actions", s.handleAPIAddMeetingAction())
	s.api(mux, "POST /api/v1/meetings/{id}/actions/{action}/status", s.handleAPIMeetingActionStatus())
	s.api(mux, "GET /api/v1/plan", s.handleAPIGetPlan())
	s.api(mux, "POST /api/v1/plan/objectives", s.handleAPICreateObjective())
	s.api(mux, "POST /api/v1/plan/objectives/{id}/rag", s.handleAPISetRAG())
	s.api(mux, "POST /api/v1/plan/objectives/{id}/actions", s.handleAPIAddPlanAction())
	s.api(mux, "POST /api/v1/plan/actions/{id}/status", s.handleAPIPlanActionStatus())
	s.api(mux, "POST /api/v1/network-reveals", s.handleAPIAskReveal())
	s.api(mux, "GET /api/v1/network-reveals", s.handleAPIOwnReveals())
	s.api(mux, "POST /api/v1/network-reveals/{id}/decision", s.handleAPIDecideReveal())
	mux.Handle("/api/", s.handleAPINotFound())

	// Everything else.
	mux.Handle("/", s.browser(http.HandlerFunc(s.notFound)))

	// secureHeaders is outermost so that the 500 page observe writes after a panic
	// carries the request's CSP nonce too.
	return s.secureHeaders(s.observe(recordRoute(mux)))
}
