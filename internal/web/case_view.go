package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

type caseNotice struct {
	ID         string // for aria-labelledby
	PersonName string
	PersonHref string
	Agency     string
	Ours       bool   // the other case is the user's own agency's: nobody else to contact
	Ask        string // where to ask the agency for access to its case
}

type casePersonCard struct {
	Name            string
	Href            string
	RoleLabel       string
	RoleClass       string
	CoercedOffender bool
	PendingRole     string // "Change to suspect awaits a supervisor's approval"
	Rows            []summaryRow
}

type caseNoteRow struct {
	Anchor        string // "note-12"
	Author        string
	When          string
	Paragraphs    []string
	Sensitive     bool
	Edited        string // when the author changed it within the grace period
	Corrects      string // the anchor of the note it corrects
	CorrectsWhat  string // "the note of 20 November 2026 at 3:04pm by Sam Jones"
	CorrectedBy   []string
	EditHref      string // the author may still change it
	CorrectOption string // its option in the "corrects" select
}

type caseTaskRow struct {
	Title        string
	AssignedTo   string
	Due          string
	Overdue      bool
	Done         bool
	DoneAt       string
	CreatedBy    string
	CompleteHref string // "" when the user may not complete it
}

type caseShareRow struct {
	Agency      string
	Scope       string
	LawfulBasis string
	Reason      string
	Until       string
	StatusLabel string
	StatusClass string
	Requested   string // who asked and when
	Via         string // an access request: the agency asked for it, having this in common
	Granted     string // who decided and when
	DecideHref  string // a supervisor may approve here
	DeclineHref string // and decline, with a reason, on the share's decline page
	Decision    string // declined or closed as covered: why
	DecidePage  string // or decide on the access request's page
	RevokeHref  string // a supervisor may revoke
	Agreement   string // the agreement it cites, or why none applies
	FlagLabel   string // why a supervisor should look at it: no agreement, or a lapsed one
	FlagClass   string
}

type caseLink struct {
	Text, Href string
}

type caseAccessRow struct {
	When, User, Agency, What string
}

// caseNoteForm is what was typed into "Add a note", kept on a re-render.
type caseNoteForm struct {
	Text      string
	Sensitive bool
	Corrects  string
}

type casePage struct {
	Layout
	Flash     string
	Reference string
	Path      string
	CaseTitle string
	Owner     string // the owning agency

	StatusLabel string
	StatusClass string
	Rights      caseRights
	Summary     []summaryRow
	Reports     []caseLink
	Notices     []caseNotice
	People      []casePersonCard
	Places      [][]string // kind, address, postcode, notes
	Businesses  [][]string // name, kind, company number, address
	Vehicles    [][]string // registration as typed, description
	Phones      [][]string // number as typed, notes
	Orders      [][]string // kind, person, made, expires, notes
	Timeline    []caseNoteRow
	Tasks       []caseTaskRow
	Shares      []caseShareRow
	SharesIntro string
	AccessLog   []caseAccessRow
	ShowAccess  bool
	Links       []linkGroup // possible links to other records, by the identifier shared
	ShowLinks   bool
	Matches     *caseMatchSummary // possible matches of its people; nil without a match service
	NetworkHref string            // the case's network; "" without a match service

	NoteForm     caseNoteForm
	NoteCorrects []selectOption
}

// handleCase shows a case with everything on it the user may see. Opening it is a
// view recorded in the case's access log.
func (s *Server) handleCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flash := s.sessions.PopString(r.Context(), sessCaseFlash)
		s.renderCase(w, r, http.StatusOK, caseNoteForm{}, nil, flash)
	})
}

// renderCase loads the case in the path and renders its page, with what was typed
// into the note form and any problems.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, note caseNoteForm, errs []FieldError, flash string) {
	ctx := r.Context()
	c := s.loadCase(w, r)
	if c == nil {
		return
	}
	user := userFrom(ctx)
	rights := rightsOn(c, user)
	districts, err := s.deps.Reports.FindDistricts(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &casePage{
		Layout:      s.newLayout(r, c.Reference+": "+c.Title),
		Flash:       flash,
		Reference:   c.Reference,
		Path:        casePath(c.Reference),
		CaseTitle:   c.Title,
		Owner:       c.OwnerAgency,
		StatusLabel: c.Status.Label(),
		StatusClass: caseStatusTag(c.Status),
		Rights:      rights,
		NoteForm:    note,
	}
	p.Nav = "cases"
	p.Errors = errs
	p.Summary = caseSummary(c, districts)
	for _, ref := range c.Reports {
		l := caseLink{Text: ref, Href: caseReportPath(c.Reference, ref)}
		p.Reports = append(p.Reports, l)
	}
	for i, n := range c.Notices {
		notice := caseNotice{ID: "s45-" + strconv.Itoa(i+1), PersonName: n.PersonName, PersonHref: personPath(n.PersonID), Agency: n.ContactAgency,
			Ours: p.User != nil && p.User.Agency != nil && n.ContactAgency == p.User.Agency.Name}
		if !notice.Ours && n.AgencyID != 0 && s.deps.Access != nil && tropic.CaseWorker(actorOf(r)) {
			notice.Ask = accessRequestS45Path(c.Reference, n.PersonID, n.AgencyID)
		}
		p.Notices = append(p.Notices, notice)
	}
	names := map[int64]string{}
	for _, cp := range c.People {
		names[cp.Person.ID] = cp.Person.FullName()
		p.People = append(p.People, personCard(cp))
	}
	for _, pl := range c.Places {
		p.Places = append(p.Places, []string{placeKindLabel(pl.Kind), pl.Address, pl.Postcode, fromReport(pl.Notes, pl.Source)})
	}
	for _, b := range c.Business {
		p.Businesses = append(p.Businesses, []string{b.Name, businessKindLabel(b.Kind), b.CompanyNumber, fromReport(b.Address, b.Source)})
	}
	for _, v := range c.Vehicles {
		p.Vehicles = append(p.Vehicles, []string{v.Registration, fromReport(v.Description, v.Source)})
	}
	for _, ph := range c.Phones {
		p.Phones = append(p.Phones, []string{ph.Number, fromReport(ph.Notes, ph.Source)})
	}
	for _, o := range c.Orders {
		who := names[o.PersonID]
		if who == "" {
			who = "A person not on this case"
		}
		p.Orders = append(p.Orders, []string{orderKindLabel(o.Kind), who, caseDate(o.MadeOn), caseDate(o.ExpiresOn), o.Notes})
	}
	p.Timeline, p.NoteCorrects = s.caseTimeline(c, user, note.Corrects)
	now := s.now()
	for _, t := range c.Tasks {
		p.Tasks = append(p.Tasks, caseTask(c, t, user, now))
	}
	for _, sh := range c.Shares {
		if !rights.Owner && sh.AgencyID != user.AgencyID {
			continue // the receiving agency sees its own shares only
		}
		p.Shares = append(p.Shares, caseShare(c, sh, rights, now))
	}
	switch {
	case rights.Owner && len(p.Shares) == 0:
		p.SharesIntro = "This case is not shared with any other agency."
	case rights.Owner:
		p.SharesIntro = "The agencies this case is shared with, or has been. Every share, and every view by another agency, is recorded."
	default:
		p.SharesIntro = c.OwnerAgency + " owns this case and shares it with your agency as below."
	}
	if rights.Supervisor {
		log, err := s.deps.Cases.FindAccessLog(ctx, actorOf(r), c.Reference)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.ShowAccess = true
		for _, e := range log {
			p.AccessLog = append(p.AccessLog, caseAccessRow{When: displayDateTime(e.At), User: e.User, Agency: e.Agency, What: e.What})
		}
	}
	if p.Links, p.ShowLinks, err = s.caseLinks(ctx, actorOf(r), c.Reference, p.ShowTriage); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Matches, err = s.caseMatches(r, c.Reference); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Matches != nil {
		p.NetworkHref = casePath(c.Reference) + "/network"
	}
	s.render(w, r, status, "case_view", p)
}

// caseSummary lays out the case's own fields.
func caseSummary(c *tropic.Case, districts []tropic.District) []summaryRow {
	status := c.Status.Label()
	if c.PendingClosure != nil {
		status += ": a request to close it waits for a supervisor"
	}
	if c.Status == tropic.CaseClosed {
		status += ": " + c.Outcome.Label()
		if d := caseDay(c.ClosedAt); d != "" {
			status += ", on " + d
		}
	}
	crime := "No crime recorded"
	if c.CrimeReference != "" {
		crime = c.CrimeReference
		if d := caseDay(c.CrimeRecorded); d != "" {
			crime += " (recorded " + d + ")"
		}
	}
	offence := "None recorded"
	if c.Offence != "" {
		offence = c.Offence.Label()
	}
	changed := fmt.Sprintf("%s, version %d", displayDateTime(c.UpdatedAt), c.Version)
	if c.UpdatedBy != "" {
		changed = fmt.Sprintf("%s by %s, version %d", displayDateTime(c.UpdatedAt), c.UpdatedBy, c.Version)
	}
	return []summaryRow{
		{"Reference", []string{c.Reference}},
		{"Owned by", []string{c.OwnerAgency}},
		{"Status", []string{status}},
		{"District", []string{districtName(c.District, districts)}},
		{"Exploitation", []string{exploitationText(c.Exploitation)}},
		{"Opened", []string{caseDay(c.OpenedAt)}},
		{"Officer in charge", []string{orNone(c.Officer, "Nobody yet")}},
		{"Review date", []string{orNone(caseDate(c.ReviewOn), "None set")}},
		{"Crime reference", []string{crime}},
		{"Offence", []string{offence}},
		{"Last changed", []string{changed}},
	}
}

// personCard is a person as the case page shows them; sensitive fields say so when hidden.
func personCard(cp *tropic.CasePerson) casePersonCard {
	pe := cp.Person
	card := casePersonCard{
		Name:            pe.FullName(),
		Href:            personPath(pe.ID),
		RoleLabel:       cp.Role.Label(),
		RoleClass:       caseRoleTag(cp.Role),
		CoercedOffender: cp.CoercedOffender,
	}
	if card.Name == "" && len(pe.Aliases) > 0 {
		card.Name = "Known as " + pe.Aliases[0]
	}
	if rc := cp.PendingRole; rc != nil && rc.Status == tropic.RoleChangeRequested {
		card.PendingRole = "Change to " + strings.ToLower(rc.To.Label()) + " awaits a supervisor’s approval"
	}
	orNot := func(s string) []string {
		if s == "" {
			return []string{"Not recorded"}
		}
		return []string{s}
	}
	age := pe.DateOfBirth
	switch {
	case age != "":
		age = "Born " + caseDate(age)
	case pe.ApproxAge > 0:
		age = fmt.Sprintf("About %d years old", pe.ApproxAge)
	}
	card.Rows = []summaryRow{
		{"Aliases", orNot(strings.Join(pe.Aliases, ", "))},
		{"Date of birth or age", orNot(age)},
		{"Nationality", orNot(pe.Nationality)},
		{"Phone", orNot(pe.Phone)},
		{"Immigration status", sensitiveValue(pe, pe.ImmigrationStatus)},
	}
	return card
}

// sensitiveValue shows a sensitive field, or says that it is hidden.
func sensitiveValue(pe *tropic.Person, v string) []string {
	switch {
	case pe.SensitiveHidden:
		return []string{"Hidden: not shared with your agency"}
	case v == "":
		return []string{"Not recorded"}
	}
	return paragraphs(v)
}

// caseTimeline lays out the notes, linking corrections both ways, and the choices
// of note a new note may correct.
func (s *Server) caseTimeline(c *tropic.Case, user *tropic.User, corrects string) ([]caseNoteRow, []selectOption) {
	now := s.now()
	byID := map[int64]*tropic.Note{}
	for _, n := range c.Notes {
		byID[n.ID] = n
	}
	anchor := func(id int64) string { return "note-" + strconv.FormatInt(id, 10) }
	describe := func(n *tropic.Note) string { return "the note of " + displayDateTime(n.At) + " by " + n.Author }
	var rows []caseNoteRow
	options := []selectOption{{Value: "", Label: "None: this is a new note", Selected: corrects == ""}}
	for _, n := range c.Notes {
		row := caseNoteRow{
			Anchor:     anchor(n.ID),
			Author:     n.Author,
			When:       displayDateTime(n.At),
			Paragraphs: paragraphs(n.Text),
			Sensitive:  n.Sensitive,
		}
		if n.Agency != "" {
			row.Author += ", " + n.Agency
		}
		if !n.EditedAt.IsZero() {
			row.Edited = displayDateTime(n.EditedAt)
		}
		if o, ok := byID[n.Corrects]; ok {
			row.Corrects, row.CorrectsWhat = anchor(o.ID), describe(o)
		}
		for _, later := range c.Notes {
			if later.Corrects == n.ID {
				row.CorrectedBy = append(row.CorrectedBy, anchor(later.ID))
			}
		}
		if tropic.MayEditNote(tropic.ActorFor(user), n, now) == nil {
			row.EditHref = casePath(c.Reference) + "/notes/" + strconv.FormatInt(n.ID, 10) + "/edit"
		}
		id := strconv.FormatInt(n.ID, 10)
		options = append(options, selectOption{Value: id, Label: "The note of " + displayDateTime(n.At) + " by " + n.Author, Selected: corrects == id})
		rows = append(rows, row)
	}
	return rows, options
}

// caseTask is a task as the case page lists it. The agency or person it is for, and
// the owning agency, may mark it done.
func caseTask(c *tropic.Case, t *tropic.Task, user *tropic.User, now time.Time) caseTaskRow {
	row := caseTaskRow{Title: t.Title, Done: t.Done, CreatedBy: t.CreatedBy}
	switch {
	case t.UserName != "" && t.AgencyName != "":
		row.AssignedTo = t.UserName + ", " + t.AgencyName
	case t.UserName != "":
		row.AssignedTo = t.UserName
	default:
		row.AssignedTo = t.AgencyName
	}
	row.Due = "No due date"
	if t.Due != "" {
		row.Due = caseDate(t.Due)
		row.Overdue = t.Overdue(now)
	}
	if t.Done {
		row.DoneAt = displayDateTime(t.DoneAt)
	}
	mine := t.AssignedUser == user.ID || t.AssignedAgency == user.AgencyID || user.AgencyID == c.OwnerAgencyID
	if !t.Done && mine {
		row.CompleteHref = casePath(c.Reference) + "/tasks/" + strconv.FormatInt(t.ID, 10) + "/complete"
	}
	return row
}

// caseShare is a share as the case page lists it, with the supervisor's actions.
func caseShare(c *tropic.Case, sh *tropic.Share, rights caseRights, now time.Time) caseShareRow {
	label, class := shareStatusTag(sh.Status)
	row := caseShareRow{
		Agency:      sh.AgencyName,
		Scope:       shareScopeLabel(sh.Scope),
		LawfulBasis: lawfulBasisLabel(sh.LawfulBasis),
		Reason:      sh.Reason,
		Until:       "No end date",
		StatusLabel: label,
		StatusClass: class,
		Agreement:   shareAgreementText(sh),
	}
	row.FlagLabel, row.FlagClass = shareFlagTag(sh.Flag(now))
	if sh.Until != "" {
		row.Until = "Until the end of " + caseDate(sh.Until)
	}
	if sh.RequestedBy != "" {
		row.Requested = sh.RequestedBy + ", " + displayDateTime(sh.CreatedAt)
	}
	if sh.Kind == tropic.ShareByRequest {
		row.Via = sh.AgencyName + " asked for access. " + accessViaText(sh.AccessBy, sh.Via)
	}
	if sh.Status == tropic.ShareDeclined || sh.Status == tropic.ShareCovered {
		row.Decision = sh.DecisionReason
	}
	switch {
	case sh.GrantedBy != "" && !sh.DecidedAt.IsZero():
		row.Granted = sh.GrantedBy + ", " + displayDateTime(sh.DecidedAt)
	case sh.GrantedBy != "":
		row.Granted = sh.GrantedBy
	case !sh.DecidedAt.IsZero():
		row.Granted = "Declined " + displayDateTime(sh.DecidedAt)
	}
	if sh.Status == tropic.ShareRevoked && !sh.RevokedAt.IsZero() {
		row.StatusLabel += " " + caseDay(sh.RevokedAt)
	}
	base := casePath(c.Reference) + "/shares/" + strconv.FormatInt(sh.ID, 10)
	if rights.Supervisor {
		switch sh.Status {
		case tropic.ShareRequested:
			row.DecideHref, row.DeclineHref = base+"/decision", base+"/decline"
			if sh.Kind == tropic.ShareByRequest {
				// Declining needs a reason the requester reads: on the request's page.
				row.DecideHref, row.DecidePage = "", "/approvals/access/"+strconv.FormatInt(sh.ID, 10)
			}
		case tropic.ShareActive:
			row.RevokeHref = base + "/revoke"
		}
	}
	return row
}

// shareAgreementText says what a share rests on: its agreement, or why none applies.
func shareAgreementText(sh *tropic.Share) string {
	if sh.AgreementID == 0 {
		return "None. " + sh.NoAgreementReason
	}
	return sh.AgreementTitle + " (review by " + caseDate(sh.AgreementReviewOn) + ")"
}

// shareFlagTag is the tag of a flagged share; "" when it is not flagged.
func shareFlagTag(f tropic.ShareFlag) (label, class string) {
	switch f {
	case tropic.ShareFlagNoAgreement:
		return "No sharing agreement", "govuk-tag--orange"
	case tropic.ShareFlagExpired:
		return "Agreement past its review date", "govuk-tag--red"
	}
	return "", ""
}

// orNone is s, or what to say when it is empty.
func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// fromReport marks a record carried from a report: its last column says so.
func fromReport(text, source string) string {
	if source == "" {
		return text
	}
	if text == "" {
		return "From report " + source
	}
	return text + " (from report " + source + ")"
}
