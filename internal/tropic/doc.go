// Package tropic is the domain of Tropic: the types, enumerations and rules of a
// modern slavery partnership's shared system, and the service interfaces that the
// store implements and the web layer calls. It imports only the standard library.
//
// Every rule of DESIGN.md §4 is a function here, called by the store inside the
// transaction that acts on it, and tested by a table in this package:
//
//  1. Need to know: AccessTo (who sees a case, and how much); MayChangeCase,
//     MayContributeToCase, MayEditNote, MayEditPerson, MayAddExistingPerson
//     (case_rights.go); MayCompleteTask, MayDecideShare, MayReadAccessLog,
//     MayOpenCase, MaySeePartnershipNetwork and the rest of permissions.go;
//     ReportSightFor (report_sight.go: who reads a report, through the cases it is
//     linked to); MayBeOfficer, MayCloseCase, MayRequestClosure, MayDecideClosure and
//     MayConfirmClosure (case_officer.go);
//     ReportAccessFor (who reads a report, the reporter's contact included),
//     MayActOnHandoff and MayReadInbox (report_handoff.go);
//     ReferralAccessFor, MayListReferrals, MayMakeReferral (referral_access.go);
//     MayDecideMatches, MayLink, MayMerge, MayUndoMerge (match_rules.go);
//     MayChangeTask and MayRemoveCaseLink (case_correction.go: correcting the record); and for
//     suggestions about records the reader may not see, CoarseBand and
//     CoarseExplanation (match_band.go).
//  2. Victim first: DecideRoleTransition (role.go) decides every change of the
//     role a person holds on a case, by any path, with four eyes on approval.
//  3. Duty to Notify anonymity: Referral.Gate and DutyToNotifyProblems (referral.go);
//     a report made in error is withdrawn with a coded reason only
//     (Referral.WithdrawDutyToNotify, referral_withdrawal.go).
//  4. Nothing lost: ResendReport (report_resend.go) keeps changed answers to a sent
//     report; CheckText (text.go) is the one rule for free text; HashFollowUpCode reads
//     a follow-up code as typed (the store seals it with a slow salted hash).
//  5. Safe statistics: Suppress, Deduce and the exact protection in stats_protect.go.
//  7. The audit trail: AuditEvent.ComputeMAC and AuditKeyring (audit_key.go): keyed
//     hashes and signed checkpoints.
//
// The triage hub's rules: TriageTarget and OverTarget (triage_target.go); bulk actions
// are MayBulkTriage, MayAssignReportsTo and BulkProblem (report_bulk.go); escalation of
// an unclaimed emergency is MayEscalate and EscalationCut (report_escalation.go).
//
// Administration at two levels (agency and partnership administrators) is
// admin_rules.go: MayManageUser, MayDisableUser, MaySetRoles, MayInviteUser, MayMoveUser,
// MayManageAgencies, MayManageReferenceData and AdminAgencyScope; invitations are
// Invite.Usable (invite.go). Sign-in limits are LoginPolicy.Admit (user.go); the reference check character is
// ParseReference (reference.go). Credentials: MayResetPassword, MayChangePassword and
// the recovery codes (credential_recovery.go); single sign-on: MaySignInWithSSO,
// SSOProvider.Admits and VouchesForMFA (sso.go); security keys (security_key.go).
// Data protection (issue 16): the retention schedule is RetentionSchedule, ParseRetention
// and Rules, reviews are decided under MayReviewRetention and RetentionDecision.Problems
// (retention.go); the data protection officer's audit search is MaySearchAudit and
// AuditQuery.Validate (audit_search.go), and misuse alerts MisuseAlert.Explain,
// MayReviewMisuse and MisuseDecision.Problems (misuse.go); the roles only the
// partnership gives are partnershipGranted (admin_rules.go).
// Errors are one vocabulary (error.go), which the web
// layer maps to HTTP in one place per surface.
package tropic
