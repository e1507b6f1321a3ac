package tropic

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The register of data sharing agreements (issue 16 item 4; the ICO's data sharing
// code): the partnership administrator keeps it; every share cites an agreement that
// covers both agencies, or records why none applies. An agreement lapses when its
// review date passes without a review (decisions.md): shares resting on it are
// flagged for the owning agency's supervisors, who may end them.

// DataCategories are the kinds of data an agreement lets its parties share.
var DataCategories = []struct{ Key, Label string }{
	{"identity", "Identity and contact details"},
	{"case", "Case details, places, businesses, vehicles and phones"},
	{"notes", "Case notes and tasks"},
	{"health", "Health (special category)"},
	{"immigration", "Immigration status"},
	{"criminal", "Criminal offence data"},
	{"children", "Children's data"},
	{"nrm", "NRM referrals and Duty to Notify reports"},
}

// AgreementReviewSoon is how far ahead an agreement's review date is listed for the
// partnership administrator.
const AgreementReviewSoon = 30 * 24 * time.Hour

// SharingAgreement is one agreement in the register.
type SharingAgreement struct {
	ID             int64
	Title          string
	Parties        []int64  // agency ids, ascending
	PartyNames     []string // set by the store, in the order of Parties
	Purposes       string
	LawfulBases    []string // keys of LawfulBases
	DataCategories []string // keys of DataCategories
	ReviewOn       string   // YYYY-MM-DD: the agreement lapses after this day unless reviewed
	DocumentRef    string   // where the signed agreement is kept
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Expired reports whether the agreement's review date has passed on day now.
func (g *SharingAgreement) Expired(now time.Time) bool {
	return g.ReviewOn < now.Format(time.DateOnly)
}

// ReviewDue reports whether the agreement is expired or reaches its review date
// within AgreementReviewSoon of now: the partnership administrator's home lists it.
func (g *SharingAgreement) ReviewDue(now time.Time) bool {
	return g.ReviewOn <= now.Add(AgreementReviewSoon).Format(time.DateOnly)
}

// Covers reports whether both agencies are parties to the agreement.
func (g *SharingAgreement) Covers(a, b int64) bool {
	return slices.Contains(g.Parties, a) && slices.Contains(g.Parties, b)
}

// AgreementsFor lists the agreements of list in force on day now to which every one of
// agencies is party: those a share between them may cite.
func AgreementsFor(list []*SharingAgreement, now time.Time, agencies ...int64) []*SharingAgreement {
	var out []*SharingAgreement
	for _, g := range list {
		ok := !g.Expired(now)
		for _, a := range agencies {
			ok = ok && slices.Contains(g.Parties, a)
		}
		if ok {
			out = append(out, g)
		}
	}
	return out
}

// Validate checks an agreement as the partnership administrator typed it, naming
// each field at fault, and puts its lists in a stable order.
func (g *SharingAgreement) Validate() error {
	var p Problems
	g.Title, g.Purposes, g.DocumentRef, g.ReviewOn = strings.TrimSpace(g.Title), strings.TrimSpace(g.Purposes), strings.TrimSpace(g.DocumentRef), strings.TrimSpace(g.ReviewOn)
	if g.Title == "" {
		p.Add("title", "Enter the agreement's title")
	}
	CheckText(&p, "title", "Title", g.Title, MaxShortText)
	slices.Sort(g.Parties)
	g.Parties = slices.Compact(g.Parties)
	if len(g.Parties) < 2 || g.Parties[0] <= 0 {
		p.Add("parties", "Choose at least two agencies that are party to the agreement")
	}
	if g.Purposes == "" {
		p.Add("purposes", "Enter the purposes the agreement allows sharing for")
	}
	CheckText(&p, "purposes", "Purposes", g.Purposes, MaxLongText)
	g.LawfulBases = knownKeys(g.LawfulBases, LawfulBases)
	if len(g.LawfulBases) == 0 {
		p.Add("lawful_bases", "Choose the lawful bases the agreement rests on")
	}
	g.DataCategories = knownKeys(g.DataCategories, DataCategories)
	if len(g.DataCategories) == 0 {
		p.Add("data_categories", "Choose the categories of data the agreement covers")
	}
	if d, err := time.Parse(time.DateOnly, g.ReviewOn); err != nil || d.Year() < 2000 || d.Year() > 2100 {
		p.Add("review_on", "Enter the review date, like 31/3/2027")
	}
	if g.DocumentRef == "" {
		p.Add("document_ref", "Enter where the signed agreement is kept, like a file reference or address")
	}
	CheckText(&p, "document_ref", "Document reference", g.DocumentRef, MaxShortText)
	return p.Err()
}

// knownKeys keeps the keys of list that were chosen, in the list's order, each once:
// an unknown key is dropped (a form offers only known ones).
func knownKeys(chosen []string, list []struct{ Key, Label string }) []string {
	var out []string
	for _, k := range list {
		if slices.Contains(chosen, k.Key) {
			out = append(out, k.Key)
		}
	}
	return out
}

// DataCategoryLabel names a data category for people.
func DataCategoryLabel(key string) string {
	for _, c := range DataCategories {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// NoAgreementRecorded is the reason the migration gave shares made before the register
// existed: true of each of them, and flagged like any share without an agreement.
const NoAgreementRecorded = "No agreement recorded: the share was made before the register of sharing agreements."

// CheckShareAgreement is the one rule for what a share rests on, whichever side asks
// (a share of the owner, another agency's access request): an agreement from the
// register (g, loaded by the store for s.AgreementID; nil when there is no such
// agreement) that covers both agencies, has not lapsed on day now and gives the share's
// lawful basis; or, with no agreement, the reason none applies.
func CheckShareAgreement(p *Problems, s *Share, g *SharingAgreement, owner, other int64, now time.Time) {
	s.NoAgreementReason = strings.TrimSpace(s.NoAgreementReason)
	if s.AgreementID == 0 {
		if s.NoAgreementReason == "" {
			p.Add("agreement_reason", "Choose the sharing agreement the share rests on, or enter why no agreement applies")
		}
		CheckText(p, "agreement_reason", "Why no agreement applies", s.NoAgreementReason, MaxLongText)
		return
	}
	s.NoAgreementReason = ""
	switch {
	case g == nil:
		p.Add("agreement", "Choose an agreement from the register")
	case !g.Covers(owner, other):
		p.Add("agreement", "Choose an agreement that both agencies are party to: "+g.Title+" does not cover them both")
	case g.Expired(now):
		p.Add("agreement", g.Title+" passed its review date on "+g.ReviewOn+": choose another agreement, or enter why no agreement applies")
	case s.LawfulBasis != "" && !slices.Contains(g.LawfulBases, s.LawfulBasis):
		p.Add("lawful_basis", "Choose a lawful basis that "+g.Title+" gives")
	default:
		s.AgreementTitle = g.Title
	}
}

// ShareFlag is why a supervisor's attention is drawn to a share: it rests on no
// agreement, or on one that has lapsed.
type ShareFlag string

const (
	ShareFlagNone        ShareFlag = ""
	ShareFlagNoAgreement ShareFlag = "no_agreement"
	ShareFlagExpired     ShareFlag = "agreement_expired"
)

// Flag says whether and why a share is flagged on day now: a share without an
// agreement always; one under a lapsed agreement while it still gives access (or
// still waits for a decision).
func (s *Share) Flag(now time.Time) ShareFlag {
	if s.AgreementID == 0 {
		return ShareFlagNoAgreement
	}
	if s.AgreementReviewOn != "" && s.AgreementReviewOn < now.Format(time.DateOnly) &&
		(s.Status == ShareRequested || s.Live(now)) {
		return ShareFlagExpired
	}
	return ShareFlagNone
}

// MayEndExpiredShare lets a supervisor of the owning agency end a live share whose
// agreement has lapsed; anything else answers as a share that is not there, so a
// list of ids cannot probe other agencies' shares.
func MayEndExpiredShare(a Actor, owner int64, s *Share, now time.Time) error {
	if !IsOwnerSupervisor(a, owner) || !s.Live(now) || s.Flag(now) != ShareFlagExpired {
		return NoExpiredShare()
	}
	return nil
}

// NoExpiredShare is the one answer for a share that may not be ended as under an
// expired agreement, whatever the cause.
func NoExpiredShare() error {
	return Errorf(ENOTFOUND, "Share not found, or no longer under an expired agreement: nothing was ended.")
}

// MayManageAgreements lets the partnership administrator (and the command line)
// change the register.
func MayManageAgreements(a Actor) error {
	if a.runsPartnership() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can change the register of sharing agreements.")
}

// MayReadAgreements lets anyone at an agency read the register (a share form offers
// it; it holds no one's personal data), and the command line.
func MayReadAgreements(a Actor) error {
	if a.IsSystem() || a.AgencyID != 0 {
		return nil
	}
	return Errorf(EFORBIDDEN, "Sign in to read the register of sharing agreements.")
}

// ExpiredShare is a live share of the actor's agency's case under a lapsed agreement.
type ExpiredShare struct {
	ShareID       int64
	CaseReference string
	Agency        string // shared with
	Agreement     string
	ReviewOn      string
	Scope         ShareScope
	Since         time.Time // granted
}

// Audit actions of the register.
const (
	AuditAgreementCreated  = "agreement.created"
	AuditAgreementUpdated  = "agreement.updated"
	AuditShareEndedExpired = "case.share_ended_expired"
)

// AgreementService keeps the register and ends shares under lapsed agreements.
type AgreementService interface {
	FindAgreements(ctx context.Context, actor Actor) ([]*SharingAgreement, error)
	// FindAgreement returns one agreement and its history from the audit trail
	// (partnership administrators only).
	FindAgreement(ctx context.Context, actor Actor, id int64) (*SharingAgreement, []*AdminEvent, error)
	CreateAgreement(ctx context.Context, actor Actor, g *SharingAgreement) error
	UpdateAgreement(ctx context.Context, actor Actor, g *SharingAgreement) error
	// FindExpiredShares lists the live shares of the actor's agency's cases whose
	// agreement has lapsed: supervisors only.
	FindExpiredShares(ctx context.Context, actor Actor) ([]ExpiredShare, error)
	// EndExpiredShares ends those of ids the actor may end (MayEndExpiredShare), in one
	// transaction, each audited; it returns how many it ended.
	EndExpiredShares(ctx context.Context, actor Actor, ids []int64) (int, error)
}
