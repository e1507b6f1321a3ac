package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// AddHolidayChange records a one-off change to the bank holidays: a date added, or a
// rule-made date that did not happen. Working-day deadlines use it from then on.
func (s *ReferralService) AddHolidayChange(ctx context.Context, actor tropic.Actor, c tropic.HolidayChange) error {
	var p tropic.Problems
	c.Name = strings.TrimSpace(c.Name)
	day, err := time.Parse(time.DateOnly, c.Date)
	switch {
	case err != nil:
		p.Add("date", "Enter the date like 2027-06-07")
	case day.Year() < 2000 || day.Year() > 2100:
		p.Add("date", "Enter a date between 2000 and 2100")
	case c.Removed && !slices.ContainsFunc(tropic.BankHolidays(day.Year(), nil), day.Equal):
		p.Add("date", "Only a date the rules make a bank holiday can be removed")
	}
	if c.Name == "" {
		p.Add("name", "Say what the change is, like \"Bank holiday for the coronation\"")
	} else {
		tropic.CheckText(&p, "name", "The name", c.Name, 200)
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := tropic.MayChangeHolidays(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO holiday_changes (day, removed, name) VALUES (?, ?, ?)`, c.Date, c.Removed, c.Name); err != nil {
		if isUniqueViolation(err) {
			return &tropic.Error{Code: tropic.ECONFLICT, Message: "There is a change for this date already", Fields: map[string]string{"date": "There is a change for this date already"}}
		}
		return fmt.Errorf("add holiday change: %w", err)
	}
	detail := "added " + c.Date
	if c.Removed {
		detail = "removed " + c.Date
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditHolidayChanged, objectType: "holiday", detail: detail + ": " + c.Name}); err != nil {
		return err
	}
	return tx.Commit()
}
