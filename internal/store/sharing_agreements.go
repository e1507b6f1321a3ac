package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"tropic/internal/tropic"
)

// The register of data sharing agreements (issue 16 item 4), kept by the case service
// because every share cites it inside the share's own transaction.

var _ tropic.AgreementService = (*CaseService)(nil)

const agreementColumns = `g.id, g.title, g.purposes, g.lawful_bases, g.data_categories, g.review_on, g.document_ref, g.created_at, g.updated_at`

func scanAgreement(sc interface{ Scan(...any) error }) (*tropic.SharingAgreement, error) {
	var g tropic.SharingAgreement
	var bases, cats string
	if err := sc.Scan(&g.ID, &g.Title, &g.Purposes, &bases, &cats, &g.ReviewOn, &g.DocumentRef, &g.CreatedAt, &g.UpdatedAt); err != nil {
		return nil, mapError(err)
	}
	g.LawfulBases, g.DataCategories = splitKeys(bases), splitKeys(cats)
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	return &g, nil
}

func splitKeys(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// loadAgreements reads agreements (where: a condition on g, or "" for all), with their
// parties, ordered by title.
func loadAgreements(ctx context.Context, tx *Tx, where string, args ...any) ([]*tropic.SharingAgreement, error) {
	q := `SELECT ` + agreementColumns + ` FROM sharing_agreements g`
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := tx.Query(ctx, q+` ORDER BY g.title, g.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find agreements: %w", err)
	}
	var out []*tropic.SharingAgreement
	byID := map[int64]*tropic.SharingAgreement{}
	for rows.Next() {
		g, err := scanAgreement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, g)
		byID[g.ID] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	prows, err := tx.Query(ctx, `SELECT p.agreement_id, p.agency_id, a.name FROM sharing_agreement_parties p JOIN agencies a ON a.id = p.agency_id
		ORDER BY p.agreement_id, p.agency_id`)
	if err != nil {
		return nil, fmt.Errorf("find agreement parties: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var gid, aid int64
		var name string
		if err := prows.Scan(&gid, &aid, &name); err != nil {
			return nil, err
		}
		if g := byID[gid]; g != nil {
			g.Parties, g.PartyNames = append(g.Parties, aid), append(g.PartyNames, name)
		}
	}
	return out, prows.Err()
}

// agreementByID reads one agreement for a share citing it: nil when there is none.
func agreementByID(ctx context.Context, tx *Tx, id int64) (*tropic.SharingAgreement, error) {
	if id <= 0 {
		return nil, nil
	}
	list, err := loadAgreements(ctx, tx, `g.id = ?`, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// FindAgreements lists the register, by title.
func (s *CaseService) FindAgreements(ctx context.Context, actor tropic.Actor) ([]*tropic.SharingAgreement, error) {
	if err := tropic.MayReadAgreements(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return loadAgreements(ctx, tx, "")
}

// FindAgreement returns one agreement and its history, newest first.
func (s *CaseService) FindAgreement(ctx context.Context, actor tropic.Actor, id int64) (*tropic.SharingAgreement, []*tropic.AdminEvent, error) {
	if err := tropic.MayManageAgreements(actor); err != nil {
		return nil, nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	g, err := agreementByID(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if g == nil {
		return nil, nil, tropic.Errorf(tropic.ENOTFOUND, "Agreement not found.")
	}
	rows, err := tx.Query(ctx, `SELECT e.seq, e.at, e.user_id, e.agency_id, e.actor_label, e.action, e.object_type, e.object_id, e.detail, COALESCE(u.name, '')
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.object_type = 'agreement' AND e.object_id = ? AND e.action IN (?, ?) ORDER BY e.seq DESC LIMIT 200`,
		id, tropic.AuditAgreementCreated, tropic.AuditAgreementUpdated)
	if err != nil {
		return nil, nil, fmt.Errorf("find agreement history: %w", err)
	}
	defer rows.Close()
	var events []*tropic.AdminEvent
	for rows.Next() {
		var e tropic.AdminEvent
		if err := rows.Scan(&e.Seq, &e.At, &e.UserID, &e.AgencyID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.ActorName); err != nil {
			return nil, nil, err
		}
		e.At, e.ObjectName = e.At.UTC(), g.Title
		events = append(events, &e)
	}
	return g, events, rows.Err()
}

var errAgreementTitleTaken = &tropic.Error{Code: tropic.ECONFLICT, Message: "An agreement with this title is already in the register",
	Fields: map[string]string{"title": "An agreement with this title is already in the register"}}

// checkParties refuses parties that are not agencies, naming the field, and sets
// the parties' names.
func checkParties(ctx context.Context, tx *Tx, g *tropic.SharingAgreement) error {
	g.PartyNames = nil
	for _, id := range g.Parties {
		var name string
		err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, id).Scan(&name)
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return &tropic.Error{Code: tropic.EINVALID, Message: "Choose the parties from the list of agencies",
				Fields: map[string]string{"parties": "Choose the parties from the list of agencies"}}
		} else if err != nil {
			return fmt.Errorf("find agency: %w", err)
		}
		g.PartyNames = append(g.PartyNames, name)
	}
	return nil
}

func writeParties(ctx context.Context, tx *Tx, g *tropic.SharingAgreement) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sharing_agreement_parties WHERE agreement_id = ?`, g.ID); err != nil {
		return fmt.Errorf("clear agreement parties: %w", err)
	}
	for _, id := range g.Parties {
		if _, err := tx.Exec(ctx, `INSERT INTO sharing_agreement_parties (agreement_id, agency_id) VALUES (?, ?)`, g.ID, id); err != nil {
			return fmt.Errorf("add agreement party: %w", err)
		}
	}
	return nil
}

// CreateAgreement adds an agreement to the register, and audits it.
func (s *CaseService) CreateAgreement(ctx context.Context, actor tropic.Actor, g *tropic.SharingAgreement) error {
	if err := tropic.MayManageAgreements(actor); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := checkParties(ctx, tx, g); err != nil {
		return err
	}
	g.CreatedAt, g.UpdatedAt = tx.now, tx.now
	g.ID, err = tx.insert(ctx, `INSERT INTO sharing_agreements (title, purposes, lawful_bases, data_categories, review_on, document_ref, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, g.Title, g.Purposes, strings.Join(g.LawfulBases, ","), strings.Join(g.DataCategories, ","),
		g.ReviewOn, g.DocumentRef, g.CreatedAt, g.UpdatedAt)
	if isUniqueViolation(err) {
		return errAgreementTitleTaken
	} else if err != nil {
		return fmt.Errorf("create agreement: %w", err)
	}
	if err := writeParties(ctx, tx, g); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAgreementCreated, objectType: "agreement", objectID: g.ID,
		detail: fmt.Sprintf("%s: parties %s; review on %s; document %s", g.Title, strings.Join(g.PartyNames, ", "), g.ReviewOn, g.DocumentRef)}); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateAgreement changes an agreement (a review sets a new review date), and audits
// what changed, field by field.
func (s *CaseService) UpdateAgreement(ctx context.Context, actor tropic.Actor, g *tropic.SharingAgreement) error {
	if err := tropic.MayManageAgreements(actor); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := agreementByID(ctx, tx, g.ID)
	if err != nil {
		return err
	}
	if old == nil {
		return tropic.Errorf(tropic.ENOTFOUND, "Agreement not found.")
	}
	if err := checkParties(ctx, tx, g); err != nil {
		return err
	}
	var changes []string
	change := func(field, was, is string) {
		if was != is {
			changes = append(changes, field+" "+was+" -> "+is)
		}
	}
	change("title", old.Title, g.Title)
	change("parties", strings.Join(old.PartyNames, ", "), strings.Join(g.PartyNames, ", "))
	if old.Purposes != g.Purposes {
		changes = append(changes, "purposes changed")
	}
	change("lawful bases", strings.Join(old.LawfulBases, ","), strings.Join(g.LawfulBases, ","))
	change("data categories", strings.Join(old.DataCategories, ","), strings.Join(g.DataCategories, ","))
	change("review on", old.ReviewOn, g.ReviewOn)
	change("document", old.DocumentRef, g.DocumentRef)
	g.CreatedAt, g.UpdatedAt = old.CreatedAt, old.UpdatedAt
	if len(changes) == 0 {
		return nil // nothing changed: nothing to audit
	}
	g.UpdatedAt = tx.now
	_, err = tx.Exec(ctx, `UPDATE sharing_agreements SET title = ?, purposes = ?, lawful_bases = ?, data_categories = ?, review_on = ?, document_ref = ?, updated_at = ?
		WHERE id = ?`, g.Title, g.Purposes, strings.Join(g.LawfulBases, ","), strings.Join(g.DataCategories, ","), g.ReviewOn, g.DocumentRef, g.UpdatedAt, g.ID)
	if isUniqueViolation(err) {
		return errAgreementTitleTaken
	} else if err != nil {
		return fmt.Errorf("update agreement: %w", err)
	}
	if !slices.Equal(old.Parties, g.Parties) {
		if err := writeParties(ctx, tx, g); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAgreementUpdated, objectType: "agreement", objectID: g.ID,
		detail: strings.Join(changes, "; ")}); err != nil {
		return err
	}
	return tx.Commit()
}

// expiredSharesQuery selects the live shares of an agency's cases under an agreement
// whose review date has passed (tropic.Share.Flag decides again on each).
const expiredSharesQuery = `SELECT s.id, c.reference, a.name, g.title, g.review_on, s.scope, s.created_at, s.decided_at
	FROM case_shares s JOIN cases c ON c.id = s.case_id JOIN agencies a ON a.id = s.agency_id JOIN sharing_agreements g ON g.id = s.agreement_id
	WHERE c.owner_agency_id = ? AND s.status = 'active' AND (s.until_day = '' OR s.until_day >= ?) AND g.review_on < ?
	ORDER BY g.review_on, c.reference, s.id LIMIT 1000`

// FindExpiredShares lists the live shares of the actor's agency's cases under a lapsed
// agreement, for its supervisors.
func (s *CaseService) FindExpiredShares(ctx context.Context, actor tropic.Actor) ([]tropic.ExpiredShare, error) {
	if !tropic.MayListApprovals(actor) {
		return nil, tropic.Errorf(tropic.EFORBIDDEN, "Only supervisors can end shares under an expired agreement.")
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	today := s.local(tx).Format("2006-01-02")
	rows, err := tx.Query(ctx, expiredSharesQuery, actor.AgencyID, today, today)
	if err != nil {
		return nil, fmt.Errorf("find shares under expired agreements: %w", err)
	}
	defer rows.Close()
	var out []tropic.ExpiredShare
	for rows.Next() {
		var e tropic.ExpiredShare
		var scope string
		var decided sql.NullTime
		if err := rows.Scan(&e.ShareID, &e.CaseReference, &e.Agency, &e.Agreement, &e.ReviewOn, &scope, &e.Since, &decided); err != nil {
			return nil, err
		}
		if decided.Valid {
			e.Since = decided.Time
		}
		e.Scope, e.Since = tropic.ShareScope(scope), e.Since.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// EndExpiredShares ends the chosen shares under lapsed agreements in one transaction,
// each audited on its case: all or none, so a share another supervisor ended a moment
// before (or one of another agency's cases) refuses the lot with nothing written.
func (s *CaseService) EndExpiredShares(ctx context.Context, actor tropic.Actor, ids []int64) (int, error) {
	if !tropic.MayListApprovals(actor) {
		return 0, tropic.Errorf(tropic.EFORBIDDEN, "Only supervisors can end shares under an expired agreement.")
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return 0, &tropic.Error{Code: tropic.EINVALID, Message: "Choose the shares to end", Fields: map[string]string{"shares": "Choose the shares to end"}}
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := s.local(tx)
	for _, id := range ids {
		var caseID, owner int64
		var ref string
		err := tx.QueryRow(ctx, `SELECT s.case_id, c.owner_agency_id, c.reference FROM case_shares s JOIN cases c ON c.id = s.case_id WHERE s.id = ?`+tx.db.forUpdate(), id).
			Scan(&caseID, &owner, &ref)
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return 0, tropic.NoExpiredShare()
		} else if err != nil {
			return 0, fmt.Errorf("find share: %w", err)
		}
		shares, err := loadShares(ctx, tx, caseID)
		if err != nil {
			return 0, err
		}
		sh := &tropic.Share{}
		for _, v := range shares {
			if v.ID == id {
				sh = v
			}
		}
		if err := tropic.MayEndExpiredShare(actor, owner, sh, now); err != nil {
			return 0, err
		}
		res, err := tx.Exec(ctx, `UPDATE case_shares SET status = ?, revoked_at = ?, revoked_by_user = ? WHERE id = ? AND status = ?`,
			string(tropic.ShareRevoked), tx.now, nullID(actor.UserID), id, string(tropic.ShareActive))
		if err != nil {
			return 0, fmt.Errorf("end share: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, tropic.NoExpiredShare()
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditShareEndedExpired, objectType: "case", objectID: caseID,
			detail: fmt.Sprintf("share %d with %s ended: agreement %q passed its review date %s", id, sh.AgencyName, sh.AgreementTitle, sh.AgreementReviewOn)}); err != nil {
			return 0, err
		}
	}
	return len(ids), tx.Commit()
}
