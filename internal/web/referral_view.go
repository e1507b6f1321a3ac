package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// A referral's page: the record, its decisions in order, its next deadline, and the
// form that records the next decision for the agency that made it.

// referralCorrectionRow is one correction of a Duty to Notify report, as its history shows it.
type referralCorrectionRow struct {
	When, By, Reason string
	Changes          []string
}

type referralDecisionRow struct {
	What, Date, Outcome string
}

// decisionForm is what was typed into "Record a decision", kept on a re-render.
type decisionForm struct {
	Kind, Date, Outcome string
}

type referralPage struct {
	Layout
	Flash       string
	Heading     string // the record in full: "Duty to Notify report 12"
	Record      string // the H1, under a caption naming the kind: "Report 12"
	Path        string
	StatusLabel string
	StatusClass string
	DtN         bool
	Rows        []summaryRow
	Deadline    referralDeadline
	Decisions   []referralDecisionRow
	CanDecide   bool
	CanWithdraw bool // a Duty to Notify report its reader's agency made, not withdrawn (and so may be corrected)
	Corrections []referralCorrectionRow
	Version     int
	Form        decisionForm
	Kinds       []selectOption
	Outcomes    []selectOption
}

// handleReferral shows a referral.
func (s *Server) handleReferral() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		flash := s.sessions.PopString(r.Context(), sessCaseFlash)
		s.renderReferral(w, r, http.StatusOK, ref, decisionForm{}, nil, flash)
	})
}

// handleReferralDecision records the next decision on a referral.
func (s *Server) handleReferralDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := decisionForm{Kind: r.PostFormValue("kind"), Date: r.PostFormValue("date"), Outcome: r.PostFormValue("outcome")}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		d := tropic.ReferralDecision{Kind: f.Kind, Date: caseDateInput(f.Date), Outcome: f.Outcome}
		err := s.deps.Referrals.RecordDecision(r.Context(), actorOf(r), ref.ID, d, version)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "The decision has been recorded.")
			http.Redirect(w, r, referralPath(ref.ID), http.StatusSeeOther)
		case tropic.EINVALID, tropic.ECONFLICT:
			if tropic.ErrorCode(err) == tropic.ECONFLICT {
				err = invalid("kind", tropic.ErrorMessage(err))
			}
			if ref = s.loadReferral(w, r); ref == nil { // as it is now
				return
			}
			status := http.StatusUnprocessableEntity
			s.renderReferral(w, r, status, ref, f, fieldErrors(err, "decision_", "kind", "date", "outcome"), "")
		default:
			s.fail(w, r, err)
		}
	})
}

// decisionKinds are the decisions a referral may take, in the order they come.
var decisionKinds = []struct{ Key, Label string }{
	{"rg", "Reasonable Grounds decision"},
	{"cg", "Conclusive Grounds decision"},
	{"reconsideration_requested", "Reconsideration requested"},
	{"reconsideration_decided", "Reconsideration decided"},
	{"withdrawn", "Withdrawn or closed"},
	{"disqualified", "Disqualified (public order or bad faith)"},
}

// decisionOutcomes are the outcomes, each named with the decision it belongs to.
var decisionOutcomes = []struct{ Key, Label string }{
	{"", "No outcome (withdrawn, disqualified or reconsideration requested)"},
	{tropic.RGPositive, "Reasonable Grounds: positive"},
	{tropic.RGNegative, "Reasonable Grounds: negative"},
	{tropic.RGSuspended, "Reasonable Grounds: suspended, the person is missing"},
	{tropic.CGVictimTrafficking, "Conclusive Grounds: victim of human trafficking"},
	{tropic.CGVictimSlavery, "Conclusive Grounds: victim of slavery, servitude, or forced or compulsory labour"},
	{tropic.CGInsufficient, "Conclusive Grounds: insufficient evidence"},
	{"upheld", "Reconsideration: decision upheld"},
	{"overturned", "Reconsideration: decision overturned"},
}

// nextKind is the decision a referral most likely takes next, chosen by default.
func nextKind(ref *tropic.Referral) string {
	switch ref.Status() {
	case "awaiting_rg", "rg_suspended":
		return "rg"
	case "awaiting_cg":
		return "cg"
	case "reconsideration":
		return "reconsideration_decided"
	}
	return ""
}

func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, status int, ref *tropic.Referral, f decisionForm, errs []FieldError, flash string) {
	cal, err := s.referralCalendar(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	label, class := referralStatusTag(ref.Status())
	p := &referralPage{
		Layout:      s.newLayout(r, referralTitle(ref)),
		Flash:       flash,
		Heading:     referralTitle(ref),
		Record:      referralRecord(ref),
		Path:        referralPath(ref.ID),
		StatusLabel: label,
		StatusClass: class,
		DtN:         ref.Route == tropic.RouteDtN,
		Rows:        referralRows(ref),
		Deadline:    deadlineOf(ref, cal, s.now(), s.recoveryDays),
		Decisions:   referralDecisions(ref, s.recoveryDays),
		Version:     ref.Version,
		Form:        f,
	}
	p.Nav = "referrals"
	p.Errors = errs
	p.CanDecide = ref.MayRecordDecisions()
	p.CanWithdraw = ref.MayAmendDutyToNotify("withdraw it") == nil
	for _, c := range ref.Corrections {
		p.Corrections = append(p.Corrections, referralCorrectionRow{When: c.At.In(partnershipZone).Format("15:04 on 2 January 2006"),
			By: c.By, Reason: c.Reason.Label(), Changes: c.Changes})
	}
	if p.CanDecide {
		kind := f.Kind
		if errs == nil {
			kind = nextKind(ref)
		}
		for _, k := range decisionKinds {
			p.Kinds = append(p.Kinds, selectOption{Value: k.Key, Label: k.Label, Selected: kind == k.Key})
		}
		p.Kinds = radioOptions("decision_kind", p.Kinds)
		for _, o := range decisionOutcomes {
			p.Outcomes = append(p.Outcomes, selectOption{Value: o.Key, Label: o.Label, Selected: f.Outcome == o.Key})
		}
	}
	s.render(w, r, status, "referral_view", p)
}

// referralRows lays out the record. A Duty to Notify report has no person to show.
func referralRows(ref *tropic.Referral) []summaryRow {
	orNot := func(v, none string) []string {
		if v == "" {
			return []string{none}
		}
		return []string{v}
	}
	rows := []summaryRow{
		{"Route", []string{referralRouteLabel(ref.Route)}},
		{"Made by", []string{ref.AgencyName}},
	}
	if ref.Route == tropic.RouteNRM {
		rows = append(rows, summaryRow{"Case", orNot(ref.CaseReference, "Not recorded")}, summaryRow{"Potential victim", orNot(ref.PersonName, "Name not known")})
	} else {
		rows = append(rows, summaryRow{"Person", []string{"Not identified: a Duty to Notify report holds nothing that identifies the person (s.52(3))"}})
	}
	rows = append(rows,
		summaryRow{"Age", []string{ageGroupText(ref)}},
		summaryRow{"Age at exploitation", []string{ageAtExploitationText(ref)}},
		summaryRow{"Gender", orNot(genderLabel(ref.Gender), "Not recorded")},
		summaryRow{"Nationality", orNot(ref.Nationality, "Not recorded")},
		summaryRow{"Consent", []string{consentText(ref)}},
		summaryRow{"Submitted", []string{caseDate(ref.SubmittedOn)}},
		summaryRow{"Exploitation", []string{exploitationText(ref.Exploitation)}},
		summaryRow{"Where the exploitation took place", orNot(exploitationLocationLabel(ref.Location), "Not recorded")},
	)
	if ref.Route == tropic.RouteDtN {
		if ref.WithdrawnOn != "" {
			rows = append(rows, summaryRow{"Withdrawn", []string{caseDate(ref.WithdrawnOn) + ": " + strings.ToLower(ref.WithdrawnReason.Label()) +
				". It does not count as a report made."}})
		}
		return rows
	}
	rows = append(rows,
		summaryRow{"Competent authority", orNot(competentAuthorityLabel(ref.CompetentAuthority), "Not recorded")},
		summaryRow{"Home Office reference", orNot(ref.HomeOfficeReference, "Not yet known")},
		summaryRow{"Crime reference", orNot(ref.CrimeReference, "None yet: the police have a task to record the crime")},
	)
	if ref.AgeGroup == tropic.AgeChild {
		ictg := "No Independent Child Trafficking Guardian recorded"
		if ref.ICTG {
			ictg = "An Independent Child Trafficking Guardian is appointed"
		}
		rows = append(rows, summaryRow{"Children’s services", orNot(ref.ChildrensServices, "Not recorded")}, summaryRow{"Guardian", []string{ictg}})
	} else {
		rows = append(rows, summaryRow{"Support provider", orNot(ref.SupportProvider, "Not recorded")})
	}
	notes := paragraphs(ref.Notes)
	if len(notes) == 0 {
		notes = []string{"None"}
	}
	return append(rows, summaryRow{"How identified, and support needs", notes})
}

// referralDecisions lists what has happened to a referral, in order.
func referralDecisions(ref *tropic.Referral, recoveryDays func(time.Time) int) []referralDecisionRow {
	rows := []referralDecisionRow{{"Submitted", caseDate(ref.SubmittedOn), ""}}
	if ref.Route == tropic.RouteDtN {
		return rows
	}
	// The recovery period runs from the day the RG decision became positive: for a
	// negative one overturned on reconsideration, the day of the reconsideration.
	recovery := func() {
		if rg, err := time.Parse(time.DateOnly, ref.PositiveRGDate()); err == nil {
			n := recoveryDays(rg)
			rows = append(rows, referralDecisionRow{"Recovery period ends", rg.AddDate(0, 0, n).Format("2 January 2006"), strconv.Itoa(n) + " days at least"})
		}
	}
	overturned := ref.RGOverturned()
	if ref.RGDate != "" {
		outcome := ref.RGOutcome
		if overturned {
			outcome = tropic.RGNegative // as it was decided
		}
		rows = append(rows, referralDecisionRow{"Reasonable Grounds decision", caseDate(ref.RGDate), decisionOutcomeLabel(outcome)})
		if !overturned {
			recovery()
		}
	}
	reconsideration := func() {
		if ref.ReconsiderationRequested != "" {
			rows = append(rows, referralDecisionRow{"Reconsideration requested", caseDate(ref.ReconsiderationRequested), ""})
		}
		if ref.ReconsiderationDecided != "" {
			outcome := decisionOutcomeLabel(ref.ReconsiderationOutcome)
			if overturned {
				outcome += ": the Reasonable Grounds decision is positive"
			}
			rows = append(rows, referralDecisionRow{"Reconsideration decided", caseDate(ref.ReconsiderationDecided), outcome})
		}
	}
	if overturned {
		reconsideration()
		recovery()
	}
	if ref.CGDate != "" {
		rows = append(rows, referralDecisionRow{"Conclusive Grounds decision", caseDate(ref.CGDate), decisionOutcomeLabel(ref.CGOutcome)})
	}
	if !overturned {
		reconsideration()
	}
	if ref.WithdrawnOn != "" {
		rows = append(rows, referralDecisionRow{"Withdrawn or closed", caseDate(ref.WithdrawnOn), ""})
	}
	if ref.DisqualifiedOn != "" {
		rows = append(rows, referralDecisionRow{"Disqualified", caseDate(ref.DisqualifiedOn), ""})
	}
	return rows
}
