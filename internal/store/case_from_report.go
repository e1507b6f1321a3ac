package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// carryReport makes the records of report ref the case's (tropic.RecordsFromReport),
// marked with the report's reference, in the transaction that links it, and rewrites
// the case's report matches: exact links to other cases fire at once.
func (s *CaseService) carryReport(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, ref string) error {
	r, err := findReport(ctx, tx, ref)
	if err != nil {
		return err
	}
	recs := tropic.RecordsFromReport(r)
	for _, p := range recs.Places {
		if _, err := tx.insert(ctx, `INSERT INTO case_places (case_id, kind, address, postcode, notes, source_report) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, string(p.Kind), p.Address, p.Postcode, p.Notes, ref); err != nil {
			return fmt.Errorf("carry place: %w", err)
		}
	}
	for _, v := range recs.Vehicles {
		if _, err := tx.insert(ctx, `INSERT INTO case_vehicles (case_id, registration, normalised, description, source_report) VALUES (?, ?, ?, ?, ?)`,
			c.ID, v.Registration, v.Normalised, v.Description, ref); err != nil {
			return fmt.Errorf("carry vehicle: %w", err)
		}
	}
	for _, ph := range recs.Phones {
		if _, err := tx.insert(ctx, `INSERT INTO case_phones (case_id, number, e164, notes, source_report) VALUES (?, ?, ?, ?, ?)`,
			c.ID, ph.Number, ph.E164, ph.Notes, ref); err != nil {
			return fmt.Errorf("carry phone: %w", err)
		}
	}
	for _, b := range recs.Businesses {
		id, err := tx.insert(ctx, `INSERT INTO case_businesses (case_id, name, name_folded, kind, company_number, address, source_report) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, b.Name, s.db.businessKey(b.Name), b.Kind, b.CompanyNumber, b.Address, ref)
		if err != nil {
			return fmt.Errorf("carry business: %w", err)
		}
		if err := setTerms(ctx, tx, termBusiness, id, true, b.Name); err != nil {
			return err
		}
	}
	if recs.Note != "" {
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return err
		}
		if err := insertRecord(ctx, tx, actor, w, c.ID, recs.Note); err != nil {
			return err
		}
	}
	return s.refreshReportMatches(ctx, tx, c.ID)
}
