package tropic

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// Audit actions. Every security-relevant change is written as an AuditEvent in the
// same transaction as the change.
const (
	AuditLoginSucceeded = "login.succeeded"
	AuditLoginFailed    = "login.failed"
	AuditLoginLocked    = "login.locked"
	AuditLogout         = "logout"
	AuditSessionsEnded  = "sessions.ended" // a user signed out of other sessions, or everywhere
	AuditMFAEnrolled    = "mfa.enrolled"
	AuditAgencyCreated  = "agency.created"
	AuditAgencyUpdated  = "agency.updated"
	AuditAgencyDisabled = "agency.disabled"
	AuditAgencyEnabled  = "agency.enabled"
	AuditUserCreated    = "user.created"
	AuditUserDisabled   = "user.disabled"
	AuditUserPassword   = "user.password_set"
	AuditUserEnabled    = "user.enabled"
	AuditMFAReset       = "user.mfa_reset"
	AuditUserRoles      = "user.roles_set"
	AuditTokenCreated   = "token.created"
	AuditTokenRevoked   = "token.revoked"

	AuditReportCreated      = "report.created"
	AuditReportViewed       = "report.viewed"
	AuditReportFollowUp     = "report.follow_up"
	AuditReportResent       = "report.resent" // changed answers sent again under a used form key
	AuditReportClaimed      = "report.claimed"
	AuditReportDecided      = "report.decided"
	AuditReportUrgency      = "report.urgency_changed"
	AuditReportNote         = "report.note_added"
	AuditReportAcknowledged = "report.acknowledged"  // by the agency it was passed to
	AuditReportAccepted     = "report.accepted"      // into a case of the agency it was passed to
	AuditReportReturned     = "report.returned"      // to the triage hub, by the agency it was passed to
	AuditMessageSent        = "report.message_sent"  // staff wrote to the reporter (never the text)
	AuditMessageReply       = "report.message_reply" // the reporter replied (never the text)
	AuditMessagesRead       = "report.messages_read" // the reporter read the messages, with the right code
	AuditDistrictCreated    = "district.created"
	AuditHolidayChanged     = "holiday.changed"
	AuditStatsReleased      = "stats.released" // a statistics release was published

	AuditCaseCreated        = "case.created"
	AuditCaseViewed         = "case.viewed"
	AuditCaseUpdated        = "case.updated"
	AuditCaseClosed         = "case.closed"
	AuditCaseReopened       = "case.reopened"
	AuditCaseReportLinked   = "case.report_linked"
	AuditCasePersonAdded    = "case.person_added"
	AuditCaseCoerced        = "case.coerced_offender_set"
	AuditRoleChanged        = "case.role_changed"
	AuditRoleChangeAsked    = "case.role_change_requested"
	AuditRoleChangeApproved = "case.role_change_approved"
	AuditRoleChangeDeclined = "case.role_change_declined"
	AuditCasePlaceAdded     = "case.place_added"
	AuditCaseBusinessAdded  = "case.business_added"
	AuditCaseVehicleAdded   = "case.vehicle_added"
	AuditCasePhoneAdded     = "case.phone_added"
	AuditCaseOrderAdded     = "case.order_added"
	AuditCaseNoteAdded      = "case.note_added"
	AuditCaseNoteEdited     = "case.note_edited"
	AuditCaseTaskAdded      = "case.task_added"
	AuditCaseTaskCompleted  = "case.task_completed"
	AuditShareRequested     = "case.share_requested"
	AuditShareGranted       = "case.share_granted"
	AuditShareDeclined      = "case.share_declined"
	AuditShareRevoked       = "case.share_revoked"
	AuditShareCovered       = "case.share_covered" // a waiting request closed: an active share already covers it
	AuditAccessLogViewed    = "case.access_log_viewed"
	AuditPersonViewed       = "person.viewed"
	AuditPersonUpdated      = "person.updated"

	AuditReferralCreated  = "referral.created"
	AuditReferralViewed   = "referral.viewed"
	AuditReferralDecision = "referral.decision_recorded"
	AuditReminderEmailSet = "agency.reminder_email_set"

	// Retention (retention.go): the object is the report or case, by number only.
	AuditRetentionDue      = "retention.review_due"
	AuditRetentionRetained = "retention.retained"
	AuditRetentionDisposed = "retention.disposed"

	// Misuse alerts (misuse.go): raised by the system, closed by a DPO.
	AuditMisuseRaised = "misuse.alert_raised"
	AuditMisuseClosed = "misuse.alert_closed"
)

// AuditEvent is one link of the audit chain. Hash covers the event's canonical content
// and PrevHash, so that a changed, inserted or deleted row breaks the chain. KeyID names
// the audit key whose HMAC Hash is (AuditKeyring.Seal); an event without one was written
// before the chain was keyed and carries the plain SHA-256 of ComputeHash.
type AuditEvent struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id,omitempty"`
	AgencyID   int64     `json:"agency_id,omitempty"`
	ActorLabel string    `json:"actor_label,omitempty"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type,omitempty"`
	ObjectID   int64     `json:"object_id,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
	KeyID      string    `json:"key_id,omitempty"`
}

// AuditGenesis is the PrevHash of the first event.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the unkeyed (legacy) hash of the event's canonical content
// chained to PrevHash: anyone can recompute it, so it only serves events written before
// the chain was keyed. Each field is length-prefixed so that no two different events
// share an encoding; the time is in UTC at microsecond precision, which both databases
// keep exactly.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	e.writeCanonical(h, "tropic-audit-v1")
	return hex.EncodeToString(h.Sum(nil))
}

// ComputeMAC returns the HMAC-SHA256 under secret of the event's canonical content,
// its KeyID and PrevHash: without the secret no one can compute it, so rows deleted,
// changed or inserted cannot be rehashed into a chain that verifies.
func (e *AuditEvent) ComputeMAC(secret []byte) string {
	h := hmac.New(sha256.New, secret)
	e.writeCanonical(h, "tropic-audit-v2", e.KeyID)
	return hex.EncodeToString(h.Sum(nil))
}

func (e *AuditEvent) writeCanonical(h hash.Hash, prefix ...string) {
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	for _, p := range prefix {
		field(p)
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"))
	field(strconv.FormatInt(e.UserID, 10))
	field(strconv.FormatInt(e.AgencyID, 10))
	field(e.ActorLabel)
	field(e.Action)
	field(e.ObjectType)
	field(strconv.FormatInt(e.ObjectID, 10))
	field(e.Detail)
}

// AuditProblem describes the first place where the chain does not hold.
type AuditProblem struct {
	Seq    int64  // the first bad row's sequence number (or the expected one, if missing)
	RowID  int64  // the database row id of the first bad row, 0 if the row is missing
	Reason string // what is wrong, for people
}

// AuditVerification is the result of walking the chain.
type AuditVerification struct {
	Events int64
	// Legacy counts the first events, written before the chain was keyed: only a
	// checkpoint made after them protects them against being rewritten.
	Legacy  int64
	Problem *AuditProblem // nil when the chain is intact
	// Checkpoints counts the checkpoints the chain was found to extend.
	Checkpoints int
}

// AuditFilter narrows FindAuditEvents.
type AuditFilter struct {
	Action string
	UserID int64
	Limit  int
	Offset int
}

// AuditService reads and verifies the audit chain. Writing is internal to the store,
// so that an event is always in the transaction of its change.
type AuditService interface {
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}
