package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// RightsService keeps the rights requests an agency receives (issue 16 item 3).
// tropic.MayWorkRightsRequests decides who works them; anyone else, and any other
// agency, is told there is no such request. Audit events name the request by id and
// kind only, never the requester, a person record or a third party.
type RightsService struct {
	db    *DB
	cases *CaseService // for the partnership's local day
}

// NewRightsService returns the rights request service on db.
func NewRightsService(db *DB) *RightsService {
	return &RightsService{db: db, cases: NewCaseService(db, nil)}
}

// mayWork checks that actor works the rights requests of their agency.
func (s *RightsService) mayWork(ctx context.Context, tx *Tx, actor tropic.Actor) error {
	var dpos int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.agency_id = ? AND NOT u.disabled AND r.role = ?`, actor.AgencyID, string(tropic.RoleDPO)).Scan(&dpos); err != nil {
		return fmt.Errorf("count data protection officers: %w", err)
	}
	return tropic.MayWorkRightsRequests(actor, actor.AgencyID, dpos > 0)
}

const rightsColumns = `id, agency_id, kind, received_on, identity_verified, reference, status, deadline, extension_reason,
	exemption, outcome, created_by, created_at, closed_by, closed_at`

func scanRights(sc interface{ Scan(...any) error }) (*tropic.RightsRequest, error) {
	var r tropic.RightsRequest
	var kind, status string
	var closed sql.NullTime
	if err := sc.Scan(&r.ID, &r.AgencyID, &kind, &r.ReceivedOn, &r.IdentityVerified, &r.Reference, &status, &r.Deadline,
		&r.ExtensionReason, &r.Exemption, &r.Outcome, &r.CreatedBy, &r.CreatedAt, &r.ClosedBy, &closed); err != nil {
		return nil, mapError(err)
	}
	r.Kind, r.Status, r.CreatedAt = tropic.RightsKind(kind), tropic.RightsStatus(status), r.CreatedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		r.ClosedAt = &t
	}
	return &r, nil
}

// request loads request id of the actor's agency, for an actor who works them.
func (s *RightsService) request(ctx context.Context, tx *Tx, actor tropic.Actor, id int64, lock bool) (*tropic.RightsRequest, error) {
	if err := s.mayWork(ctx, tx, actor); err != nil {
		return nil, err
	}
	q := `SELECT ` + rightsColumns + ` FROM rights_requests WHERE id = ? AND agency_id = ?`
	if lock {
		q += tx.db.forUpdate()
	}
	r, err := scanRights(tx.QueryRow(ctx, q, id, actor.AgencyID))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.RightsRequestNotFound()
	}
	return r, err
}

// OpenRightsRequest records a request the actor's agency received.
func (s *RightsService) OpenRightsRequest(ctx context.Context, actor tropic.Actor, r *tropic.RightsRequest) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.mayWork(ctx, tx, actor); err != nil {
		return err
	}
	if err := r.Validate(s.cases.local(tx)); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	r.AgencyID, r.CreatedBy, r.CreatedAt = actor.AgencyID, w.String(), tx.now
	r.ID, err = tx.insert(ctx, `INSERT INTO rights_requests (agency_id, kind, received_on, identity_verified, reference, status, deadline,
		created_by_user, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AgencyID, string(r.Kind), r.ReceivedOn, r.IdentityVerified, r.Reference, string(r.Status), r.Deadline, nullID(actor.UserID), r.CreatedBy, tx.now)
	if err != nil {
		return fmt.Errorf("record rights request: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRightsOpened, objectType: "rights_request", objectID: r.ID,
		detail: fmt.Sprintf("%s request received %s, due %s", r.Kind, r.ReceivedOn, r.Deadline)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindRightsRequests lists the actor's agency's requests: unanswered first, soonest
// deadline first, then answered ones, newest first.
func (s *RightsService) FindRightsRequests(ctx context.Context, actor tropic.Actor) ([]*tropic.RightsRequest, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := s.mayWork(ctx, tx, actor); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+rightsColumns+` FROM rights_requests WHERE agency_id = ?
		ORDER BY CASE WHEN status IN ('completed', 'refused') THEN 1 ELSE 0 END, deadline, id`, actor.AgencyID)
	if err != nil {
		return nil, fmt.Errorf("list rights requests: %w", err)
	}
	defer rows.Close()
	var out []*tropic.RightsRequest
	for rows.Next() {
		r, err := scanRights(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRightsRequest reads one request of the actor's agency.
func (s *RightsService) FindRightsRequest(ctx context.Context, actor tropic.Actor, id int64) (*tropic.RightsRequest, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return s.request(ctx, tx, actor, id, false)
}

// ExtendRightsRequest extends a request once by two further months (tropic.ExtendRights).
func (s *RightsService) ExtendRightsRequest(ctx context.Context, actor tropic.Actor, id int64, reason string) error {
	return s.change(ctx, actor, id, func(tx *Tx, r *tropic.RightsRequest) (auditEntry, error) {
		if err := tropic.ExtendRights(r, reason); err != nil {
			return auditEntry{}, err
		}
		_, err := tx.Exec(ctx, `UPDATE rights_requests SET status = ?, deadline = ?, extension_reason = ? WHERE id = ?`,
			string(r.Status), r.Deadline, r.ExtensionReason, r.ID)
		return auditEntry{action: tropic.AuditRightsExtended, detail: fmt.Sprintf("%s request extended, due %s", r.Kind, r.Deadline)}, err
	})
}

// CloseRightsRequest answers a request: completed, or refused with an exemption.
func (s *RightsService) CloseRightsRequest(ctx context.Context, actor tropic.Actor, id int64, status tropic.RightsStatus, outcome, exemption string) error {
	return s.change(ctx, actor, id, func(tx *Tx, r *tropic.RightsRequest) (auditEntry, error) {
		if err := tropic.CloseRights(r, status, outcome, exemption); err != nil {
			return auditEntry{}, err
		}
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return auditEntry{}, err
		}
		_, err = tx.Exec(ctx, `UPDATE rights_requests SET status = ?, outcome = ?, exemption = ?, closed_by = ?, closed_at = ? WHERE id = ?`,
			string(r.Status), r.Outcome, r.Exemption, w.String(), tx.now, r.ID)
		return auditEntry{action: tropic.AuditRightsClosed, detail: fmt.Sprintf("%s request %s", r.Kind, r.Status)}, err
	})
}

// change runs f on a locked request of the actor's agency and audits what it returns.
func (s *RightsService) change(ctx context.Context, actor tropic.Actor, id int64, f func(tx *Tx, r *tropic.RightsRequest) (auditEntry, error)) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := s.request(ctx, tx, actor, id, true)
	if err != nil {
		return err
	}
	e, err := f(tx, r)
	if err != nil {
		return err
	}
	e.objectType, e.objectID = "rights_request", r.ID
	if err := appendAudit(ctx, tx, actor, e); err != nil {
		return err
	}
	return tx.Commit()
}

// accessRequest loads an unanswered access request of the actor's agency.
func (s *RightsService) accessRequest(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.RightsRequest, error) {
	r, err := s.request(ctx, tx, actor, id, true)
	if err != nil {
		return nil, err
	}
	return r, accessOnly(r)
}

// accessOnly refuses a request other than an access request: only it has a package.
func accessOnly(r *tropic.RightsRequest) error {
	if r.Kind != tropic.RightsAccess {
		return tropic.Errorf(tropic.ECONFLICT, "Only an access request has a package.")
	}
	return nil
}

// SearchRightsPeople finds the person records on the agency's own cases whose name
// or alias holds name, for the officer to confirm which (if any) are the requester.
func (s *RightsService) SearchRightsPeople(ctx context.Context, actor tropic.Actor, id int64, name string) ([]tropic.RightsCandidate, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := s.accessRequest(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	folded := tropic.FoldName(name)
	if len(folded) < 2 {
		return nil, &tropic.Error{Code: tropic.EINVALID, Message: "Enter at least two letters of a name", Fields: map[string]string{"name": "Enter at least two letters of a name"}}
	}
	like := "%" + likeEscape(folded) + "%"
	rows, err := tx.Query(ctx, `SELECT p.id, p.given_name, p.family_name, p.date_of_birth, COUNT(DISTINCT c.id),
		MAX(CASE WHEN rp.person_id IS NULL THEN 0 ELSE 1 END)
		FROM people p JOIN case_people cp ON cp.person_id = p.id JOIN cases c ON c.id = cp.case_id AND c.owner_agency_id = ?
		LEFT JOIN rights_request_people rp ON rp.request_id = ? AND rp.person_id = p.id
		WHERE p.name_folded LIKE ? ESCAPE '\' OR p.id IN (SELECT person_id FROM person_aliases WHERE alias_folded LIKE ? ESCAPE '\')
		GROUP BY p.id, p.given_name, p.family_name, p.date_of_birth ORDER BY p.family_name, p.given_name, p.id LIMIT 50`,
		actor.AgencyID, r.ID, like, like)
	if err != nil {
		return nil, fmt.Errorf("search people: %w", err)
	}
	defer rows.Close()
	var out []tropic.RightsCandidate
	for rows.Next() {
		var c tropic.RightsCandidate
		var given, family string
		var confirmed int
		if err := rows.Scan(&c.PersonID, &given, &family, &c.DateOfBirth, &c.Cases, &confirmed); err != nil {
			return nil, err
		}
		c.Name, c.Confirmed = strings.TrimSpace(given+" "+family), confirmed == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// onAgencyCase checks that person is on one of the agency's cases; any other person
// answers as not found.
func onAgencyCase(ctx context.Context, tx *Tx, agencyID, personID int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_people cp JOIN cases c ON c.id = cp.case_id
		WHERE cp.person_id = ? AND c.owner_agency_id = ?`, personID, agencyID).Scan(&n); err != nil {
		return fmt.Errorf("find person: %w", err)
	}
	if n == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Person not found.")
	}
	return nil
}

// ConfirmRightsPerson records that the officer confirmed person record personID as
// the requester of access request id (confirm false takes the confirmation back).
func (s *RightsService) ConfirmRightsPerson(ctx context.Context, actor tropic.Actor, id, personID int64, confirm bool) error {
	return s.changePackage(ctx, actor, id, personID, func(tx *Tx, r *tropic.RightsRequest, who string) (auditEntry, error) {
		if _, err := tx.Exec(ctx, `DELETE FROM rights_request_people WHERE request_id = ? AND person_id = ?`, r.ID, personID); err != nil {
			return auditEntry{}, err
		}
		if !confirm {
			return auditEntry{action: "rights.person", detail: "access request: a person record unconfirmed"}, nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rights_request_people (request_id, person_id, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?)`,
			r.ID, personID, who, tx.now); err != nil {
			return auditEntry{}, fmt.Errorf("confirm person: %w", err)
		}
		return auditEntry{action: "rights.person", detail: "access request: a person record confirmed as the requester"}, nil
	})
}

// changePackage runs f on the package of access request id, unanswered and not
// released, for person personID on one of the actor's agency's cases, and audits
// what f returns; who is the actor as recorded.
func (s *RightsService) changePackage(ctx context.Context, actor tropic.Actor, id, personID int64,
	f func(tx *Tx, r *tropic.RightsRequest, who string) (auditEntry, error)) error {
	return s.change(ctx, actor, id, func(tx *Tx, r *tropic.RightsRequest) (auditEntry, error) {
		if err := accessOnly(r); err != nil {
			return auditEntry{}, err
		}
		if err := s.stillOpen(ctx, tx, r); err != nil {
			return auditEntry{}, err
		}
		if err := onAgencyCase(ctx, tx, actor.AgencyID, personID); err != nil {
			return auditEntry{}, err
		}
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return auditEntry{}, err
		}
		return f(tx, r, w.String())
	})
}

// stillOpen refuses to change the package of a request answered or released.
func (s *RightsService) stillOpen(ctx context.Context, tx *Tx, r *tropic.RightsRequest) error {
	var released sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT released_at FROM rights_requests WHERE id = ?`, r.ID).Scan(&released); err != nil {
		return err
	}
	if r.Status.Closed() || released.Valid {
		return tropic.Errorf(tropic.ECONFLICT, "This request's package has been released or the request answered; it can no longer change.")
	}
	return nil
}

// SetRightsRedaction redacts (redact true, the default) or shows, with a reason, the
// name of third party personID in the package of access request id.
func (s *RightsService) SetRightsRedaction(ctx context.Context, actor tropic.Actor, id, personID int64, redact bool, reason string) error {
	return s.changePackage(ctx, actor, id, personID, func(tx *Tx, r *tropic.RightsRequest, who string) (auditEntry, error) {
		if !redact {
			var err error
			if reason, err = tropic.ValidateUnredaction(reason); err != nil {
				return auditEntry{}, err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rights_request_unredactions WHERE request_id = ? AND person_id = ?`, r.ID, personID); err != nil {
			return auditEntry{}, err
		}
		if redact {
			return auditEntry{action: "rights.redaction", detail: "access request: a third party redacted"}, nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rights_request_unredactions (request_id, person_id, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)`,
			r.ID, personID, reason, who, tx.now); err != nil {
			return auditEntry{}, fmt.Errorf("record unredaction: %w", err)
		}
		return auditEntry{action: "rights.redaction", detail: "access request: a third party's name shown, with a reason"}, nil
	})
}

// RightsPackage builds the package of access request id for the officer's review:
// third parties' names shown, marked redacted or not.
func (s *RightsService) RightsPackage(ctx context.Context, actor tropic.Actor, id int64) (*tropic.RightsPackage, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := s.accessRequest(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.buildPackage(ctx, tx, r, false)
}

// ReleaseRightsPackage records that the officer released the package of access
// request id, and returns it as released: third parties redacted unless shown with a
// reason. Releasing again returns the package and keeps the first release's record.
func (s *RightsService) ReleaseRightsPackage(ctx context.Context, actor tropic.Actor, id int64) (*tropic.RightsPackage, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := s.accessRequest(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	pkg, err := s.buildPackage(ctx, tx, r, true)
	if err != nil {
		return nil, err
	}
	if pkg.ReleasedAt == nil {
		if len(pkg.Subjects) == 0 {
			return nil, tropic.Errorf(tropic.ECONFLICT, "Confirm at least one person record as the requester before releasing the package.")
		}
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx, `UPDATE rights_requests SET released_by = ?, released_at = ? WHERE id = ?`, w.String(), tx.now, r.ID); err != nil {
			return nil, fmt.Errorf("record release: %w", err)
		}
		at := tx.now.UTC()
		pkg.ReleasedBy, pkg.ReleasedAt = w.String(), &at
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: "rights.released", objectType: "rights_request", objectID: r.ID,
		detail: fmt.Sprintf("access request package released: %d person records", len(pkg.Subjects))}); err != nil {
		return nil, err
	}
	return pkg, tx.Commit()
}

// buildPackage reads the package of access request r inside tx.
func (s *RightsService) buildPackage(ctx context.Context, tx *Tx, r *tropic.RightsRequest, release bool) (*tropic.RightsPackage, error) {
	pkg := &tropic.RightsPackage{RequestID: r.ID, Reference: r.Reference, ReceivedOn: r.ReceivedOn, Deadline: r.Deadline}
	var released sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT a.name, q.released_by, q.released_at FROM rights_requests q JOIN agencies a ON a.id = q.agency_id WHERE q.id = ?`, r.ID).
		Scan(&pkg.Agency, &pkg.ReleasedBy, &released); err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	if released.Valid {
		t := released.Time.UTC()
		pkg.ReleasedAt = &t
	}
	rows, err := tx.Query(ctx, `SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.gender, p.nationality, p.languages, p.phone,
		p.email, p.immigration_status, p.health FROM rights_request_people rp JOIN people p ON p.id = rp.person_id
		WHERE rp.request_id = ? ORDER BY p.id`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("read confirmed people: %w", err)
	}
	subjects := map[int64]bool{}
	for rows.Next() {
		var p tropic.RightsSubject
		if err := rows.Scan(&p.PersonID, &p.GivenName, &p.FamilyName, &p.DateOfBirth, &p.Gender, &p.Nationality, &p.Languages, &p.Phone,
			&p.Email, &p.ImmigrationStatus, &p.Health); err != nil {
			rows.Close()
			return nil, err
		}
		subjects[p.PersonID] = true
		pkg.Subjects = append(pkg.Subjects, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range pkg.Subjects {
		p := &pkg.Subjects[i]
		if p.Aliases, err = queryStrings(ctx, tx, `SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY position`, p.PersonID); err != nil {
			return nil, err
		}
		if p.Cases, err = rightsCases(ctx, tx, r.AgencyID, p.PersonID, subjects, s.cases.zone); err != nil {
			return nil, err
		}
	}
	unredacted := map[int64]string{}
	urows, err := tx.Query(ctx, `SELECT person_id, reason FROM rights_request_unredactions WHERE request_id = ?`, r.ID)
	if err != nil {
		return nil, err
	}
	defer urows.Close()
	for urows.Next() {
		var id int64
		var reason string
		if err := urows.Scan(&id, &reason); err != nil {
			return nil, err
		}
		unredacted[id] = reason
	}
	if err := urows.Err(); err != nil {
		return nil, err
	}
	tropic.RedactThirdParties(pkg, unredacted, release)
	return pkg, nil
}

// rightsCases reads the cases of agencyID that person personID is on, each with the
// other people on it (not themselves requester records) as third parties.
func rightsCases(ctx context.Context, tx *Tx, agencyID, personID int64, subjects map[int64]bool, zone *time.Location) ([]tropic.RightsCase, error) {
	rows, err := tx.Query(ctx, `SELECT c.id, c.reference, c.title, c.opened_at, c.closed_at, cp.role FROM case_people cp
		JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = ? AND c.owner_agency_id = ? ORDER BY c.opened_at, c.id`, personID, agencyID)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	var out []tropic.RightsCase
	var ids []int64
	for rows.Next() {
		var c tropic.RightsCase
		var id int64
		var opened time.Time
		var closed sql.NullTime
		var role string
		if err := rows.Scan(&id, &c.Reference, &c.Title, &opened, &closed, &role); err != nil {
			rows.Close()
			return nil, err
		}
		c.OpenedOn, c.Role = opened.In(zone).Format(time.DateOnly), tropic.PersonRole(role).Label()
		if closed.Valid {
			c.ClosedOn = closed.Time.In(zone).Format(time.DateOnly)
		}
		out, ids = append(out, c), append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		prows, err := tx.Query(ctx, `SELECT p.id, p.given_name, p.family_name, cp.role FROM case_people cp JOIN people p ON p.id = cp.person_id
			WHERE cp.case_id = ? ORDER BY cp.id`, id)
		if err != nil {
			return nil, err
		}
		out[i].ThirdParties = []tropic.RightsThirdParty{}
		for prows.Next() {
			var t tropic.RightsThirdParty
			var given, family, role string
			if err := prows.Scan(&t.PersonID, &given, &family, &role); err != nil {
				prows.Close()
				return nil, err
			}
			if subjects[t.PersonID] {
				continue
			}
			t.Name, t.Role = strings.TrimSpace(given+" "+family), tropic.PersonRole(role).Label()
			out[i].ThirdParties = append(out[i].ThirdParties, t)
		}
		prows.Close()
		if err := prows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// queryStrings reads one text column of the rows q returns.
func queryStrings(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

var _ tropic.RightsService = (*RightsService)(nil)
