package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// addPart runs one addition to a case the actor's agency owns: insert stores the part
// and returns the audit detail.
func (s *CaseService) addPart(ctx context.Context, actor tropic.Actor, caseRef, action string, insert func(tx *Tx, c *tropic.Case) (string, error)) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	detail, err := insert(tx, c)
	if err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID, detail: detail}); err != nil {
		return err
	}
	return tx.Commit()
}

// AddPlace records a place on a case.
func (s *CaseService) AddPlace(ctx context.Context, actor tropic.Actor, caseRef string, p *tropic.Place) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.addPart(ctx, actor, caseRef, tropic.AuditCasePlaceAdded, func(tx *Tx, c *tropic.Case) (string, error) {
		var err error
		p.ID, err = tx.insert(ctx, `INSERT INTO case_places (case_id, kind, address, postcode, notes) VALUES (?, ?, ?, ?, ?)`,
			c.ID, string(p.Kind), p.Address, p.Postcode, p.Notes)
		if err != nil {
			return "", fmt.Errorf("add place: %w", err)
		}
		if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
			return "", err
		}
		return fmt.Sprintf("place %d", p.ID), nil
	})
}

// AddBusiness records a business on a case.
func (s *CaseService) AddBusiness(ctx context.Context, actor tropic.Actor, caseRef string, b *tropic.Business) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.addPart(ctx, actor, caseRef, tropic.AuditCaseBusinessAdded, func(tx *Tx, c *tropic.Case) (string, error) {
		var err error
		b.ID, err = tx.insert(ctx, `INSERT INTO case_businesses (case_id, name, name_folded, kind, company_number, address) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, b.Name, s.db.businessKey(b.Name), b.Kind, b.CompanyNumber, b.Address)
		if err != nil {
			return "", fmt.Errorf("add business: %w", err)
		}
		if err := setTerms(ctx, tx, termBusiness, b.ID, true, b.Name); err != nil {
			return "", err
		}
		if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
			return "", err
		}
		return fmt.Sprintf("business %d", b.ID), nil
	})
}

// AddVehicle records a vehicle on a case.
func (s *CaseService) AddVehicle(ctx context.Context, actor tropic.Actor, caseRef string, v *tropic.CaseVehicle) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.addPart(ctx, actor, caseRef, tropic.AuditCaseVehicleAdded, func(tx *Tx, c *tropic.Case) (string, error) {
		var err error
		v.ID, err = tx.insert(ctx, `INSERT INTO case_vehicles (case_id, registration, normalised, description) VALUES (?, ?, ?, ?)`,
			c.ID, v.Registration, v.Normalised, v.Description)
		if err != nil {
			return "", fmt.Errorf("add vehicle: %w", err)
		}
		if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
			return "", err
		}
		return fmt.Sprintf("vehicle %d", v.ID), nil
	})
}

// AddPhone records a phone number on a case.
func (s *CaseService) AddPhone(ctx context.Context, actor tropic.Actor, caseRef string, ph *tropic.CasePhone) error {
	if err := ph.Validate(s.parsePhone); err != nil {
		return err
	}
	return s.addPart(ctx, actor, caseRef, tropic.AuditCasePhoneAdded, func(tx *Tx, c *tropic.Case) (string, error) {
		var err error
		ph.ID, err = tx.insert(ctx, `INSERT INTO case_phones (case_id, number, e164, notes) VALUES (?, ?, ?, ?)`, c.ID, ph.Number, ph.E164, ph.Notes)
		if err != nil {
			return "", fmt.Errorf("add phone: %w", err)
		}
		if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
			return "", err
		}
		return fmt.Sprintf("phone %d", ph.ID), nil
	})
}

// AddOrder records a prevention or risk order against a person on the case. The
// order is the domain's to check (tropic.Order.Validate), inside the transaction,
// against the people on the case now.
func (s *CaseService) AddOrder(ctx context.Context, actor tropic.Actor, caseRef string, o *tropic.Order) error {
	return s.addPart(ctx, actor, caseRef, tropic.AuditCaseOrderAdded, func(tx *Tx, c *tropic.Case) (string, error) {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_people WHERE case_id = ? AND person_id = ?`, c.ID, o.PersonID).Scan(&n); err != nil {
			return "", err
		}
		if err := o.Validate(s.today(tx), n > 0); err != nil {
			return "", err
		}
		var err error
		o.ID, err = tx.insert(ctx, `INSERT INTO case_orders (case_id, person_id, kind, made_on, expires_on, notes, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, o.PersonID, string(o.Kind), o.MadeOn, o.ExpiresOn, o.Notes, tx.now, nullID(actor.UserID))
		if err != nil {
			return "", fmt.Errorf("add order: %w", err)
		}
		return fmt.Sprintf("order %d (%s) against person %d", o.ID, o.Kind, o.PersonID), nil
	})
}

func loadPlaces(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.Place, error) {
	rows, err := tx.Query(ctx, `SELECT id, kind, address, postcode, notes, source_report, version FROM case_places WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Place
	for rows.Next() {
		var p tropic.Place
		var kind string
		if err := rows.Scan(&p.ID, &kind, &p.Address, &p.Postcode, &p.Notes, &p.Source, &p.Version); err != nil {
			return nil, err
		}
		p.Kind = tropic.PlaceKind(kind)
		out = append(out, &p)
	}
	return out, rows.Err()
}

func loadBusinesses(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.Business, error) {
	rows, err := tx.Query(ctx, `SELECT id, name, kind, company_number, address, source_report, version FROM case_businesses WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load businesses: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Business
	for rows.Next() {
		var b tropic.Business
		if err := rows.Scan(&b.ID, &b.Name, &b.Kind, &b.CompanyNumber, &b.Address, &b.Source, &b.Version); err != nil {
			return nil, err
		}
		out = append(out, &b)
	}
	return out, rows.Err()
}

func loadVehicles(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.CaseVehicle, error) {
	rows, err := tx.Query(ctx, `SELECT id, registration, normalised, description, source_report, version FROM case_vehicles WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load vehicles: %w", err)
	}
	defer rows.Close()
	var out []*tropic.CaseVehicle
	for rows.Next() {
		var v tropic.CaseVehicle
		if err := rows.Scan(&v.ID, &v.Registration, &v.Normalised, &v.Description, &v.Source, &v.Version); err != nil {
			return nil, err
		}
		out = append(out, &v)
	}
	return out, rows.Err()
}

func loadPhones(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.CasePhone, error) {
	rows, err := tx.Query(ctx, `SELECT id, number, e164, notes, source_report, version FROM case_phones WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load phones: %w", err)
	}
	defer rows.Close()
	var out []*tropic.CasePhone
	for rows.Next() {
		var ph tropic.CasePhone
		if err := rows.Scan(&ph.ID, &ph.Number, &ph.E164, &ph.Notes, &ph.Source, &ph.Version); err != nil {
			return nil, err
		}
		out = append(out, &ph)
	}
	return out, rows.Err()
}

func loadOrders(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.Order, error) {
	rows, err := tx.Query(ctx, `SELECT id, person_id, kind, made_on, expires_on, notes, version FROM case_orders WHERE case_id = ? ORDER BY made_on, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load orders: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Order
	for rows.Next() {
		var o tropic.Order
		var kind string
		if err := rows.Scan(&o.ID, &o.PersonID, &kind, &o.MadeOn, &o.ExpiresOn, &o.Notes, &o.Version); err != nil {
			return nil, err
		}
		o.Kind = tropic.OrderKind(kind)
		out = append(out, &o)
	}
	return out, rows.Err()
}
