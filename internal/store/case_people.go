package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

func personNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Person not found.") }

const personColumns = `p.id, p.owner_agency_id, p.given_name, p.family_name, p.date_of_birth, p.approx_age, p.gender, p.nationality,
	p.languages, p.phone, p.phone_e164, p.email, p.immigration_status, p.health, p.version, p.created_at`

// personListColumns are personColumns without the sensitive fields: lists never carry them.
const personListColumns = `p.id, p.owner_agency_id, p.given_name, p.family_name, p.date_of_birth, p.approx_age, p.gender, p.nationality,
	p.languages, p.phone, p.phone_e164, p.email, '', '', p.version, p.created_at`

func scanPerson(sc interface{ Scan(...any) error }, extra ...any) (*tropic.Person, error) {
	var p tropic.Person
	var gender string
	dest := append([]any{&p.ID, &p.OwnerAgencyID, &p.GivenName, &p.FamilyName, &p.DateOfBirth, &p.ApproxAge, &gender, &p.Nationality,
		&p.Languages, &p.Phone, &p.PhoneE164, &p.Email, &p.ImmigrationStatus, &p.Health, &p.Version, &p.CreatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, mapError(err)
	}
	p.Gender = tropic.Gender(gender)
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, nil
}

// hideSensitive blanks what a viewer without a whole-case share may not see.
func hideSensitive(p *tropic.Person) {
	p.ImmigrationStatus, p.Health, p.SensitiveHidden = "", "", true
}

// loadAliases fills in the aliases of people, in the order they were given.
func loadAliases(ctx context.Context, tx *Tx, people map[int64]*tropic.Person) error {
	if len(people) == 0 {
		return nil
	}
	ph, args := inList(keys(people))
	rows, err := tx.Query(ctx, `SELECT person_id, alias FROM person_aliases WHERE person_id IN (`+ph+`) ORDER BY person_id, position`, args...)
	if err != nil {
		return fmt.Errorf("load aliases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var alias string
		if err := rows.Scan(&id, &alias); err != nil {
			return err
		}
		people[id].Aliases = append(people[id].Aliases, alias)
	}
	return rows.Err()
}

func keys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// inList returns "?, ?, ?" and the arguments for ids.
func inList(ids []int64) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = "?", id
	}
	return strings.Join(ph, ", "), args
}

// loadCasePeople loads the people on a case with their roles and pending role changes.
func loadCasePeople(ctx context.Context, tx *Tx, c *tropic.Case, whole bool) ([]*tropic.CasePerson, error) {
	rows, err := tx.Query(ctx, `SELECT cp.id, cp.role, cp.coerced_offender, cp.added_at, cp.version, `+personColumns+`
		FROM case_people cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("load case people: %w", err)
	}
	defer rows.Close()
	var out []*tropic.CasePerson
	byPerson := map[int64]*tropic.Person{}
	byLink := map[int64]*tropic.CasePerson{}
	for rows.Next() {
		cp := &tropic.CasePerson{CaseID: c.ID, CaseReference: c.Reference}
		var role string
		dest := []any{&cp.ID, &role, &cp.CoercedOffender, &cp.AddedAt, &cp.Version}
		p, err := scanPerson(rowsWithPrefix{rows, dest})
		if err != nil {
			return nil, err
		}
		cp.Role, cp.AddedAt, cp.Person = tropic.PersonRole(role), cp.AddedAt.UTC(), p
		if !whole {
			hideSensitive(p)
		}
		byPerson[p.ID], byLink[cp.ID] = p, cp
		out = append(out, cp)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := loadAliases(ctx, tx, byPerson); err != nil {
		return nil, err
	}
	pending, err := loadRoleChanges(ctx, tx, `rc.case_id = ? AND rc.status = ?`, c.ID, string(tropic.RoleChangeRequested))
	if err != nil {
		return nil, err
	}
	for _, rc := range pending {
		if cp := byLink[rc.CasePersonID]; cp != nil {
			cp.PendingRole = rc
		}
	}
	formerVictims, err := queryIDs(ctx, tx, `SELECT DISTINCT case_person_id FROM role_changes WHERE case_id = ? AND from_role = ? AND status = ?`,
		c.ID, string(tropic.RolePotentialVictim), string(tropic.RoleChangeApproved))
	if err != nil {
		return nil, fmt.Errorf("read role history: %w", err)
	}
	for _, id := range formerVictims {
		if cp := byLink[id]; cp != nil {
			cp.WasVictim = true
		}
	}
	for _, cp := range out {
		cp.WasVictim = cp.WasVictim || cp.Role == tropic.RolePotentialVictim
	}
	return out, nil
}

// rowsWithPrefix scans leading columns into dest before the ones a scan function asks for.
type rowsWithPrefix struct {
	sc   interface{ Scan(...any) error }
	dest []any
}

func (r rowsWithPrefix) Scan(d ...any) error { return r.sc.Scan(append(r.dest, d...)...) }

// loadNotices finds the suspects on the case who are potential victims on another
// case, as the same person record or as a record a caseworker linked to theirs
// (an accepted person match), and names only the agency that owns that case. A
// merged record's rows have moved to the survivor, so merges need no rule of their own.
func loadNotices(ctx context.Context, tx *Tx, c *tropic.Case) ([]tropic.S45Notice, error) {
	rows, err := tx.Query(ctx, `SELECT cp.person_id, a.name, a.id FROM case_people cp JOIN people p ON p.id = cp.person_id
		JOIN case_people other ON other.person_id = cp.person_id AND other.case_id <> cp.case_id AND other.role = ?
		JOIN cases oc ON oc.id = other.case_id JOIN agencies a ON a.id = oc.owner_agency_id
		WHERE cp.case_id = ? AND cp.role = ? AND p.merged_into IS NULL
		UNION
		SELECT cp.person_id, a.name, a.id FROM case_people cp JOIN people p ON p.id = cp.person_id
		JOIN person_matches m ON m.status = ? AND (m.person_a = cp.person_id OR m.person_b = cp.person_id)
		JOIN case_people other ON other.person_id = (CASE WHEN m.person_a = cp.person_id THEN m.person_b ELSE m.person_a END)
			AND other.case_id <> cp.case_id AND other.role = ?
		JOIN people op ON op.id = other.person_id
		JOIN cases oc ON oc.id = other.case_id JOIN agencies a ON a.id = oc.owner_agency_id
		WHERE cp.case_id = ? AND cp.role = ? AND p.merged_into IS NULL AND op.merged_into IS NULL
		ORDER BY 1, 2`,
		string(tropic.RolePotentialVictim), c.ID, string(tropic.RoleSuspect),
		string(tropic.MatchLinked), string(tropic.RolePotentialVictim), c.ID, string(tropic.RoleSuspect))
	if err != nil {
		return nil, fmt.Errorf("load s.45 notices: %w", err)
	}
	defer rows.Close()
	var out []tropic.S45Notice
	for rows.Next() {
		var n tropic.S45Notice
		if err := rows.Scan(&n.PersonID, &n.ContactAgency, &n.AgencyID); err != nil {
			return nil, err
		}
		for _, cp := range c.People {
			if cp.Person.ID == n.PersonID {
				n.PersonName = personLabel(cp.Person)
			}
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// personLabel is the person's name, or an alias when no name is known.
func personLabel(p *tropic.Person) string {
	if n := p.FullName(); n != "" {
		return n
	}
	if len(p.Aliases) > 0 {
		return p.Aliases[0]
	}
	return fmt.Sprintf("Person %d", p.ID)
}

const roleChangeColumns = `rc.id, rc.case_person_id, c.reference, p.given_name, p.family_name, rc.from_role, rc.to_role, rc.reason,
	rc.requested_by, rc.requested_at, rc.status, rc.decided_by, rc.decided_at, rc.decision_note`

const roleChangeFrom = ` FROM role_changes rc JOIN cases c ON c.id = rc.case_id JOIN case_people cp ON cp.id = rc.case_person_id
	JOIN people p ON p.id = cp.person_id `

func loadRoleChanges(ctx context.Context, tx *Tx, where string, args ...any) ([]*tropic.RoleChange, error) {
	rows, err := tx.Query(ctx, `SELECT `+roleChangeColumns+roleChangeFrom+`WHERE `+where+` ORDER BY rc.requested_at DESC, rc.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("load role changes: %w", err)
	}
	defer rows.Close()
	var out []*tropic.RoleChange
	for rows.Next() {
		var rc tropic.RoleChange
		var given, family, from, to, status string
		var decided sql.NullTime
		if err := rows.Scan(&rc.ID, &rc.CasePersonID, &rc.CaseReference, &given, &family, &from, &to, &rc.Reason,
			&rc.RequestedBy, &rc.RequestedAt, &status, &rc.DecidedBy, &decided, &rc.DecisionNote); err != nil {
			return nil, err
		}
		rc.PersonName = strings.TrimSpace(given + " " + family)
		rc.From, rc.To, rc.Status = tropic.PersonRole(from), tropic.PersonRole(to), tropic.RoleChangeStatus(status)
		rc.RequestedAt = rc.RequestedAt.UTC()
		if decided.Valid {
			rc.DecidedAt = decided.Time.UTC()
		}
		out = append(out, &rc)
	}
	return out, rows.Err()
}

// personCase is a case a person is on, with the actor's access to it.
type personCase struct {
	link   *tropic.CasePerson
	owner  int64
	access tropic.CaseAccess
}

// personCases finds the cases a person is on that the actor may see; none means the
// person answers as missing.
func (s *CaseService) personCases(ctx context.Context, tx *Tx, actor tropic.Actor, personID int64) ([]personCase, error) {
	rows, err := tx.Query(ctx, `SELECT cp.id, cp.case_id, c.reference, c.owner_agency_id, cp.role, cp.coerced_offender, cp.added_at
		FROM case_people cp JOIN cases c ON c.id = cp.case_id JOIN people p ON p.id = cp.person_id
		WHERE cp.person_id = ? AND p.merged_into IS NULL ORDER BY cp.case_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("find person's cases: %w", err)
	}
	defer rows.Close()
	var all []personCase
	for rows.Next() {
		pc := personCase{link: &tropic.CasePerson{}}
		var role string
		if err := rows.Scan(&pc.link.ID, &pc.link.CaseID, &pc.link.CaseReference, &pc.owner, &role, &pc.link.CoercedOffender, &pc.link.AddedAt); err != nil {
			return nil, err
		}
		pc.link.Role, pc.link.AddedAt = tropic.PersonRole(role), pc.link.AddedAt.UTC()
		all = append(all, pc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var out []personCase
	for _, pc := range all {
		shares, err := loadShares(ctx, tx, pc.link.CaseID)
		if err != nil {
			return nil, err
		}
		if pc.access = tropic.AccessTo(actor, pc.owner, shares, s.local(tx)); pc.access != tropic.AccessNone {
			out = append(out, pc)
		}
	}
	return out, nil
}

func bestAccess(pcs []personCase) tropic.CaseAccess {
	best := tropic.AccessNone
	for _, pc := range pcs {
		best = max(best, pc.access)
	}
	return best
}

func ownsAny(actor tropic.Actor, pcs []personCase) bool {
	for _, pc := range pcs {
		if pc.owner == actor.AgencyID {
			return true
		}
	}
	return false
}

// FindPerson returns a person the actor may see, with the cases the actor may see them
// on, and logs the view against each of those cases.
func (s *CaseService) FindPerson(ctx context.Context, actor tropic.Actor, personID int64) (*tropic.Person, []*tropic.CasePerson, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	pcs, err := s.personCases(ctx, tx, actor, personID)
	if err != nil {
		return nil, nil, err
	}
	if len(pcs) == 0 {
		return nil, nil, personNotFound()
	}
	p, err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, personID))
	if err != nil {
		return nil, nil, fmt.Errorf("find person: %w", err)
	}
	if bestAccess(pcs) != tropic.AccessWhole {
		hideSensitive(p)
	}
	if err := loadAliases(ctx, tx, map[int64]*tropic.Person{p.ID: p}); err != nil {
		return nil, nil, err
	}
	links := make([]*tropic.CasePerson, len(pcs))
	for i, pc := range pcs {
		pc.link.Person = p
		links[i] = pc.link
		if err := logAccess(ctx, tx, actor, pc.link.CaseID, p.ID); err != nil {
			return nil, nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPersonViewed, objectType: "person", objectID: p.ID}); err != nil {
		return nil, nil, err
	}
	return p, links, tx.Commit()
}

// AddPerson records a new person, owned by the actor's agency, on a case in a role.
func (s *CaseService) AddPerson(ctx context.Context, actor tropic.Actor, caseRef string, p *tropic.Person, role tropic.PersonRole) error {
	if err := s.checkPerson(p, role); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if _, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: tropic.PathAdd, To: role,
		OwnerAgencyID: c.OwnerAgencyID, OwnerAgency: c.OwnerAgency}, actor); err != nil {
		return err // a new record was never a potential victim here
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	p.OwnerAgencyID, p.Version, p.CreatedAt, p.SensitiveHidden = c.OwnerAgencyID, 1, tx.now, false
	k := s.db.personKeys(p.GivenName, p.FamilyName, p.Email)
	p.ID, err = tx.insert(ctx, `INSERT INTO people (owner_agency_id, given_name, family_name, name_folded, date_of_birth, approx_age, gender,
		nationality, languages, phone, phone_e164, email, immigration_status, health, version, created_at, updated_at, updated_by_user, updated_by,
		email_norm, name_key, surname_key, keys_version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.OwnerAgencyID, p.GivenName, p.FamilyName, tropic.FoldName(p.GivenName+" "+p.FamilyName), p.DateOfBirth, p.ApproxAge, string(p.Gender),
		p.Nationality, p.Languages, p.Phone, p.PhoneE164, p.Email, p.ImmigrationStatus, p.Health, p.Version, tx.now, tx.now, nullID(actor.UserID), w.String(),
		k.EmailNorm, k.NameKey, k.SurnameKey, personKeysVersion)
	if err != nil {
		return fmt.Errorf("add person: %w", err)
	}
	if err := setPersonNames(ctx, tx, p, true); err != nil {
		return err
	}
	if err := addToCase(ctx, tx, actor, c, p.ID, role); err != nil {
		return err
	}
	if p.PhoneE164 != "" { // the triage queue's "matches case X"
		if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// checkPerson validates a person and a role.
func (s *CaseService) checkPerson(p *tropic.Person, role tropic.PersonRole) error {
	err := p.Validate(s.parsePhone, s.db.now())
	if role.Valid() {
		return err
	}
	fields := map[string]string{"role": "Choose the person's role on the case"}
	for k, v := range tropic.ErrorFields(err) {
		fields[k] = v
	}
	return &tropic.Error{Code: tropic.EINVALID, Message: "Choose the person's role on the case", Fields: fields}
}

// setPersonNames stores the folded name, the aliases and their search terms.
func setPersonNames(ctx context.Context, tx *Tx, p *tropic.Person, fresh bool) error {
	if err := setTerms(ctx, tx, termPerson, p.ID, fresh, p.GivenName+" "+p.FamilyName); err != nil {
		return err
	}
	if !fresh {
		if _, err := tx.Exec(ctx, `DELETE FROM search_terms WHERE kind = ? AND object_id IN (SELECT id FROM person_aliases WHERE person_id = ?)`, termAlias, p.ID); err != nil {
			return fmt.Errorf("clear alias terms: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM person_aliases WHERE person_id = ?`, p.ID); err != nil {
			return fmt.Errorf("clear aliases: %w", err)
		}
	}
	for i, a := range p.Aliases {
		id, err := tx.insert(ctx, `INSERT INTO person_aliases (person_id, position, alias, alias_folded) VALUES (?, ?, ?, ?)`, p.ID, i, a, tropic.FoldName(a))
		if err != nil {
			return fmt.Errorf("add alias: %w", err)
		}
		if err := setTerms(ctx, tx, termAlias, id, true, a); err != nil {
			return err
		}
	}
	return nil
}

// addToCase puts a person on a case in a role.
func addToCase(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, personID int64, role tropic.PersonRole) error {
	id, err := tx.insert(ctx, `INSERT INTO case_people (case_id, person_id, role, coerced_offender, added_at, added_by_user) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, personID, string(role), false, tx.now, nullID(actor.UserID))
	if tropic.ErrorCode(err) == tropic.ECONFLICT {
		return tropic.Errorf(tropic.ECONFLICT, "This person is already on this case.")
	} else if err != nil {
		return fmt.Errorf("add person to case: %w", err)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCasePersonAdded, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("person %d as %s (link %d)", personID, role, id)})
}

// AddExistingPerson puts a person the actor may see on a case the actor's agency owns.
// Linking brings the person's sensitive fields into the owner's case, so it needs a
// whole view of the person already (the owner's own case, or a whole-case share).
func (s *CaseService) AddExistingPerson(ctx context.Context, actor tropic.Actor, caseRef string, personID int64, role tropic.PersonRole) error {
	if !role.Valid() {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Choose the person's role on the case", Fields: map[string]string{"role": "Choose the person's role on the case"}}
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	// A person is on a case once (a record merged into them has no row of its own
	// where they have none), so this puts them there, from no role.
	if verdict, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: tropic.PathAdd, To: role,
		OwnerAgencyID: c.OwnerAgencyID, OwnerAgency: c.OwnerAgency}, actor); err != nil {
		return err
	} else if verdict != tropic.RoleAllowed {
		return tropic.Errorf(tropic.EFORBIDDEN, "Adding this person in this role needs a supervisor.")
	}
	pcs, err := s.personCases(ctx, tx, actor, personID)
	if err != nil {
		return err
	}
	if err := tropic.MayAddExistingPerson(bestAccess(pcs)); err != nil {
		return err
	}
	if err := addToCase(ctx, tx, actor, c, personID, role); err != nil {
		return err
	}
	if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil { // the person's phone, if any
		return err
	}
	return tx.Commit()
}

// UpdatePerson saves a person's details against the version the editor saw. Only an
// agency that owns a case the person is on may change them.
func (s *CaseService) UpdatePerson(ctx context.Context, actor tropic.Actor, p *tropic.Person) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pcs, err := s.personCases(ctx, tx, actor, p.ID)
	if err != nil {
		return err
	}
	if len(pcs) == 0 {
		return personNotFound()
	}
	if err := tropic.MayEditPerson(ownsAny(actor, pcs)); err != nil {
		return err
	}
	var version int
	var updatedBy string
	var updatedAt sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT version, updated_by, updated_at FROM people WHERE id = ?`+tx.db.forUpdate(), p.ID).Scan(&version, &updatedBy, &updatedAt); err != nil {
		return fmt.Errorf("lock person: %w", mapError(err))
	}
	if version != p.Version {
		return s.stale("person's record", updatedBy, updatedAt.Time)
	}
	if err := p.Validate(s.parsePhone, tx.now); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	k := s.db.personKeys(p.GivenName, p.FamilyName, p.Email)
	res, err := tx.Exec(ctx, `UPDATE people SET given_name = ?, family_name = ?, name_folded = ?, date_of_birth = ?, approx_age = ?, gender = ?,
		nationality = ?, languages = ?, phone = ?, phone_e164 = ?, email = ?, immigration_status = ?, health = ?,
		email_norm = ?, name_key = ?, surname_key = ?, keys_version = ?,
		version = version + 1, updated_at = ?, updated_by_user = ?, updated_by = ? WHERE id = ? AND version = ?`,
		p.GivenName, p.FamilyName, tropic.FoldName(p.GivenName+" "+p.FamilyName), p.DateOfBirth, p.ApproxAge, string(p.Gender),
		p.Nationality, p.Languages, p.Phone, p.PhoneE164, p.Email, p.ImmigrationStatus, p.Health,
		k.EmailNorm, k.NameKey, k.SurnameKey, personKeysVersion, tx.now, nullID(actor.UserID), w.String(), p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.stale("person's record", updatedBy, updatedAt.Time)
	}
	if err := setPersonNames(ctx, tx, p, false); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPersonUpdated, objectType: "person", objectID: p.ID,
		detail: fmt.Sprintf("version %d", p.Version+1)}); err != nil {
		return err
	}
	// A changed phone changes which reports the person's cases match, seen or not.
	caseIDs, err := queryIDs(ctx, tx, `SELECT case_id FROM case_people WHERE person_id = ?`, p.ID)
	if err != nil {
		return fmt.Errorf("find person's cases: %w", err)
	}
	for _, id := range caseIDs {
		if err := s.refreshReportMatches(ctx, tx, id); err != nil {
			return err
		}
	}
	p.Version++
	p.SensitiveHidden = false
	return tx.Commit()
}

// casePersonFor loads a person's link to a case and the case, for a change by actor.
func (s *CaseService) casePersonFor(ctx context.Context, tx *Tx, actor tropic.Actor, casePersonID int64) (*tropic.CasePerson, *tropic.Case, error) {
	notFound := "Person not found on this case."
	cp := &tropic.CasePerson{ID: casePersonID}
	var role string
	if err := tx.QueryRow(ctx, `SELECT case_id, role, coerced_offender FROM case_people WHERE id = ?
		AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = case_people.person_id AND p.merged_into IS NOT NULL)`+tx.db.forUpdate(), casePersonID).
		Scan(&cp.CaseID, &role, &cp.CoercedOffender); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return nil, nil, tropic.Errorf(tropic.ENOTFOUND, "%s", notFound)
		}
		return nil, nil, fmt.Errorf("find case person: %w", err)
	}
	cp.Role = tropic.PersonRole(role)
	c, _, err := s.caseByID(ctx, tx, actor, cp.CaseID, false, notFound)
	if err != nil {
		return nil, nil, err
	}
	cp.CaseReference = c.Reference
	return cp, c, nil
}

// SetCoercedOffender marks a person on a case as possibly compelled to offend (s.45).
func (s *CaseService) SetCoercedOffender(ctx context.Context, actor tropic.Actor, casePersonID int64, coerced bool) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cp, c, err := s.casePersonFor(ctx, tx, actor, casePersonID)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE case_people SET coerced_offender = ?, version = version + 1 WHERE id = ?`, coerced, cp.ID); err != nil {
		return fmt.Errorf("set coerced offender: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseCoerced, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("link %d: %t", cp.ID, coerced)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ChangeRole changes a person's role at once, except potential victim to suspect,
// which becomes a request for a supervisor of the owning agency, whoever asks.
func (s *CaseService) ChangeRole(ctx context.Context, actor tropic.Actor, casePersonID int64, to tropic.PersonRole, reason string) (*tropic.RoleChange, error) {
	reason, err := checkRoleChange(to, reason)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cp, c, err := s.casePersonFor(ctx, tx, actor, casePersonID)
	if err != nil {
		return nil, err
	}
	rc, err := s.changeRoleTx(ctx, tx, actor, cp, c, to, reason)
	if err != nil {
		return nil, err
	}
	return rc, tx.Commit()
}

// checkRoleChange checks the new role and trims the reason.
func checkRoleChange(to tropic.PersonRole, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	var p tropic.Problems
	if !to.Valid() {
		p.Add("role", "Choose the person's new role")
	}
	tropic.CheckText(&p, "reason", "The reason", reason, tropic.MaxLongText)
	return reason, p.Err()
}

// changeRoleTx is ChangeRole of the link cp on case c, both loaded in tx: by
// tropic.DecideRoleTransition, at once or as a request for a supervisor.
func (s *CaseService) changeRoleTx(ctx context.Context, tx *Tx, actor tropic.Actor, cp *tropic.CasePerson, c *tropic.Case, to tropic.PersonRole, reason string) (*tropic.RoleChange, error) {
	was, err := wasVictimOnCase(ctx, tx, c.ID, cp.ID)
	if err != nil {
		return nil, err
	}
	verdict, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: tropic.PathChange, From: cp.Role, To: to, WasVictim: was,
		Reason: reason, OwnerAgencyID: c.OwnerAgencyID, OwnerAgency: c.OwnerAgency}, actor)
	if err != nil {
		return nil, err
	}
	needs := verdict == tropic.RoleNeedsSupervisor
	var pending int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM role_changes WHERE case_person_id = ? AND status = ?`, cp.ID, string(tropic.RoleChangeRequested)).Scan(&pending); err != nil {
		return nil, err
	}
	if needs && pending > 0 {
		return nil, tropic.Errorf(tropic.ECONFLICT, "A change of this person's role is already waiting for a supervisor.")
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	rc := &tropic.RoleChange{CasePersonID: cp.ID, CaseReference: c.Reference, From: cp.Role, To: to, Reason: reason,
		RequestedBy: w.String(), RequestedAt: tx.now, Status: tropic.RoleChangeRequested}
	action := tropic.AuditRoleChangeAsked
	if !needs {
		rc.Status, rc.DecidedBy, rc.DecidedAt = tropic.RoleChangeApproved, w.String(), tx.now
		action = tropic.AuditRoleChanged
		if _, err := tx.Exec(ctx, `UPDATE case_people SET role = ?, version = version + 1 WHERE id = ?`, string(to), cp.ID); err != nil {
			return nil, fmt.Errorf("change role: %w", err)
		}
	}
	if err := insertRoleChange(ctx, tx, actor, c.ID, rc); err != nil {
		return nil, err
	}
	var given, family string
	if err := tx.QueryRow(ctx, `SELECT p.given_name, p.family_name FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE cp.id = ?`, cp.ID).
		Scan(&given, &family); err != nil {
		return nil, fmt.Errorf("find person: %w", err)
	}
	rc.PersonName = strings.TrimSpace(given + " " + family)
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("link %d: %s to %s: %s", cp.ID, rc.From, rc.To, reason)}); err != nil {
		return nil, err
	}
	if needs {
		if err := notifyAgency(ctx, tx, actor, roleChangeWaitingNotice(rc.ID, c.Reference), c.OwnerAgencyID, tropic.RoleSupervisor); err != nil {
			return nil, err
		}
	}
	return rc, nil
}

// insertRoleChange records rc on case caseID, asked by actor (and decided by them
// when it is approved already).
func insertRoleChange(ctx context.Context, tx *Tx, actor tropic.Actor, caseID int64, rc *tropic.RoleChange) error {
	var decidedBy any
	if rc.Status == tropic.RoleChangeApproved {
		decidedBy = nullID(actor.UserID)
	}
	var err error
	rc.ID, err = tx.insert(ctx, `INSERT INTO role_changes (case_person_id, case_id, from_role, to_role, reason, requested_by_user, requested_by, requested_at,
		status, decided_by_user, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rc.CasePersonID, caseID, string(rc.From), string(rc.To), rc.Reason, nullID(actor.UserID), rc.RequestedBy, rc.RequestedAt,
		string(rc.Status), decidedBy, rc.DecidedBy, nullTime(rc.DecidedAt))
	if err != nil {
		return fmt.Errorf("record role change: %w", err)
	}
	return nil
}

// recordsOf is a person and every record merged into it, directly or through
// earlier merges: their rows on a case are the person's there, shown or hidden.
func recordsOf(ctx context.Context, tx *Tx, personID int64) ([]int64, error) {
	out, next := []int64{personID}, []int64{personID}
	for range 50 { // a chain of merges is short; the bound only guards against a cycle
		ph, args := inList(next)
		ids, err := queryIDs(ctx, tx, `SELECT id FROM people WHERE merged_into IN (`+ph+`) ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("find merged records: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		out, next = append(out, ids...), ids
	}
	return out, nil
}

// wasVictimOnCase tells whether the person of row casePersonID, by any of its records,
// is or was recorded as a potential victim on the row's case: a row in that role now,
// or one changed from it with approval.
func wasVictimOnCase(ctx context.Context, tx *Tx, caseID, casePersonID int64) (bool, error) {
	var person int64
	if err := tx.QueryRow(ctx, `SELECT person_id FROM case_people WHERE id = ?`, casePersonID).Scan(&person); err != nil {
		return false, fmt.Errorf("find case person: %w", mapError(err))
	}
	records, err := recordsOf(ctx, tx, person)
	if err != nil {
		return false, err
	}
	ph, args := inList(records)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_people cp WHERE cp.case_id = ? AND cp.person_id IN (`+ph+`)
		AND (cp.role = ? OR EXISTS (SELECT 1 FROM role_changes rc WHERE rc.case_person_id = cp.id AND rc.from_role = ? AND rc.status = ?))`,
		append(append([]any{caseID}, args...), string(tropic.RolePotentialVictim), string(tropic.RolePotentialVictim), string(tropic.RoleChangeApproved))...).Scan(&n); err != nil {
		return false, fmt.Errorf("read role history: %w", err)
	}
	return n > 0, nil
}

// DecideRoleChange approves or declines a requested change: supervisors of the owner only.
func (s *CaseService) DecideRoleChange(ctx context.Context, actor tropic.Actor, changeID int64, approve bool, note string) error {
	note = strings.TrimSpace(note)
	var p tropic.Problems
	tropic.CheckText(&p, "note", "The note", note, tropic.MaxLongText)
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	notFound := tropic.Errorf(tropic.ENOTFOUND, "Role change not found.")
	var caseID int64
	var requestedBy sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT case_id, requested_by_user FROM role_changes WHERE id = ?`, changeID).Scan(&caseID, &requestedBy); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return notFound
		}
		return fmt.Errorf("find role change: %w", err)
	}
	c, _, err := s.caseByID(ctx, tx, actor, caseID, true, "Role change not found.")
	if err != nil {
		return err
	}
	rcs, err := loadRoleChanges(ctx, tx, `rc.id = ?`, changeID)
	if err != nil {
		return err
	}
	if len(rcs) != 1 {
		return notFound
	}
	rc := rcs[0]
	path := tropic.PathDecline
	if approve {
		path = tropic.PathApprove
	}
	if _, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: path, From: rc.From, To: rc.To, OwnerAgencyID: c.OwnerAgencyID,
		OwnerAgency: c.OwnerAgency, RequestedBy: requestedBy.Int64}, actor); err != nil {
		return err
	}
	if rc.Status != tropic.RoleChangeRequested {
		return tropic.Errorf(tropic.ECONFLICT, "This request has already been decided.")
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	status, action := tropic.RoleChangeDeclined, tropic.AuditRoleChangeDeclined
	if approve {
		status, action = tropic.RoleChangeApproved, tropic.AuditRoleChangeApproved
		res, err := tx.Exec(ctx, `UPDATE case_people SET role = ?, version = version + 1 WHERE id = ? AND role = ?`, string(rc.To), rc.CasePersonID, string(rc.From))
		if err != nil {
			return fmt.Errorf("change role: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return tropic.Errorf(tropic.ECONFLICT, "The person's role has changed since this was asked for. Decline this request, and ask again if it is still needed.")
		}
	}
	res, err := tx.Exec(ctx, `UPDATE role_changes SET status = ?, decided_by_user = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = ?`,
		string(status), nullID(actor.UserID), w.String(), tx.now, note, rc.ID, string(tropic.RoleChangeRequested))
	if err != nil {
		return fmt.Errorf("decide role change: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This request has already been decided.")
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("change %d, link %d: %s to %s: %s", rc.ID, rc.CasePersonID, rc.From, rc.To, note)}); err != nil {
		return err
	}
	if err := notifyUsers(ctx, tx, actor, roleChangeDecidedNotice(c.Reference, approve), requestedBy.Int64); err != nil {
		return err
	}
	if err := settleNotifications(ctx, tx, aboutID("role_change", rc.ID),
		settledText("The request to change a person's role on case "+c.Reference, decidedWord(approve), s.local(tx)), false); err != nil {
		return err
	}
	return tx.Commit()
}

// FindRoleChanges lists role changes on the cases the actor's agency owns, newest first.
func (s *CaseService) FindRoleChanges(ctx context.Context, actor tropic.Actor, pendingOnly bool) ([]*tropic.RoleChange, error) {
	if !tropic.CaseWorker(actor) || actor.AgencyID == 0 {
		return nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if pendingOnly {
		return loadRoleChanges(ctx, tx, `c.owner_agency_id = ? AND rc.status = ?`, actor.AgencyID, string(tropic.RoleChangeRequested))
	}
	return loadRoleChanges(ctx, tx, `c.owner_agency_id = ?`, actor.AgencyID)
}

// FindPersonMatches returns people the actor may see who may be p, most reasons first.
func (s *CaseService) FindPersonMatches(ctx context.Context, actor tropic.Actor, p *tropic.Person) ([]tropic.PersonMatch, error) {
	if !tropic.CaseWorker(actor) || actor.AgencyID == 0 {
		return nil, nil
	}
	folded := tropic.FoldName(p.GivenName + " " + p.FamilyName)
	var aliases []string
	for _, a := range p.Aliases {
		if f := tropic.FoldName(a); f != "" {
			aliases = append(aliases, f)
		}
	}
	e164 := p.PhoneE164
	if e164 == "" && strings.TrimSpace(p.Phone) != "" {
		e164, _ = s.parsePhone(p.Phone)
	}
	dob := strings.TrimSpace(p.DateOfBirth)
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	// Candidates by each indexed key; the reasons are decided below on the rows.
	var queries []string
	var args []any
	add := func(q string, a ...any) { queries, args = append(queries, q), append(args, a...) }
	if len(dob) == 10 {
		add(`SELECT id FROM people WHERE date_of_birth = ?`, dob)
	}
	if year, err := strconv.Atoi(dob[:min(4, len(dob))]); err == nil && folded != "" {
		// Born the same year with a similar name: sharing a word of the name.
		tokens := strings.Fields(folded)
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(tokens)), ", ")
		a := []any{strconv.Itoa(year), strconv.Itoa(year + 1), termPerson}
		for _, t := range tokens {
			a = append(a, t)
		}
		add(`SELECT id FROM people WHERE date_of_birth >= ? AND date_of_birth < ? AND id IN (SELECT object_id FROM search_terms WHERE kind = ? AND term IN (`+ph+`))`, a...)
	}
	if e164 != "" {
		add(`SELECT id FROM people WHERE phone_e164 = ?`, e164)
	}
	names := append([]string(nil), aliases...)
	if folded != "" {
		names = append(names, folded)
		// Wrapped, as SQLite reads A UNION B INTERSECT C as (A UNION B) INTERSECT C.
		sub, subArgs := termsQuery(termPerson, strings.Fields(folded), true)
		add(`SELECT id FROM people WHERE id IN (`+sub+`)`, subArgs...)
	}
	for _, n := range names {
		add(`SELECT id FROM people WHERE name_folded = ?`, n)
		add(`SELECT person_id FROM person_aliases WHERE alias_folded = ?`, n)
	}
	if len(queries) == 0 {
		return nil, nil
	}
	today := s.today(tx)
	rows, err := tx.Query(ctx, `SELECT cp.person_id, c.reference FROM case_people cp JOIN cases c ON c.id = cp.case_id
		JOIN people mp ON mp.id = cp.person_id AND mp.merged_into IS NULL
		WHERE cp.person_id IN (`+strings.Join(queries, " UNION ")+`) AND c.id IN `+visibleCaseIDs+` ORDER BY cp.person_id, c.reference LIMIT 1000`,
		append(args, actor.AgencyID, actor.AgencyID, today)...)
	if err != nil {
		return nil, fmt.Errorf("find person matches: %w", err)
	}
	cases := map[int64][]string{}
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			rows.Close()
			return nil, err
		}
		cases[id] = append(cases[id], ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, nil
	}
	people := map[int64]*tropic.Person{}
	ph, idArgs := inList(keys(cases))
	rows, err = tx.Query(ctx, `SELECT `+personListColumns+` FROM people p WHERE p.id IN (`+ph+`)`, idArgs...)
	if err != nil {
		return nil, fmt.Errorf("load matched people: %w", err)
	}
	for rows.Next() {
		m, err := scanPerson(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		m.SensitiveHidden = true
		people[m.ID] = m
	}
	rows.Close()
	if err := loadAliases(ctx, tx, people); err != nil {
		return nil, err
	}
	var out []tropic.PersonMatch
	for _, id := range keys(people) {
		m := people[id]
		reasons := matchReasons(folded, aliases, dob, e164, m)
		if len(reasons) > 0 {
			out = append(out, tropic.PersonMatch{Person: m, Cases: cases[id], Reasons: reasons})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Reasons) > len(out[j].Reasons) })
	if len(out) > 10 {
		out = out[:10]
	}
	return out, nil
}

// matchReasons says why m may be the person described.
func matchReasons(folded string, aliases []string, dob, e164 string, m *tropic.Person) []string {
	var reasons []string
	mFolded := tropic.FoldName(m.GivenName + " " + m.FamilyName)
	mTokens, tokens := strings.Fields(mFolded), strings.Fields(folded)
	nameMatch := folded != "" && mFolded == folded
	if !nameMatch && len(tokens) > 1 && len(tokens) == len(mTokens) {
		nameMatch = true
		for _, t := range tokens {
			nameMatch = nameMatch && slices.Contains(mTokens, t)
		}
	}
	similar := nameMatch
	for _, t := range tokens {
		similar = similar || slices.Contains(mTokens, t)
	}
	switch {
	case len(dob) == 10 && m.DateOfBirth == dob:
		reasons = append(reasons, "same date of birth")
	case len(dob) >= 4 && len(m.DateOfBirth) >= 4 && m.DateOfBirth[:4] == dob[:4] && similar:
		reasons = append(reasons, "born the same year, with a similar name")
	}
	if e164 != "" && m.PhoneE164 == e164 {
		reasons = append(reasons, "same phone number")
	}
	if nameMatch {
		reasons = append(reasons, "name matches")
	}
	var mAliases []string
	for _, a := range m.Aliases {
		mAliases = append(mAliases, tropic.FoldName(a))
	}
	aliasMatch := folded != "" && slices.Contains(mAliases, folded)
	for _, a := range aliases {
		aliasMatch = aliasMatch || a == mFolded || slices.Contains(mAliases, a)
	}
	if aliasMatch {
		reasons = append(reasons, "alias matches")
	}
	return reasons
}
