package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The possible matches of a case's people: person records elsewhere that the matcher
// thinks may be the same person, each with why. The owning agency's caseworkers
// decide: link the records, merge them into one (with an undo), or reject the
// suggestion for good. A record the user may not see is told only as held by its
// agency, whom to contact, and may only be rejected. Anyone who may see the case may
// read the list; deciding is for the agency that owns it (the store keeps the same
// need to know, and the rest of its rules).

// matchForm is what was typed into one suggestion's form, kept on a re-render.
type matchForm struct {
	ID       int64
	Undo     bool // the undo form of a merge, not the decision form
	Decision string
	Reason   string
}

// matchCard is one suggestion as the page shows it.
type matchCard struct {
	ID          string
	Title       string // the card's title, under its person's heading: "Ana Kowalska, on C-…"
	Heading     string // the suggestion in full, for buttons: "Anna Kowalska and Ana Kowalska, on C-…"
	PersonName  string
	PersonHref  string
	Visible     bool
	OtherName   string
	OtherHref   string
	OtherCases  []caseLink
	HeldBy      string
	Advice      string     // what to do about a record the user may not see
	Asks        []caseLink // ask each holder of a hidden record for access to it
	Band        string     // "Strong", "Likely" or "Possible"
	BandClass   string
	Probability string // "93%"; only for a record the viewer may see
	Reasons     []string
	StatusLabel string
	StatusClass string
	Decided     string // "Sam Carver, 2 January 2026 at 3:04pm"
	Reason      string

	Action     string // the decision form's address; "" when the user may not decide
	RejectOnly bool   // the other record is hidden: it may only be rejected
	Decisions  []selectOption
	Typed      string // the reason as typed, on a re-render
	UndoAction string // a merge the user may undo
}

// matchGroup is the suggestions of one person on the case.
type matchGroup struct {
	ID         string // for the heading's id
	Heading    string // "Anna Kowalska: 3 possible matches"
	PersonHref string
	Cards      []matchCard
}

type matchesPage struct {
	Layout
	Flash       string
	Reference   string
	CaseTitle   string
	Path        string
	CanDecide   bool
	Summary     string // "3 possible matches to decide for 2 people on this case."
	Open        []matchGroup
	Decided     []matchGroup
	NetworkHref string
}

// groupMatches puts cards under the person on the case they are about, in the order
// the people first appear; what says what the cards are: "possible match".
func groupMatches(cards []matchCard, one, many string) []matchGroup {
	var out []matchGroup
	at := map[string]int{}
	for _, c := range cards {
		i, ok := at[c.PersonHref]
		if !ok {
			i = len(out)
			at[c.PersonHref] = i
			out = append(out, matchGroup{ID: fmt.Sprintf("person-%d", i+1), PersonHref: c.PersonHref})
		}
		out[i].Cards = append(out[i].Cards, c)
	}
	for i := range out {
		out[i].Heading = out[i].Cards[0].PersonName + ": " + plural(len(out[i].Cards), one, many)
	}
	return out
}

// matchBandClass colours a band.
func matchBandClass(b tropic.MatchBand) string {
	switch b {
	case tropic.BandStrong:
		return "govuk-tag--green"
	case tropic.BandLikely:
		return "govuk-tag--blue"
	}
	return "govuk-tag--grey"
}

// matchReasons splits an explanation into its parts: "same surname; given name
// similar 0.93" is two reasons.
func matchReasons(explanation string) []string {
	var out []string
	for _, r := range strings.Split(explanation, ";") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, capitalise(r))
		}
	}
	return out
}

// The decisions, in the order the form offers them.
var matchDecisions = []struct {
	d     tropic.MatchDecision
	label string
}{
	{tropic.DecideLink, "Same person: link the records"},
	{tropic.DecideMerge, "Same person: merge into one record"},
	{tropic.DecideReject, "Not the same person: never suggest again"},
}

// matchPercent writes a probability as a whole percentage, never rounding a
// near-certainty up to 100% or a faint chance down to 0%.
func matchPercent(p float64) string {
	v := math.Round(p * 100)
	switch {
	case v >= 100 && p < 1:
		v = 99
	case v <= 0 && p > 0:
		v = 1
	}
	return strconv.Itoa(int(v)) + "%"
}

// matchStatusTag names and colours a decided match.
func matchStatusTag(st tropic.MatchStatus) (string, string) {
	switch st {
	case tropic.MatchOpen:
		return "To decide", "govuk-tag--yellow"
	case tropic.MatchLinked:
		return "Linked", "govuk-tag--green"
	case tropic.MatchMerged:
		return "Merged", "govuk-tag--blue"
	}
	return string(st), "govuk-tag--grey"
}

// heldByText is who holds a hidden record, in a sentence.
func heldByText(agency string) string {
	if agency == "" {
		return "another agency"
	}
	return agency
}

// hiddenMatchAdvice says whom to ask about a possible match held by agencies the user's
// may not see into: the holders review it if they can see this case (a live share of
// it), and only its owner can share it.
func hiddenMatchAdvice(c *tropic.Case, heldBy string, owner bool, now time.Time) string {
	holder := heldByText(heldBy)
	if !owner {
		if heldBy == c.OwnerAgency {
			return holder + " holds this case and the other record: ask them to review it."
		}
		return "Ask " + c.OwnerAgency + ", which holds this case, to review it with " + holder + "."
	}
	for _, sh := range c.Shares {
		if sh.AgencyName == heldBy && sh.Live(now) {
			return holder + " can see this case: ask them to review it."
		}
	}
	return "Ask them to review it: they can see both records only if you share this case with them."
}

// matchCardFrom lays out one suggestion for the user; owner says they may decide.
func matchCardFrom(ref string, ps tropic.PersonSuggestion, owner bool, typed *matchForm) matchCard {
	id := strconv.FormatInt(ps.ID, 10)
	c := matchCard{
		ID:         id,
		PersonName: ps.PersonName,
		PersonHref: personPath(ps.PersonID),
		Visible:    ps.Visible,
		HeldBy:     heldByText(ps.HeldBy),
		Reasons:    matchReasons(ps.Explanation),
		Reason:     ps.Reason,
	}
	// The store gives the band; the figure only for a record the viewer may see.
	c.Band, c.BandClass = ps.Band.Label(), matchBandClass(ps.Band)
	if ps.Visible {
		c.Probability = matchPercent(ps.Probability)
	}
	if c.PersonName == "" {
		c.PersonName = "A person on this case"
	}
	c.StatusLabel, c.StatusClass = matchStatusTag(ps.Status)
	if ps.Visible {
		c.OtherName = ps.OtherName
		if c.OtherName == "" {
			c.OtherName = "A person with no name recorded"
		}
		c.OtherHref = personPath(ps.OtherID)
		for _, r := range ps.OtherCases {
			c.OtherCases = append(c.OtherCases, caseLink{Text: r, Href: casePath(r)})
		}
		c.Title = c.OtherName
		if len(ps.OtherCases) > 0 {
			c.Title += ", on " + joinAnd(ps.OtherCases)
		}
		c.Heading = c.PersonName + " and " + c.Title
	} else {
		c.Title = "A record held by " + c.HeldBy
		c.Heading = c.PersonName + " and a record held by " + c.HeldBy
	}
	if ps.DecidedBy != "" {
		c.Decided = ps.DecidedBy
		if !ps.DecidedAt.IsZero() {
			c.Decided += ", " + displayDateTime(ps.DecidedAt)
		}
	}
	base := casePath(ref) + "/matches/" + id
	switch {
	case !owner:
	case ps.Status == tropic.MatchOpen:
		c.Action = base
		c.RejectOnly = !ps.Visible
		var chosen string
		if typed != nil && typed.ID == ps.ID && !typed.Undo {
			chosen, c.Typed = typed.Decision, typed.Reason
		}
		for _, d := range matchDecisions {
			c.Decisions = append(c.Decisions, selectOption{Value: string(d.d), Label: d.label, Selected: chosen == string(d.d)})
		}
		c.Decisions = radioOptions("match-"+id+"-decision", c.Decisions)
	case ps.Status == tropic.MatchMerged:
		c.UndoAction = base + "/undo"
		if typed != nil && typed.ID == ps.ID && typed.Undo {
			c.Typed = typed.Reason
		}
	}
	return c
}

// handleCaseMatches lists the possible matches of the people on a case.
func (s *Server) handleCaseMatches() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flash := s.sessions.PopString(r.Context(), sessCaseFlash)
		s.renderMatches(w, r, http.StatusOK, nil, nil, flash)
	})
}

// renderMatches loads the case in the path and its suggestions, and renders the
// page with what was typed into one form and its problems.
func (s *Server) renderMatches(w http.ResponseWriter, r *http.Request, status int, typed *matchForm, errs []FieldError, flash string) {
	if s.deps.Matches == nil {
		s.notFound(w, r)
		return
	}
	c := s.loadCase(w, r)
	if c == nil {
		return
	}
	rights := rightsOn(c, userFrom(r.Context()))
	suggestions, err := s.deps.Matches.Suggestions(r.Context(), actorOf(r), c.Reference)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &matchesPage{
		Layout:      s.newLayout(r, "Possible matches: "+c.Reference),
		Flash:       flash,
		Reference:   c.Reference,
		CaseTitle:   c.Title,
		Path:        casePath(c.Reference),
		CanDecide:   rights.Owner,
		NetworkHref: casePath(c.Reference) + "/network",
	}
	p.Nav = "cases"
	p.Errors = errs
	var open, decided []matchCard
	for _, ps := range suggestions {
		card := matchCardFrom(c.Reference, ps, rights.Owner, typed)
		if !ps.Visible && ps.Status == tropic.MatchOpen {
			card.Advice = hiddenMatchAdvice(c, ps.HeldBy, rights.Owner, s.now())
			if s.deps.Access != nil && tropic.CaseWorker(actorOf(r)) {
				for _, h := range ps.Holders {
					card.Asks = append(card.Asks, caseLink{Text: "Ask " + h.Name + " for access to their record", Href: accessRequestMatchPath(c.Reference, ps.ID, h.ID)})
				}
			}
		}
		if ps.Status == tropic.MatchOpen {
			open = append(open, card)
		} else {
			decided = append(decided, card)
		}
	}
	p.Open = groupMatches(open, "possible match", "possible matches")
	p.Decided = groupMatches(decided, "linked record", "linked records")
	switch {
	case len(open) == 0:
		p.Summary = "No possible matches to decide."
	default:
		p.Summary = plural(len(open), "possible match", "possible matches") + " to decide for " + plural(len(p.Open), "person", "people") + " on this case."
	}
	if len(decided) > 0 {
		p.Summary += " " + capitalise(plural(len(decided), "record", "records")) + " linked."
	}
	s.render(w, r, status, "case_matches", p)
}

// matchTarget reads the case and the match of the path for a decision, answering
// as missing to anyone but the owning agency's case workers. ok is false after
// answering.
func (s *Server) matchTarget(w http.ResponseWriter, r *http.Request) (ref string, id int64, ok bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, okRef := caseRefFrom(r); !okRef || err != nil || id <= 0 || s.deps.Matches == nil {
		s.notFound(w, r)
		return "", 0, false
	}
	c := s.loadCase(w, r)
	if c == nil {
		return "", 0, false
	}
	if err := tropic.MayChangeCase(actorOf(r), c); err != nil {
		s.fail(w, r, err)
		return "", 0, false
	}
	if !s.parseForm(w, r) {
		return "", 0, false
	}
	return c.Reference, id, true
}

// handleCaseMatchDecision links, merges or rejects a suggestion.
func (s *Server) handleCaseMatchDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, id, ok := s.matchTarget(w, r)
		if !ok {
			return
		}
		f := &matchForm{ID: id, Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason")}
		d := tropic.MatchDecision(f.Decision)
		reason := strings.TrimSpace(f.Reason)
		var err error
		switch {
		case d != tropic.DecideLink && d != tropic.DecideMerge && d != tropic.DecideReject:
			err = invalid("decision", "Choose whether these are the same person")
		case d == tropic.DecideReject && reason == "" && r.PostFormValue("other") == "hidden":
			err = invalid("reason", "Enter why it is not relevant to this case")
		case d == tropic.DecideReject && reason == "":
			err = invalid("reason", "Enter why these are not the same person")
		case d == tropic.DecideMerge && reason == "":
			err = invalid("reason", "Enter why these records are the same person")
		default:
			err = s.deps.Matches.Decide(r.Context(), actorOf(r), ref, id, d, reason)
		}
		prefix := fmt.Sprintf("match-%d-", id)
		switch tropic.ErrorCode(err) {
		case "":
			msg := map[tropic.MatchDecision]string{
				tropic.DecideLink:   "The records are linked as the same person. Each stays on its own case.",
				tropic.DecideMerge:  "The records are merged into one. You can undo the merge under “Linked records”.",
				tropic.DecideReject: "The suggestion is rejected. It will not be made again.",
			}[d]
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(ref)+"/matches", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderMatches(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, prefix, "decision", "reason"), "")
		case tropic.ECONFLICT, tropic.EFORBIDDEN:
			// Already decided, or a record the agency may not link: the store says why.
			s.renderMatches(w, r, statusFor(tropic.ErrorCode(err)), f, []FieldError{{Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

// handleCaseMatchUndo takes a merge back.
func (s *Server) handleCaseMatchUndo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, id, ok := s.matchTarget(w, r)
		if !ok {
			return
		}
		f := &matchForm{ID: id, Undo: true, Reason: r.PostFormValue("reason")}
		var err error
		if reason := strings.TrimSpace(f.Reason); reason == "" {
			err = invalid("reason", "Enter why this merge should be undone")
		} else {
			err = s.deps.Matches.UndoMerge(r.Context(), actorOf(r), ref, id, reason)
		}
		prefix := fmt.Sprintf("undo-%d-", id)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "The merge is undone: the two records are apart again, and no longer linked.")
			http.Redirect(w, r, casePath(ref)+"/matches", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderMatches(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, prefix, "reason"), "")
		case tropic.ECONFLICT, tropic.EFORBIDDEN:
			s.renderMatches(w, r, statusFor(tropic.ErrorCode(err)), f, []FieldError{{Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

// caseMatchSummary is what the case page says of its possible matches.
type caseMatchSummary struct {
	Open   int
	Linked int // linked and merged
	Href   string
}

// caseMatches counts a case's suggestions for its page; without a match service, nil.
func (s *Server) caseMatches(r *http.Request, ref string) (*caseMatchSummary, error) {
	if s.deps.Matches == nil {
		return nil, nil
	}
	suggestions, err := s.deps.Matches.Suggestions(r.Context(), actorOf(r), ref)
	if err != nil {
		return nil, err
	}
	sum := &caseMatchSummary{Href: casePath(ref) + "/matches"}
	for _, ps := range suggestions {
		if ps.Status == tropic.MatchOpen {
			sum.Open++
		} else {
			sum.Linked++
		}
	}
	return sum, nil
}
