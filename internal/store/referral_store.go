package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// ReferralService stores NRM referrals and Duty to Notify reports.
//
// Who sees what is tropic.ReferralAccessFor, applied to every referral read, inside
// the transaction that reads it: only case workers see referrals; the referring
// agency's see its referrals and reports and record their decisions; an NRM referral
// is also read by the case workers of an agency that sees its case, with the person's
// name. Anything else answers exactly as a missing referral.
//
// A Duty to Notify report identifies nobody (DESIGN.md §4 rule 3, MSA s.52(3)): the
// domain's rule (tropic.Referral.Gate, tropic.DutyToNotifyProblems), which the store
// runs in the transaction, refuses a person, a name, free text or a reference on one,
// and the store keeps no case; the table's CHECK refuses them again.
type ReferralService struct {
	db       *DB
	cases    *CaseService          // for case access and the partnership's time zone
	recovery tropic.RecoveryPeriod // the zero value is the default
}

var (
	_ tropic.ReferralService   = (*ReferralService)(nil)
	_ tropic.ReferralReminders = (*ReferralService)(nil)
)

// NewReferralService returns the referral service on db.
func NewReferralService(db *DB) *ReferralService {
	return &ReferralService{db: db, cases: NewCaseService(db, nil)}
}

// SetRecoveryPeriod configures the NRM recovery period (the default when zero).
func (s *ReferralService) SetRecoveryPeriod(p tropic.RecoveryPeriod) { s.recovery = p }

func referralNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Referral not found.") }

// CreateReferral applies the consent gate for the actor's agency and stores the
// referral. casePersonID is the person's link to the case (tropic.CasePerson.ID); it
// is required for an NRM referral and refused for a Duty to Notify report, for which
// caseRef may name the case it came from (access is checked) but is not stored.
func (s *ReferralService) CreateReferral(ctx context.Context, actor tropic.Actor, caseRef string, casePersonID int64, r *tropic.Referral) error {
	if err := tropic.MayMakeReferral(actor, caseRef != ""); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	agency, err := findAgency(ctx, tx, `id = ?`, actor.AgencyID)
	if err != nil {
		return err
	}
	for _, f := range []*string{&r.ConsentAt, &r.SubmittedOn, &r.Nationality, &r.HomeOfficeReference, &r.CrimeReference,
		&r.SupportProvider, &r.ChildrensServices, &r.Notes} {
		*f = strings.TrimSpace(*f)
	}
	// The consent gate, and for a Duty to Notify report the s.52(3) check, are the
	// domain's, run here inside the transaction against the agency as stored now.
	if err := r.Gate(agency, casePersonID); err != nil {
		return err
	}
	route := r.Route
	if err := r.Validate(s.cases.local(tx)); err != nil {
		return err
	}

	var c *tropic.Case
	if route == tropic.RouteNRM || caseRef != "" {
		if c, _, err = s.cases.caseByRef(ctx, tx, actor, caseRef, true); err != nil {
			return err
		}
		if err := tropic.MayReferFromCase(agency, c); err != nil {
			return err
		}
	}
	if route == tropic.RouteNRM {
		if err := s.potentialVictim(ctx, tx, c, casePersonID, r); err != nil {
			return err
		}
		r.CaseID, r.CaseReference = c.ID, c.Reference
	}

	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	r.Version, r.CreatedAt = 1, tx.now
	r.ID, err = tx.insert(ctx, `INSERT INTO referrals (route, case_id, person_id, agency_id, age_group, possibly_child, age_at_exploitation, consent, consent_at,
		submitted_on, exploitation, county_lines, location, gender, nationality, competent_authority, home_office_reference, crime_reference,
		support_provider, childrens_services, ictg, notes, version, created_at, created_by_user, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(r.Route), nullID(r.CaseID), nullID(r.PersonID), r.AgencyID, string(r.AgeGroup), r.PossiblyChild, string(r.AgeAtExploitation), r.Consent, r.ConsentAt,
		r.SubmittedOn, r.Exploitation.String(), r.Exploitation.CountyLines, string(r.Location), string(r.Gender), r.Nationality,
		string(r.CompetentAuthority), r.HomeOfficeReference, r.CrimeReference, r.SupportProvider, r.ChildrensServices, r.ICTG, r.Notes,
		r.Version, tx.now, nullID(actor.UserID), w.String(), tx.now)
	if err != nil {
		return fmt.Errorf("create referral: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferralCreated, objectType: "referral", objectID: r.ID, detail: string(r.Route)}); err != nil {
		return err
	}
	if r.Route == tropic.RouteNRM && r.CrimeReference == "" {
		if err := s.crimeTask(ctx, tx, actor, w, c, r); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// potentialVictim checks that the case person is a potential victim on c and puts
// them on r.
func (s *ReferralService) potentialVictim(ctx context.Context, tx *Tx, c *tropic.Case, casePersonID int64, r *tropic.Referral) error {
	const msg = "Choose a potential victim on this case to refer"
	bad := &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"person": msg}}
	var personID int64
	var role, given, family string
	err := tx.QueryRow(ctx, `SELECT cp.person_id, cp.role, p.given_name, p.family_name FROM case_people cp JOIN people p ON p.id = cp.person_id
		WHERE cp.id = ? AND cp.case_id = ?`, casePersonID, c.ID).Scan(&personID, &role, &given, &family)
	if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
		return bad
	} else if err != nil {
		return fmt.Errorf("find case person: %w", err)
	}
	if tropic.PersonRole(role) != tropic.RolePotentialVictim {
		return bad
	}
	r.PersonID, r.PersonName = personID, strings.TrimSpace(given+" "+family)
	return nil
}

// crimeTask asks the police to record the crime (DOMAIN.md: every NRM referral should
// be recorded as a crime): a task on the case for the first police agency, or the
// case's owner when the partnership has none, due in one working day.
func (s *ReferralService) crimeTask(ctx context.Context, tx *Tx, actor tropic.Actor, w who, c *tropic.Case, r *tropic.Referral) error {
	var police int64
	err := tx.QueryRow(ctx, `SELECT id FROM agencies WHERE kind = ? ORDER BY id LIMIT 1`, string(tropic.AgencyPolice)).Scan(&police)
	if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
		police = c.OwnerAgencyID
	} else if err != nil {
		return fmt.Errorf("find police agency: %w", err)
	}
	cal, err := loadCalendar(ctx, tx)
	if err != nil {
		return err
	}
	due := cal.AddWorkingDays(s.cases.local(tx), 1).Format(time.DateOnly)
	title := fmt.Sprintf("Record the crime for NRM referral %d", r.ID)
	id, err := tx.insert(ctx, `INSERT INTO case_tasks (case_id, title, agency_id, user_id, due, done, created_at, created_by_user, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, title, police, nil, due, false, tx.now, nullID(actor.UserID), w.String())
	if err != nil {
		return fmt.Errorf("add crime recording task: %w", err)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseTaskAdded, objectType: "case", objectID: c.ID, detail: fmt.Sprintf("task %d", id)})
}

const referralColumns = `r.id, COALESCE(r.case_id, 0), COALESCE(c.reference, ''), COALESCE(r.person_id, 0), COALESCE(p.given_name, ''),
	COALESCE(p.family_name, ''), r.agency_id, a.name, r.route, r.age_group, r.possibly_child, r.age_at_exploitation, r.consent, r.consent_at, r.submitted_on,
	r.exploitation, r.county_lines, r.location, r.gender, r.nationality, r.competent_authority, r.home_office_reference, r.crime_reference,
	r.support_provider, r.childrens_services, r.ictg, r.notes, r.rg_date, r.rg_outcome, r.cg_date, r.cg_outcome,
	r.reconsideration_requested, r.reconsideration_decided, r.reconsideration_outcome, r.withdrawn_on, r.disqualified_on,
	r.withdrawn_reason, r.version, r.created_at, ` + caseAccessColumn

const referralFrom = ` FROM referrals r JOIN agencies a ON a.id = r.agency_id
	LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN people p ON p.id = r.person_id `

// visibleReferrals is tropic.ReferralAccessFor as a WHERE clause, for an actor who
// may see referrals: the referring agency's, and NRM referrals whose case the agency
// owns or has a live share of. Lists count and page on it; findReferrals still applies
// the rule to each row read and drops any it hides, so the two cannot disagree unseen
// (the referral access tests list with both).
func (s *ReferralService) visibleReferrals(tx *Tx, actor tropic.Actor) (string, []any) {
	// Two uncorrelated IN lists, not EXISTS: PostgreSQL hashes each once, and its
	// estimate of a correlated subquery a row puts a count over the JIT threshold.
	return `(r.agency_id = ? OR (r.route = 'nrm' AND (r.case_id IN (SELECT vc.id FROM cases vc WHERE vc.owner_agency_id = ?)
		OR r.case_id IN (SELECT vs.case_id FROM case_shares vs WHERE vs.agency_id = ? AND vs.status = 'active' AND (vs.until_day = '' OR vs.until_day >= ?)))))`,
		[]any{actor.AgencyID, actor.AgencyID, actor.AgencyID, s.cases.today(tx)}
}

// findReferrals loads the referrals the actor may see that match where, ordered,
// each with what the actor may do with it.
func (s *ReferralService) findReferrals(ctx context.Context, tx *Tx, actor tropic.Actor, where string, args []any, order string) ([]*tropic.Referral, error) {
	if !tropic.MaySeeReferrals(actor) {
		return nil, nil
	}
	vis, visArgs := s.visibleReferrals(tx, actor)
	all := append([]any{actor.AgencyID, actor.AgencyID, s.cases.today(tx)}, visArgs...)
	rows, err := tx.Query(ctx, `SELECT `+referralColumns+referralFrom+`WHERE `+vis+` AND `+where+` ORDER BY `+order, append(all, args...)...)
	if err != nil {
		return nil, fmt.Errorf("find referrals: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Referral
	for rows.Next() {
		var r tropic.Referral
		var given, family, route, age, ageAtExploitation, exploitation, location, gender, ca string
		var access int
		if err := rows.Scan(&r.ID, &r.CaseID, &r.CaseReference, &r.PersonID, &given, &family, &r.AgencyID, &r.AgencyName, &route, &age,
			&r.PossiblyChild, &ageAtExploitation, &r.Consent, &r.ConsentAt, &r.SubmittedOn, &exploitation, &r.Exploitation.CountyLines, &location, &gender,
			&r.Nationality, &ca, &r.HomeOfficeReference, &r.CrimeReference, &r.SupportProvider, &r.ChildrensServices, &r.ICTG, &r.Notes,
			&r.RGDate, &r.RGOutcome, &r.CGDate, &r.CGOutcome, &r.ReconsiderationRequested, &r.ReconsiderationDecided,
			&r.ReconsiderationOutcome, &r.WithdrawnOn, &r.DisqualifiedOn, &r.WithdrawnReason, &r.Version, &r.CreatedAt, &access); err != nil {
			return nil, fmt.Errorf("scan referral: %w", err)
		}
		r.AgeAtExploitation = tropic.AgeGroup(ageAtExploitation)
		r.Route, r.AgeGroup, r.Location, r.Gender, r.CompetentAuthority = tropic.Route(route), tropic.AgeGroup(age),
			tropic.ExploitationLocation(location), tropic.Gender(gender), tropic.CompetentAuthority(ca)
		r.Exploitation.Types = tropic.ParseExploitationTypes(exploitation)
		r.CreatedAt = r.CreatedAt.UTC()
		caseAccess := tropic.CaseAccess(access)
		if r.Route != tropic.RouteNRM {
			caseAccess = tropic.AccessNone // a Duty to Notify report has no case
		}
		r.Access = tropic.ReferralAccessFor(actor, r.AgencyID, r.Route, caseAccess)
		if r.Access == tropic.ReferralHidden {
			continue
		}
		// The name only to those who can see the case.
		if r.Access.ShowsPerson(r.Route, caseAccess) {
			r.PersonName = strings.TrimSpace(given + " " + family)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

func (s *ReferralService) referralByID(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.Referral, error) {
	rs, err := s.findReferrals(ctx, tx, actor, `r.id = ?`, []any{id}, `r.id`)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, referralNotFound()
	}
	return rs[0], nil
}

// FindReferral returns one referral the actor may see, and audits the view.
func (s *ReferralService) FindReferral(ctx context.Context, actor tropic.Actor, id int64) (*tropic.Referral, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := s.referralByID(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if r.Route == tropic.RouteDtN {
		if r.Corrections, err = referralCorrections(ctx, tx, r.ID); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferralViewed, objectType: "referral", objectID: r.ID}); err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// RecordDecision records a decision the referring agency has received, in order and
// against the version the user saw.
func (s *ReferralService) RecordDecision(ctx context.Context, actor tropic.Actor, id int64, d tropic.ReferralDecision, version int) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := s.referralToChange(ctx, tx, actor, id, "record its decisions")
	if err != nil {
		return err
	}
	if version != r.Version {
		return tropic.Errorf(tropic.ECONFLICT, "Someone recorded a change to this referral after you opened it. Your decision has not been saved; check what has changed, then record it again.")
	}
	if err := r.ApplyDecision(d, s.cases.local(tx), s.recovery.For); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE referrals SET rg_date = ?, rg_outcome = ?, cg_date = ?, cg_outcome = ?, reconsideration_requested = ?,
		reconsideration_decided = ?, reconsideration_outcome = ?, withdrawn_on = ?, disqualified_on = ?, version = version + 1, updated_at = ?, updated_by = ?
		WHERE id = ? AND version = ?`, r.RGDate, r.RGOutcome, r.CGDate, r.CGOutcome, r.ReconsiderationRequested, r.ReconsiderationDecided,
		r.ReconsiderationOutcome, r.WithdrawnOn, r.DisqualifiedOn, tx.now, w.String(), id, version)
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "Someone recorded a change to this referral after you opened it. Your decision has not been saved; check what has changed, then record it again.")
	}
	detail := strings.TrimSpace(d.Kind + " " + d.Outcome + " " + d.Date)
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferralDecision, objectType: "referral", objectID: id, detail: detail}); err != nil {
		return err
	}
	return tx.Commit()
}

// referralToChange locks and reads referral id for a change only the agency that made
// it may make (tropic.Referral.MayChange; doing: what was asked, for its message).
func (s *ReferralService) referralToChange(ctx context.Context, tx *Tx, actor tropic.Actor, id int64, doing string) (*tropic.Referral, error) {
	if tx.db.dialect == Postgres {
		if _, err := tx.Exec(ctx, `SELECT id FROM referrals WHERE id = ? FOR UPDATE`, id); err != nil {
			return nil, fmt.Errorf("lock referral: %w", err)
		}
	}
	r, err := s.referralByID(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := r.MayChange(doing); err != nil {
		return nil, err
	}
	return r, nil
}

// loadCalendar builds the working-day calendar from the stored one-off changes.
func loadCalendar(ctx context.Context, tx *Tx) (*tropic.Calendar, error) {
	changes, err := loadHolidayChanges(ctx, tx)
	if err != nil {
		return nil, err
	}
	return tropic.NewCalendar(changes), nil
}

func loadHolidayChanges(ctx context.Context, tx *Tx) ([]tropic.HolidayChange, error) {
	rows, err := tx.Query(ctx, `SELECT day, removed, name FROM holiday_changes ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("load holiday changes: %w", err)
	}
	defer rows.Close()
	var out []tropic.HolidayChange
	for rows.Next() {
		var c tropic.HolidayChange
		if err := rows.Scan(&c.Date, &c.Removed, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HolidayChanges returns the one-off bank holiday changes, oldest first.
func (s *ReferralService) HolidayChanges(ctx context.Context) ([]tropic.HolidayChange, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return loadHolidayChanges(ctx, tx)
}

// decisionTimes are the calendar days to RG and from RG to CG of some referrals.
type decisionTimes struct {
	referrals int
	rg, cg    []float64
}

func (t *decisionTimes) figures() tropic.ReferralFigures {
	sort.Float64s(t.rg)
	sort.Float64s(t.cg)
	return tropic.ReferralFigures{
		Referrals: t.referrals,
		RGDecided: len(t.rg), RGMedianDays: percentile(t.rg, 0.5), RGP90Days: percentile(t.rg, 0.9),
		CGDecided: len(t.cg), CGMedianDays: percentile(t.cg, 0.5), CGP90Days: percentile(t.cg, 0.9),
	}
}

// percentile interpolates linearly between the closest ranks of sorted values (the
// usual spreadsheet PERCENTILE); 0 for none.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := p * float64(len(sorted)-1)
	lo := int(pos)
	if lo+1 >= len(sorted) {
		return sorted[lo]
	}
	return sorted[lo] + (sorted[lo+1]-sorted[lo])*(pos-float64(lo))
}

func daysBetween(from, to string) (float64, bool) {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return b.Sub(a).Hours() / 24, true
}

// Figures gives decision times in calendar days, for the actor's agency and for the
// partnership: submission to a Reasonable Grounds decision (positive or negative; a
// suspension is not a decision), and Reasonable Grounds to Conclusive Grounds.
func (s *ReferralService) Figures(ctx context.Context, actor tropic.Actor) (agency, partnership tropic.ReferralFigures, err error) {
	if err := tropic.MayListReferrals(actor); err != nil {
		return agency, partnership, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return agency, partnership, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT agency_id, submitted_on, rg_date, rg_outcome, cg_date FROM referrals WHERE route = 'nrm'`)
	if err != nil {
		return agency, partnership, fmt.Errorf("referral figures: %w", err)
	}
	defer rows.Close()
	var mine, all decisionTimes
	for rows.Next() {
		var agencyID int64
		var submitted, rgDate, rgOutcome, cgDate string
		if err := rows.Scan(&agencyID, &submitted, &rgDate, &rgOutcome, &cgDate); err != nil {
			return agency, partnership, err
		}
		sets := []*decisionTimes{&all}
		if actor.AgencyID != 0 && agencyID == actor.AgencyID {
			sets = append(sets, &mine)
		}
		for _, t := range sets {
			t.referrals++
			if rgOutcome == tropic.RGPositive || rgOutcome == tropic.RGNegative {
				if d, ok := daysBetween(submitted, rgDate); ok {
					t.rg = append(t.rg, d)
				}
			}
			if d, ok := daysBetween(rgDate, cgDate); ok {
				t.cg = append(t.cg, d)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return agency, partnership, err
	}
	return mine.figures(), all.figures(), nil
}

// SetReminderEmail sets where an agency's reminder digest goes; "" stops it. An
// administrator, the system or a supervisor of the agency may.
func (s *ReferralService) SetReminderEmail(ctx context.Context, actor tropic.Actor, agencyID int64, email string) error {
	if err := tropic.MaySetReminderAddress(actor, agencyID); err != nil {
		return err
	}
	email = tropic.NormaliseEmail(email)
	var value any
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
			const msg = "Enter an email address in the correct format, like name@example.org"
			return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"reminder_email": msg}}
		}
		value = email
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE agencies SET reminder_email = ? WHERE id = ?`, value, agencyID)
	if err != nil {
		return fmt.Errorf("set reminder email: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Agency not found.")
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReminderEmailSet, objectType: "agency", objectID: agencyID}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindReminderDigests counts, on the day of now in the partnership's zone, each
// agency's NRM referrals past their Reasonable Grounds target and those waiting for a
// Conclusive Grounds decision more than cgWaitDays after the RG decision. Every
// agency with a reminder address is returned, with zero counts too: the job decides
// whether an empty digest is sent.
func (s *ReferralService) FindReminderDigests(ctx context.Context, now time.Time, cgWaitDays int) ([]tropic.ReminderDigest, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cal, err := loadCalendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT id, name, reminder_email FROM agencies WHERE reminder_email IS NOT NULL AND reminder_email <> '' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find reminder agencies: %w", err)
	}
	var out []tropic.ReminderDigest
	index := map[int64]int{}
	for rows.Next() {
		var d tropic.ReminderDigest
		var email sql.NullString
		if err := rows.Scan(&d.AgencyID, &d.AgencyName, &email); err != nil {
			rows.Close()
			return nil, err
		}
		d.ReminderEmail = email.String
		index[d.AgencyID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT r.agency_id, r.submitted_on, r.rg_date, r.rg_outcome, r.cg_date, r.cg_outcome, r.reconsideration_requested,
		r.reconsideration_decided, r.reconsideration_outcome, r.withdrawn_on, r.disqualified_on FROM referrals r
		JOIN agencies a ON a.id = r.agency_id
		WHERE r.route = 'nrm' AND r.cg_outcome = '' AND a.reminder_email IS NOT NULL AND a.reminder_email <> ''`)
	if err != nil {
		return nil, fmt.Errorf("find reminder referrals: %w", err)
	}
	defer rows.Close()
	local := now.In(s.cases.zone)
	for rows.Next() {
		r := tropic.Referral{Route: tropic.RouteNRM}
		if err := rows.Scan(&r.AgencyID, &r.SubmittedOn, &r.RGDate, &r.RGOutcome, &r.CGDate, &r.CGOutcome, &r.ReconsiderationRequested,
			&r.ReconsiderationDecided, &r.ReconsiderationOutcome, &r.WithdrawnOn, &r.DisqualifiedOn); err != nil {
			return nil, err
		}
		i, ok := index[r.AgencyID]
		if !ok {
			continue
		}
		// Status and deadline are the domain's: a suspended RG decision is not overdue.
		dl := r.NextDeadline(cal, local, s.recovery.For)
		switch r.Status() {
		case "awaiting_rg":
			if dl.Overdue {
				out[i].OverdueRG++
			}
		case "awaiting_cg":
			if dl.DaysWaiting > cgWaitDays {
				out[i].LongCGWaits++
			}
		}
	}
	return out, rows.Err()
}
