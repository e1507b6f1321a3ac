package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The notifications this store writes for shares, access requests, role changes and
// tasks. Their text names a reference, an agency and a kind of decision, never a
// person, because it may be e-mailed; the link is where the reader acts.

// approvalsPath is the supervisors' queue, where requests are decided.
const approvalsPath = "/approvals"

func casePagePath(ref string) string { return "/cases/" + ref }

// ownAccessRequestsPath is the requester's list of their access requests, at one.
func ownAccessRequestsPath(shareID int64) string {
	return fmt.Sprintf("/access-requests#request-%d", shareID)
}

func decidedWord(approve bool) string {
	if approve {
		return "approved"
	}
	return "declined"
}

// aboutID names the thing a notification asks for: "share:12".
func aboutID(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// settledText is what a notification that asked for something says once it is
// decided: "The request to share case X with Y was approved on 6 December 2026."
func settledText(asked, outcome string, day time.Time) string {
	return asked + " was " + outcome + " on " + day.Format("2 January 2006") + "."
}

func shareRequestedNotice(shareID int64, caseRef, agency string) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyShareRequested, Subject: caseRef, Link: approvalsPath, About: aboutID("share", shareID),
		Text: "A request to share case " + caseRef + " with " + agency + " waits for a supervisor's decision."}
}

func accessRequestedNotice(shareID int64, caseRef, agency string) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyAccessRequested, Subject: caseRef, Link: approvalsPath, About: aboutID("share", shareID),
		Text: agency + " asks for access to case " + caseRef + ". The request waits for a supervisor's decision."}
}

// settleShareNotices says, on the notifications of a share asked for (by the owner's
// caseworker, or by another agency for access), how it was decided.
func settleShareNotices(ctx context.Context, tx *Tx, sh *tropic.Share, caseRef, outcome string, day time.Time) error {
	asked := "The request to share case " + caseRef + " with " + sh.AgencyName
	if sh.Kind == tropic.ShareByRequest {
		asked = sh.AgencyName + "'s request for access to case " + caseRef
	}
	return settleNotifications(ctx, tx, aboutID("share", sh.ID), settledText(asked, outcome, day), false)
}

// shareDecidedNotice tells whoever asked for sh how it was decided. An access request
// declined names no case: the requester may not see it.
func shareDecidedNotice(sh *tropic.Share, caseRef, owner string, approve bool) tropic.Notification {
	if sh.Kind == tropic.ShareByRequest {
		n := tropic.Notification{Kind: tropic.NotifyAccessDecided, Link: ownAccessRequestsPath(sh.ID),
			Text: "Your request for access to a record held by " + owner + " was declined. The supervisor's reason is with your request."}
		if approve {
			n.Subject, n.Link = caseRef, casePagePath(caseRef)
			n.Text = "Your request for access to a record held by " + owner + " was approved: case " + caseRef + " is shared with your agency."
		}
		return n
	}
	n := tropic.Notification{Kind: tropic.NotifyShareDecided, Subject: caseRef, Link: casePagePath(caseRef) + "#sharing",
		Text: "Your request to share case " + caseRef + " with " + sh.AgencyName + " was " + decidedWord(approve) + "."}
	if !approve {
		n.Text += " The supervisor's reason is on the case page, under Sharing."
	}
	return n
}

// shareCoveredNotice tells whoever asked for r that it closed undecided: a share of
// the case with their agency (or the agency they asked to share with) already gives
// all it asked. An access request names the case: the requester's agency sees it now.
func shareCoveredNotice(r *tropic.Share, caseRef, owner string) tropic.Notification {
	if r.Kind == tropic.ShareByRequest {
		return tropic.Notification{Kind: tropic.NotifyAccessDecided, Subject: caseRef, Link: casePagePath(caseRef),
			Text: "Your request for access to a record held by " + owner + " was closed: case " + caseRef + " is already shared with your agency as widely as you asked."}
	}
	return tropic.Notification{Kind: tropic.NotifyShareDecided, Subject: caseRef, Link: casePagePath(caseRef),
		Text: "Your request to share case " + caseRef + " with " + r.AgencyName + " was closed: the case is already shared with them as widely as you asked."}
}

// caseSharedNotice tells the receiving agency's case workers that a case of owner is
// now shared with them.
func caseSharedNotice(caseRef, owner string, scope tropic.ShareScope) tropic.Notification {
	what := "the whole case"
	if scope == tropic.ShareWithoutSensitive {
		what = "the case without sensitive fields"
	}
	return tropic.Notification{Kind: tropic.NotifyCaseShared, Subject: caseRef, Link: casePagePath(caseRef),
		Text: owner + " shared case " + caseRef + " with your agency (" + what + "). It is now in your list of cases."}
}

func roleChangeWaitingNotice(changeID int64, caseRef string) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyRoleChangeWaiting, Subject: caseRef, Link: approvalsPath, About: aboutID("role_change", changeID),
		Text: "A request to change a person's role on case " + caseRef + " waits for a supervisor's decision."}
}

func roleChangeDecidedNotice(caseRef string, approve bool) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyRoleChangeDecided, Subject: caseRef, Link: casePagePath(caseRef),
		Text: "Your request to change a person's role on case " + caseRef + " was " + decidedWord(approve) + "."}
}

func taskAssignedNotice(caseRef string) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyTaskAssigned, Subject: caseRef, Link: casePagePath(caseRef) + "#tasks",
		Text: "A task on case " + caseRef + " was assigned to you."}
}
