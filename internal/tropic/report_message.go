package tropic

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Keeping in contact with a reporter, who may be anonymous (issue 15, item 1). Staff
// who read the report write to the reporter; the reporter reads the messages and
// answers on the public follow-up page with the reference and follow-up code, and
// sees the report's broad status. The reporter never learns who wrote, or in which
// agency: only "the partnership".

// ReportMessage is one message between staff and the reporter. User and Agency name
// the staff sender, for staff only; the reporter's view (ReporterThread) has neither.
type ReportMessage struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	FromReporter bool      `json:"from_reporter"`
	User         string    `json:"user,omitempty"`
	Agency       string    `json:"agency,omitempty"`
	Text         string    `json:"text"`
}

// Limits on messages: their length, and how many may be sent in MessageWindow (staff
// to one report, all staff together; the reporter's replies to one report). They are
// counted in the database, so that they hold across processes.
const (
	MaxMessage             = 2000
	MaxMessageKey          = 200
	StaffMessagesPerWindow = 10
	RepliesPerWindow       = 5
	MessageWindow          = time.Hour
)

// BroadStatus is all a reporter is told of where their report stands: no decision,
// agency, case or person.
type BroadStatus string

const (
	BroadReceived        BroadStatus = "received"
	BroadBeingLookedAt   BroadStatus = "being_looked_at"
	BroadPassedToPartner BroadStatus = "passed_to_partner"
	BroadClosed          BroadStatus = "closed"
)

// BroadStatusOf maps a report's status to the broad status its reporter sees: a new
// report nobody has claimed is received; one claimed or linked to a case is being
// looked at; one passed to an agency is with a partner; no further action and a
// duplicate (worked under the other report) are closed.
func BroadStatusOf(status ReportStatus, claimed bool) BroadStatus {
	switch status {
	case ReportLinkedToCase:
		return BroadBeingLookedAt
	case ReportPassedToAgency:
		return BroadPassedToPartner
	case ReportNoFurtherAction, ReportDuplicate:
		return BroadClosed
	}
	if claimed {
		return BroadBeingLookedAt
	}
	return BroadReceived
}

// ReporterMessage is a message as the reporter reads it: when, which way, and what.
type ReporterMessage struct {
	At           time.Time `json:"at"`
	FromReporter bool      `json:"from_reporter"`
	Text         string    `json:"text"`
}

// ReporterThread is what the reporter sees with the right reference and code.
type ReporterThread struct {
	Reference string
	Status    BroadStatus
	Messages  []ReporterMessage
}

// ShowsMessages says whether a reader with this sight reads, and may write, the
// messages with the reporter. A case shared without sensitive fields withholds them,
// as it withholds staff notes: a message may name the reporter or say how to reach
// them. Everyone else who reads the report reads its messages.
func (s ReportSight) ShowsMessages() bool {
	return s == ReportSightWhole || s == ReportSightWithoutContact
}

// MayMessageReporter decides whether the actor, with sight of the report, may write
// to its reporter: whoever reads the messages may. A report the actor cannot read
// answers as missing.
func MayMessageReporter(sight ReportSight) error {
	switch {
	case sight == ReportSightNone:
		return Errorf(ENOTFOUND, "Report not found.")
	case !sight.ShowsMessages():
		return Errorf(EFORBIDDEN, "The case is shared with your agency without sensitive fields, so you cannot read or send messages to the reporter.")
	}
	return nil
}

// CheckMessage normalises a message's text and records its problems under field:
// "message" for staff, "reply" for the reporter.
func CheckMessage(p *Problems, field, text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		if field == "reply" {
			p.Add(field, "Enter your reply")
		} else {
			p.Add(field, "Enter the message to the reporter")
		}
		return text
	}
	label := "The message"
	if field == "reply" {
		label = "Your reply"
	}
	CheckText(p, field, label, text, MaxMessage)
	return text
}

// CheckMessageKey checks an idempotency key (a form's hidden key, or the API's
// Idempotency-Key header): optional, at most MaxMessageKey characters, printable.
func CheckMessageKey(p *Problems, field, key string) {
	if len(key) > MaxMessageKey || HasControlChars(key) {
		p.Add(field, fmt.Sprintf("must be at most %d printable characters", MaxMessageKey))
	}
}

// HashMessageKey is the stored form of a message's idempotency key, scoped so that
// one sender's key never collides with another's.
func HashMessageKey(scope, key string) string {
	if key == "" {
		return ""
	}
	return hashHex("tropic message key\x00" + scope + "\x00" + key)
}

// CheckMessageRate refuses a message when recent (the messages of the same kind sent
// to the report within MessageWindow) has reached the limit. The error names the
// field, so that the page shows it by the text, which is kept.
func CheckMessageRate(fromReporter bool, recent int) error {
	if fromReporter {
		if recent >= RepliesPerWindow {
			return &Error{Code: ETOOMANY, Message: "You have sent several replies in the last hour.",
				Fields: map[string]string{"reply": fmt.Sprintf("You have sent %d replies in the last hour. Wait an hour before you send another, or call the Modern Slavery Helpline on 08000 121 700.", recent)}}
		}
		return nil
	}
	if recent >= StaffMessagesPerWindow {
		return &Error{Code: ETOOMANY, Message: "Too many messages to this reporter in the last hour.",
			Fields: map[string]string{"message": fmt.Sprintf("%d messages have been sent to this reporter in the last hour, the most allowed. Wait before sending another, so that the reporter is not overwhelmed.", recent)}}
	}
	return nil
}

// ReportMessageSent is what a send returns: the message, and whether it was sent
// before under the same key (a replay, which posted nothing new).
type ReportMessageSent struct {
	Message ReportMessage
	Replay  bool
}

// ReportMessageService sends and lists messages between staff and reporters. Each
// method is one transaction, audited (without the text), and notifies the other side.
type ReportMessageService interface {
	// FindReportMessages lists a report's messages, oldest first, for staff who read them.
	FindReportMessages(ctx context.Context, actor Actor, ref string) ([]ReportMessage, error)
	// SendReportMessage writes to the reporter; a key sent before returns the first message.
	SendReportMessage(ctx context.Context, actor Actor, ref, text, key string) (ReportMessageSent, error)
	// FindReporterThread returns the reporter's view, when the code matches: any wrong
	// code and unknown reference answer alike with EUNAUTHORISED.
	FindReporterThread(ctx context.Context, ref, codeHash string) (*ReporterThread, error)
	// ReplyToReport adds the reporter's reply and returns the thread; a key sent
	// before posts nothing new.
	ReplyToReport(ctx context.Context, ref, codeHash, text, key string) (*ReporterThread, bool, error)
}

// ReporterEmail returns the reporter's contact when it is an e-mail address (the form
// takes "a phone number or e-mail address" in one field), else "". Tropic sends no
// text messages: a phone number is never told that a message waits.
func ReporterEmail(r Reporter) string {
	if r.Anonymous {
		return ""
	}
	// The field also says when it is safe to call: take the first word that is an
	// address, like "jo@example.org, after 6pm".
	for _, w := range strings.FieldsFunc(r.Contact, func(c rune) bool { return strings.ContainsRune(" \t\n,;()<>", c) }) {
		w = strings.TrimRight(w, ".:")
		at := strings.LastIndexByte(w, '@')
		if at < 1 || !strings.Contains(w[at:], ".") {
			continue
		}
		if a, err := mail.ParseAddress(w); err == nil && a.Address == w {
			return w
		}
	}
	return ""
}

// MessageWaitsJob e-mails a reporter who agreed that a message waits for them on the
// follow-up page. The job holds the report's number only; the address is read when
// the job runs, and the e-mail says nothing of the report or the message.
type MessageWaitsJob struct {
	ReportID int64 `json:"report_id"`
}

// Kind names the job.
func (MessageWaitsJob) Kind() string { return "message_waits_email" }

// MayReply says whether the reporter may reply: once staff have written to them. To
// tell the partnership more before that, the reporter adds information to the report.
func (th *ReporterThread) MayReply() error {
	for _, m := range th.Messages {
		if !m.FromReporter {
			return nil
		}
	}
	var p Problems
	p.Add("reply", "You can reply once the partnership has written to you. To tell us more now, add information to your report.")
	return p.Err()
}
