package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// referralStatusSQL is tropic.Referral.Status in SQL, case for case in the same
// order, so that lists filter, count and page in the database
// (TestReferralStatusInSQLIsTheDomains proves them equal).
const referralStatusSQL = `CASE
	WHEN r.route = 'dtn' AND r.withdrawn_on <> '' THEN 'withdrawn'
	WHEN r.route = 'dtn' THEN 'notified'
	WHEN r.disqualified_on <> '' THEN 'disqualified'
	WHEN r.withdrawn_on <> '' THEN 'withdrawn'
	WHEN r.reconsideration_requested <> '' AND r.reconsideration_decided = '' THEN 'reconsideration'
	WHEN r.cg_outcome <> '' THEN 'cg_decided'
	WHEN r.rg_outcome = '` + tropic.RGPositive + `' THEN 'awaiting_cg'
	WHEN r.rg_outcome = '` + tropic.RGNegative + `' THEN 'rg_negative'
	WHEN r.rg_outcome = '` + tropic.RGSuspended + `' THEN 'rg_suspended'
	ELSE 'awaiting_rg' END`

// FindReferrals lists the referrals the actor may see, newest submitted first, or for
// the waiting list oldest first, and the total that match. The database filters,
// counts and pages: status is referralStatusSQL, and overdue is awaiting RG and
// submitted before the domain's cut-off (tropic.RGOverdueFrom, which agrees with
// NextDeadline).
func (s *ReferralService) FindReferrals(ctx context.Context, actor tropic.Actor, f tropic.ReferralFilter) ([]*tropic.Referral, int, error) {
	if err := tropic.MayListReferrals(actor); err != nil {
		return nil, 0, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args := "1=1", []any{}
	if f.Route != "" {
		where, args = where+" AND r.route = ?", append(args, string(f.Route))
	}
	if f.Status != "" {
		where, args = where+" AND "+referralStatusSQL+" = ?", append(args, f.Status)
	}
	if f.Waiting {
		where += " AND r.route = 'nrm' AND " + referralStatusSQL + " IN ('awaiting_rg', 'awaiting_cg')"
	}
	if f.Overdue {
		cal, err := loadCalendar(ctx, tx)
		if err != nil {
			return nil, 0, err
		}
		from := tropic.RGOverdueFrom(cal, s.cases.local(tx)).Format(time.DateOnly)
		where, args = where+" AND r.route = 'nrm' AND "+referralStatusSQL+" = 'awaiting_rg' AND r.submitted_on < ?", append(args, from)
	}
	vis, visArgs := s.visibleReferrals(tx, actor)
	var total int
	count := `SELECT COUNT(*) FROM referrals r WHERE ` + vis + ` AND ` + where
	if f.CountUpTo > 0 {
		count = fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM referrals r WHERE %s AND %s LIMIT %d) counted`, vis, where, f.CountUpTo+1)
	}
	if err := tx.QueryRow(ctx, count, append(visArgs, args...)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count referrals: %w", err)
	}
	order := "r.submitted_on DESC, r.id DESC"
	if f.Waiting {
		order = "r.submitted_on, r.id"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset := min(max(f.Offset, 0), total)
	if offset >= total {
		return nil, total, nil
	}
	rs, err := s.findReferrals(ctx, tx, actor, where, args, order+fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset))
	return rs, total, err
}
