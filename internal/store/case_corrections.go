package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

var _ tropic.CaseCorrections = (*CaseService)(nil)

// partTables are the tables of the parts of a case, each row with a case_id and a version.
var partTables = map[tropic.CasePart]string{
	tropic.PartPlace: "case_places", tropic.PartBusiness: "case_businesses", tropic.PartVehicle: "case_vehicles",
	tropic.PartPhone: "case_phones", tropic.PartOrder: "case_orders", tropic.PartTask: "case_tasks", tropic.PartPerson: "case_people",
}

// correction is one change to one item of a case, made by correct.
type correction struct {
	part    tropic.CasePart
	itemID  int64
	version int
	action  string
	// may decides, the case and the item locked, whether the actor may make the
	// change; nil: tropic.MayChangeCase.
	may func(tx *Tx, c *tropic.Case, shares []*tropic.Share) error
	// apply makes the change and returns the audit detail, which names ids only.
	apply func(tx *Tx, c *tropic.Case, shares []*tropic.Share, w who) (string, error)
	// withdrawn is why a link this change ends was withdrawn (tropic.LinkCorrected or
	// a removal reason).
	withdrawn string
}

func itemNotFound(part tropic.CasePart) error {
	label := part.Label()
	return tropic.Errorf(tropic.ENOTFOUND, "%s not found on this case.", strings.ToUpper(label[:1])+label[1:])
}

// correct runs one correction in one transaction: the case and the item locked, the
// version the editor saw checked, the change made, and what is derived from the case's
// identifiers (stored report matches, links other cases were shown) brought up to date.
func (s *CaseService) correct(ctx context.Context, actor tropic.Actor, caseRef string, k correction) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, shares, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	table, ok := partTables[k.part]
	if !ok {
		return itemNotFound(k.part)
	}
	var version int
	var by string
	var at sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT version, updated_by, updated_at FROM `+table+` WHERE id = ? AND case_id = ?`+tx.db.forUpdate(), k.itemID, c.ID).
		Scan(&version, &by, &at); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return itemNotFound(k.part)
		}
		return fmt.Errorf("find %s: %w", k.part.Label(), err)
	}
	may := k.may
	if may == nil {
		may = func(*Tx, *tropic.Case, []*tropic.Share) error { return tropic.MayChangeCase(actor, c) }
	}
	if err := may(tx, c, shares); err != nil {
		return err
	}
	if version != k.version {
		if !at.Valid {
			return tropic.Errorf(tropic.ECONFLICT, "This %s has changed since you opened it. Your changes have not been saved; check it, then make your changes again.", k.part.Label())
		}
		return s.stale(k.part.Label(), by, at.Time)
	}
	before, err := caseIdentifiers(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	detail, err := k.apply(tx, c, shares, w)
	if err != nil {
		return err
	}
	// A removal writes its own record; a change is told on the timeline by its kind.
	if k.action == tropic.AuditCasePartChanged {
		if err := insertRecord(ctx, tx, actor, w, c.ID, tropic.ChangeRecord(k.part)); err != nil {
			return err
		}
	}
	after, err := caseIdentifiers(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	if err := withdrawLinks(ctx, tx, c.ID, before, after, k.withdrawn); err != nil {
		return err
	}
	if err := s.refreshReportMatches(ctx, tx, c.ID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: k.action, objectType: "case", objectID: c.ID, detail: detail}); err != nil {
		return err
	}
	return tx.Commit()
}

// updateItem saves set (with its args) on an item at the version the editor saw.
func updateItem(ctx context.Context, tx *Tx, part tropic.CasePart, set string, w who, id int64, version int, args ...any) error {
	res, err := tx.Exec(ctx, `UPDATE `+partTables[part]+` SET `+set+`, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?`,
		append(args, tx.now, w.String(), id, version)...)
	if err != nil {
		return fmt.Errorf("update %s: %w", part.Label(), err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This %s has changed since you opened it. Your changes have not been saved; check it, then make your changes again.", part.Label())
	}
	return nil
}

func changedDetail(part tropic.CasePart, id int64, version int) string {
	return fmt.Sprintf("%s %d version %d", part, id, version+1)
}

// UpdatePlace changes a place on a case.
func (s *CaseService) UpdatePlace(ctx context.Context, actor tropic.Actor, caseRef string, p *tropic.Place) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartPlace, itemID: p.ID, version: p.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, _ *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			err := updateItem(ctx, tx, tropic.PartPlace, `kind = ?, address = ?, postcode = ?, notes = ?`, w, p.ID, p.Version, string(p.Kind), p.Address, p.Postcode, p.Notes)
			p.Version++
			return changedDetail(tropic.PartPlace, p.ID, p.Version-1), err
		}})
}

// UpdateBusiness changes a business on a case, and the words it is found by.
func (s *CaseService) UpdateBusiness(ctx context.Context, actor tropic.Actor, caseRef string, b *tropic.Business) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartBusiness, itemID: b.ID, version: b.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, _ *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			if err := updateItem(ctx, tx, tropic.PartBusiness, `name = ?, name_folded = ?, kind = ?, company_number = ?, address = ?`, w, b.ID, b.Version,
				b.Name, s.db.businessKey(b.Name), b.Kind, b.CompanyNumber, b.Address); err != nil {
				return "", err
			}
			b.Version++
			return changedDetail(tropic.PartBusiness, b.ID, b.Version-1), setTerms(ctx, tx, termBusiness, b.ID, false, b.Name)
		}})
}

// UpdateVehicle changes a vehicle on a case.
func (s *CaseService) UpdateVehicle(ctx context.Context, actor tropic.Actor, caseRef string, v *tropic.CaseVehicle) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartVehicle, itemID: v.ID, version: v.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, _ *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			err := updateItem(ctx, tx, tropic.PartVehicle, `registration = ?, normalised = ?, description = ?`, w, v.ID, v.Version, v.Registration, v.Normalised, v.Description)
			v.Version++
			return changedDetail(tropic.PartVehicle, v.ID, v.Version-1), err
		}})
}

// UpdatePhone changes a phone number on a case.
func (s *CaseService) UpdatePhone(ctx context.Context, actor tropic.Actor, caseRef string, ph *tropic.CasePhone) error {
	if err := ph.Validate(s.parsePhone); err != nil {
		return err
	}
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartPhone, itemID: ph.ID, version: ph.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, _ *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			err := updateItem(ctx, tx, tropic.PartPhone, `number = ?, e164 = ?, notes = ?`, w, ph.ID, ph.Version, ph.Number, ph.E164, ph.Notes)
			ph.Version++
			return changedDetail(tropic.PartPhone, ph.ID, ph.Version-1), err
		}})
}

// UpdateOrder changes a prevention or risk order, checked against the people on the case now.
func (s *CaseService) UpdateOrder(ctx context.Context, actor tropic.Actor, caseRef string, o *tropic.Order) error {
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartOrder, itemID: o.ID, version: o.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, c *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_people WHERE case_id = ? AND person_id = ?`, c.ID, o.PersonID).Scan(&n); err != nil {
				return "", err
			}
			if err := o.Validate(s.today(tx), n > 0); err != nil {
				return "", err
			}
			err := updateItem(ctx, tx, tropic.PartOrder, `person_id = ?, kind = ?, made_on = ?, expires_on = ?, notes = ?`, w, o.ID, o.Version,
				o.PersonID, string(o.Kind), o.MadeOn, o.ExpiresOn, o.Notes)
			o.Version++
			return changedDetail(tropic.PartOrder, o.ID, o.Version-1), err
		}})
}

// taskCreatorAgency is the agency of the user who set a task (0: unknown).
func taskCreatorAgency(ctx context.Context, tx *Tx, taskID int64) (int64, error) {
	var agency int64
	err := tx.QueryRow(ctx, `SELECT COALESCE(u.agency_id, 0) FROM case_tasks t LEFT JOIN users u ON u.id = t.created_by_user WHERE t.id = ?`, taskID).Scan(&agency)
	return agency, err
}

// mayChangeTask is tropic.MayChangeTask for the task taskID.
func mayChangeTask(ctx context.Context, actor tropic.Actor, taskID int64) func(*Tx, *tropic.Case, []*tropic.Share) error {
	return func(tx *Tx, c *tropic.Case, _ []*tropic.Share) error {
		agency, err := taskCreatorAgency(ctx, tx, taskID)
		if err != nil {
			return fmt.Errorf("find task's agency: %w", err)
		}
		return tropic.MayChangeTask(actor, c, agency)
	}
}

// UpdateTask changes a task's title, due date and assignee; a person newly assigned
// is told.
func (s *CaseService) UpdateTask(ctx context.Context, actor tropic.Actor, caseRef string, t *tropic.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.correct(ctx, actor, caseRef, correction{part: tropic.PartTask, itemID: t.ID, version: t.Version, action: tropic.AuditCasePartChanged,
		may: mayChangeTask(ctx, actor, t.ID),
		apply: func(tx *Tx, c *tropic.Case, shares []*tropic.Share, w who) (string, error) {
			var was int64
			if err := tx.QueryRow(ctx, `SELECT COALESCE(user_id, 0) FROM case_tasks WHERE id = ?`, t.ID).Scan(&was); err != nil {
				return "", fmt.Errorf("find task: %w", err)
			}
			if err := s.checkAssignee(ctx, tx, c, shares, t); err != nil {
				return "", err
			}
			if err := updateItem(ctx, tx, tropic.PartTask, `title = ?, agency_id = ?, user_id = ?, due = ?`, w, t.ID, t.Version,
				t.Title, t.AssignedAgency, nullID(t.AssignedUser), t.Due); err != nil {
				return "", err
			}
			t.Version++
			t.CaseID, t.CaseReference = c.ID, c.Reference
			detail := changedDetail(tropic.PartTask, t.ID, t.Version-1)
			if t.AssignedUser != was && t.AssignedUser != 0 {
				detail += fmt.Sprintf(", assigned to user %d", t.AssignedUser)
				return detail, notifyUsers(ctx, tx, actor, taskAssignedNotice(c.Reference), t.AssignedUser)
			}
			return detail, nil
		}})
}

// UpdateCaseLink changes a person's link to a case: whether they may have been
// compelled to offend, and their role by the same rule as ChangeRole (a potential
// victim becomes a suspect only as a request a supervisor decides).
func (s *CaseService) UpdateCaseLink(ctx context.Context, actor tropic.Actor, caseRef string, u *tropic.CaseLinkUpdate) (*tropic.RoleChange, error) {
	reason, err := checkRoleChange(u.Role, u.Reason)
	if err != nil {
		return nil, err
	}
	var rc *tropic.RoleChange
	err = s.correct(ctx, actor, caseRef, correction{part: tropic.PartPerson, itemID: u.LinkID, version: u.Version, action: tropic.AuditCasePartChanged, withdrawn: tropic.LinkCorrected,
		apply: func(tx *Tx, c *tropic.Case, _ []*tropic.Share, w who) (string, error) {
			cp, _, err := s.casePersonFor(ctx, tx, actor, u.LinkID)
			if err != nil {
				return "", err
			}
			if err := updateItem(ctx, tx, tropic.PartPerson, `coerced_offender = ?`, w, cp.ID, u.Version, u.CoercedOffender); err != nil {
				return "", err
			}
			detail := fmt.Sprintf("link %d version %d: coerced offender %t", cp.ID, u.Version+1, u.CoercedOffender)
			if u.Role != cp.Role {
				if rc, err = s.changeRoleTx(ctx, tx, actor, cp, c, u.Role, reason); err != nil {
					return "", err
				}
				detail += fmt.Sprintf("; role %s to %s (%s)", rc.From, rc.To, rc.Status)
			}
			// A change of role moves the version on again: the caller is given the one
			// a further change must name.
			if err := tx.QueryRow(ctx, `SELECT version FROM case_people WHERE id = ?`, cp.ID).Scan(&u.Version); err != nil {
				return "", fmt.Errorf("read link version: %w", err)
			}
			return detail, nil
		}})
	return rc, err
}
