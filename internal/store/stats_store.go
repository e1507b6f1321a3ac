package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"tropic/internal/tropic"
)

// StatsService counts the published figures over reports, cases, the people on
// them and referrals. Every count is an indexed range count over the figure's date
// (migration 0006 adds covering indexes), and a breakdown one GROUP BY over the same
// range; months are counted one range at a time so that they follow the
// partnership's calendar (Europe/London), not UTC. Reports, by far the most rows,
// are also counted hour by hour as they are written (migration 0650): a count of
// them with no filter adds up those hours (reportHours).
//
// Answers are kept for TTL (default one minute), so the public dashboard under load
// costs one computation per minute; MaxAge says how stale a figure may be.
type StatsService struct {
	db   *DB
	zone *time.Location
	ttl  time.Duration

	mu        sync.Mutex
	cache     map[string]statsEntry
	decisions map[string]decisionsEntry
}

type decisionsEntry struct {
	at time.Time
	d  tropic.NRMDecisions
}

type statsEntry struct {
	at     time.Time
	counts map[string]int
}

var _ tropic.StatsService = (*StatsService)(nil)

// NewStatsService returns the statistics service on db.
func NewStatsService(db *DB) *StatsService {
	zone, err := time.LoadLocation("Europe/London")
	if err != nil {
		zone = time.UTC
	}
	return &StatsService{db: db, zone: zone, ttl: time.Minute, cache: map[string]statsEntry{}, decisions: map[string]decisionsEntry{}}
}

// SetTTL sets how long answers are kept; 0 computes every answer afresh.
func (s *StatsService) SetTTL(d time.Duration) { s.ttl = d }

// MaxAge is how stale a figure may be.
func (s *StatsService) MaxAge() time.Duration { return s.ttl }

// Zone is the partnership's time zone, in which periods' days are counted.
func (s *StatsService) Zone() *time.Location { return s.zone }

// figureSource describes where a figure's rows are.
type figureSource struct {
	from     string   // FROM and JOIN clauses
	when     string   // the column the period ranges over
	dateText bool     // when holds YYYY-MM-DD text (referrals), not a timestamp
	fixed    []string // conditions always applied
	dims     map[tropic.Dimension]string
	district string // filter columns; "" when the figure cannot be filtered so
	agency   string
	exploit  string
}

func sourceOf(f tropic.Figure) (figureSource, bool) {
	switch f {
	case tropic.FigureReports:
		return figureSource{from: "reports x", when: "x.received_at",
			dims:     map[tropic.Dimension]string{tropic.DimDistrict: "x.district", tropic.DimExploitation: "x.exploitation", tropic.DimAgency: "x.created_by_agency"},
			district: "x.district", agency: "x.created_by_agency", exploit: "x.exploitation"}, true
	case tropic.FigureCases:
		return figureSource{from: "cases x", when: "x.opened_at",
			dims:     map[tropic.Dimension]string{tropic.DimDistrict: "x.district", tropic.DimExploitation: "x.exploitation", tropic.DimAgency: "x.owner_agency_id"},
			district: "x.district", agency: "x.owner_agency_id", exploit: "x.exploitation"}, true
	case tropic.FigureOffences:
		return figureSource{from: "cases x", when: "x.crime_recorded_at", fixed: []string{"x.crime_reference <> ''"},
			dims:     map[tropic.Dimension]string{tropic.DimDistrict: "x.district", tropic.DimOffence: "x.offence", tropic.DimExploitation: "x.exploitation", tropic.DimAgency: "x.owner_agency_id"},
			district: "x.district", agency: "x.owner_agency_id", exploit: "x.exploitation"}, true
	case tropic.FigureVictims:
		return figureSource{from: "case_people x JOIN cases c ON c.id = x.case_id JOIN people p ON p.id = x.person_id", when: "x.added_at",
			fixed:    []string{"x.role = 'potential_victim'"},
			dims:     map[tropic.Dimension]string{tropic.DimDistrict: "c.district", tropic.DimGender: "p.gender", tropic.DimNationality: "p.nationality", tropic.DimAgency: "c.owner_agency_id"},
			district: "c.district", agency: "c.owner_agency_id", exploit: "c.exploitation"}, true
	case tropic.FigureReferrals:
		return figureSource{from: "referrals x LEFT JOIN cases c ON c.id = x.case_id", when: "x.submitted_on", dateText: true,
			fixed: []string{"x.route = 'nrm'"},
			dims: map[tropic.Dimension]string{tropic.DimDistrict: "COALESCE(c.district, '')", tropic.DimExploitation: "x.exploitation", tropic.DimAgeGroup: "x.age_at_exploitation",
				tropic.DimGender: "x.gender", tropic.DimNationality: "x.nationality", tropic.DimAgency: "x.agency_id"},
			district: "c.district", agency: "x.agency_id", exploit: "x.exploitation"}, true
	case tropic.FigureDtN:
		return figureSource{from: "referrals x", when: "x.submitted_on", dateText: true,
			fixed: []string{"x.route = 'dtn'", "x.withdrawn_on = ''"}, // a report withdrawn as made in error was not made
			dims: map[tropic.Dimension]string{tropic.DimExploitation: "x.exploitation", tropic.DimGender: "x.gender",
				tropic.DimNationality: "x.nationality", tropic.DimAgency: "x.agency_id"},
			agency: "x.agency_id", exploit: "x.exploitation"}, true
	}
	return figureSource{}, false
}

// where builds the conditions for a period and filter.
func (s *StatsService) where(src figureSource, p tropic.Period, filter tropic.StatsFilter) (string, []any) {
	conds := append([]string(nil), src.fixed...)
	var args []any
	if src.dateText {
		conds = append(conds, src.when+" >= ?", src.when+" <= ?")
		args = append(args, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	} else {
		start, end := p.Bounds(s.zone)
		conds = append(conds, src.when+" >= ?", src.when+" < ?")
		args = append(args, start.UTC(), end.UTC())
	}
	if filter.District != "" {
		if src.district == "" {
			conds = append(conds, "1 = 0")
		} else {
			conds = append(conds, src.district+" = ?")
			args = append(args, filter.District)
		}
	}
	if filter.AgencyID != 0 {
		conds = append(conds, src.agency+" = ?")
		args = append(args, filter.AgencyID)
	}
	if filter.Exploitation != "" {
		conds = append(conds, "(',' || "+src.exploit+" || ',') LIKE ?")
		args = append(args, "%,"+likeEscape(string(filter.Exploitation))+",%")
	}
	return strings.Join(conds, " AND "), args
}

// grouped runs a count, grouped by col when it is not "", through the cache.
func (s *StatsService) grouped(ctx context.Context, f tropic.Figure, col string, p tropic.Period, filter tropic.StatsFilter) (map[string]int, error) {
	src, ok := sourceOf(f)
	if !ok {
		return nil, tropic.Errorf(tropic.EINVALID, "Unknown figure %q.", f)
	}
	cond, args := s.where(src, p, filter)
	q := "SELECT COUNT(*) FROM " + src.from + " WHERE " + cond
	if col != "" {
		q = "SELECT " + col + ", COUNT(*) FROM " + src.from + " WHERE " + cond + " GROUP BY " + col
	} else if hq, hargs, ok := s.reportHours(f, p, filter); ok {
		q, args = hq, hargs
	}
	key := fmt.Sprint(q, args)
	now := time.Now()
	if s.ttl > 0 {
		s.mu.Lock()
		e, ok := s.cache[key]
		s.mu.Unlock()
		if ok && now.Sub(e.at) < s.ttl {
			return e.counts, nil
		}
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	counts := map[string]int{}
	if err := countInto(ctx, tx, counts, q, args, f, col); err != nil {
		return nil, err
	}
	// Disposed records' figures (stats_residue.go), so that disposal changes no count.
	if rq, rargs, ok := s.residueQuery(f, col, p, filter); ok {
		if err := countInto(ctx, tx, counts, rq, rargs, f, col); err != nil {
			return nil, err
		}
	}
	if s.ttl > 0 {
		s.mu.Lock()
		if len(s.cache) > 4096 {
			s.cache = map[string]statsEntry{}
		}
		s.cache[key] = statsEntry{at: now, counts: counts}
		s.mu.Unlock()
	}
	return counts, nil
}

// reportHours counts reports over p from their counts hour by hour (migration
// 0650), when nothing filters them and p's bounds are whole hours (every day of
// the partnership's calendar starts on one); ok is false otherwise.
func (s *StatsService) reportHours(f tropic.Figure, p tropic.Period, filter tropic.StatsFilter) (string, []any, bool) {
	start, end := p.Bounds(s.zone)
	start, end = start.UTC(), end.UTC()
	if f != tropic.FigureReports || filter != (tropic.StatsFilter{}) || !start.Truncate(time.Hour).Equal(start) || !end.Truncate(time.Hour).Equal(end) {
		return "", nil, false
	}
	q := "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM stats_report_hours WHERE hour >= ? AND hour < ?"
	if s.db.Dialect() == Postgres {
		return q, []any{start, end}, true
	}
	return q, []any{start.Format("2006-01-02 15"), end.Format("2006-01-02 15")}, true
}

func derefKey(k any) any {
	switch v := k.(type) {
	case nil:
		return ""
	case []byte:
		return string(v)
	}
	return k
}

// Count is one figure over a period.
func (s *StatsService) Count(ctx context.Context, f tropic.Figure, p tropic.Period, filter tropic.StatsFilter) (int, error) {
	c, err := s.grouped(ctx, f, "", p, filter)
	return c[""], err
}

// Months counts a figure month by month over p (each month clipped to p).
func (s *StatsService) Months(ctx context.Context, f tropic.Figure, p tropic.Period, filter tropic.StatsFilter) ([]int, error) {
	months := p.Months()
	out := make([]int, len(months))
	for i, m := range months {
		mp := tropic.Period{From: m, To: m.AddDate(0, 1, -1)}
		if mp.From.Before(p.From) {
			mp.From = p.From
		}
		if mp.To.After(p.To) {
			mp.To = p.To
		}
		n, err := s.Count(ctx, f, mp, filter)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// Breakdown is one figure over a period by a dimension, with exact counts and
// readable labels; every known label appears, with 0 where there is nothing.
func (s *StatsService) Breakdown(ctx context.Context, f tropic.Figure, d tropic.Dimension, p tropic.Period, filter tropic.StatsFilter) (tropic.Table, error) {
	if d == tropic.DimMonth {
		counts, err := s.Months(ctx, f, p, filter)
		if err != nil {
			return tropic.Table{}, err
		}
		m := map[string]int{}
		var order []string
		for i, mo := range p.Months() {
			l := mo.Format("January 2006")
			m[l] = counts[i]
			order = append(order, l)
		}
		return tropic.NewTable(f, d, p, m, order), nil
	}
	src, _ := sourceOf(f)
	col, ok := src.dims[d]
	if !ok {
		return tropic.Table{}, tropic.Errorf(tropic.EINVALID, "%s cannot be broken down by %s.", f.Label(), strings.ToLower(d.Label()))
	}
	raw, err := s.grouped(ctx, f, col, p, filter)
	if err != nil {
		return tropic.Table{}, err
	}
	label, order, err := s.labeller(ctx, d)
	if err != nil {
		return tropic.Table{}, err
	}
	counts := map[string]int{}
	for _, l := range order {
		counts[l] = 0
	}
	for k, n := range raw {
		counts[label(k)] += n
	}
	return tropic.NewTable(f, d, p, counts, order), nil
}

// labeller turns stored keys of a dimension into labels, and gives the labels'
// order (every known value, so that a zero shows as 0): tropic.BreakdownLabels, or
// the names of districts and agencies.
func (s *StatsService) labeller(ctx context.Context, d tropic.Dimension) (func(string) string, []string, error) {
	if label, order, ok := tropic.BreakdownLabels(d); ok {
		return label, order, nil
	}
	if d != tropic.DimDistrict && d != tropic.DimAgency {
		return func(k string) string { return k }, nil, nil
	}
	q := "SELECT slug, name FROM districts ORDER BY name"
	if d == tropic.DimAgency {
		q = "SELECT CAST(id AS TEXT), name FROM agencies ORDER BY name"
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	names := map[string]string{}
	var order []string
	for rows.Next() {
		var k, name string
		if err := rows.Scan(&k, &name); err != nil {
			return nil, nil, err
		}
		names[k] = name
		if d == tropic.DimDistrict {
			order = append(order, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return tropic.NamedLabels(names), order, nil
}

// Decisions are the NRM decisions made in p (by the decision's date) and their
// waiting times in calendar days, kept for TTL like the counts.
func (s *StatsService) Decisions(ctx context.Context, p tropic.Period, filter tropic.StatsFilter) (tropic.NRMDecisions, error) {
	var out tropic.NRMDecisions
	src, _ := sourceOf(tropic.FigureReferrals)
	rgSrc, cgSrc := src, src
	rgSrc.when, cgSrc.when = "x.rg_date", "x.cg_date"
	rgCond, rgArgs := s.where(rgSrc, p, filter)
	cgCond, cgArgs := s.where(cgSrc, p, filter)
	key := fmt.Sprint("decisions", rgCond, rgArgs, cgCond, cgArgs)
	now := time.Now()
	if s.ttl > 0 {
		s.mu.Lock()
		e, ok := s.decisions[key]
		s.mu.Unlock()
		if ok && now.Sub(e.at) < s.ttl {
			return e.d, nil
		}
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	var rg, cg []float64
	type decisionQuery struct {
		from, cond string
		args       []any
		cg         bool
	}
	queries := []decisionQuery{{src.from, rgCond, rgArgs, false}, {src.from, cgCond, cgArgs, true}}
	// Disposed referrals' decisions (stats_residue.go) count as before disposal.
	if res, ok := residueOf(tropic.FigureReferrals); ok {
		rgRes, cgRes := res, res
		rgRes.when, cgRes.when = "x.rg_date", "x.cg_date"
		rc, ra := s.where(rgRes, p, filter)
		cc, ca := s.where(cgRes, p, filter)
		queries = append(queries, decisionQuery{res.from, rc, ra, false}, decisionQuery{res.from, cc, ca, true})
	}
	for _, q := range queries {
		rows, err := tx.Query(ctx, "SELECT x.submitted_on, x.rg_date, x.rg_outcome, x.cg_date, x.cg_outcome FROM "+q.from+" WHERE "+q.cond, q.args...)
		if err != nil {
			return out, fmt.Errorf("stats decisions: %w", err)
		}
		for rows.Next() {
			var submitted, rgDate, rgOutcome, cgDate, cgOutcome string
			if err := rows.Scan(&submitted, &rgDate, &rgOutcome, &cgDate, &cgOutcome); err != nil {
				rows.Close()
				return out, err
			}
			if !q.cg {
				switch rgOutcome {
				case tropic.RGPositive:
					out.RGPositive++
				case tropic.RGNegative:
					out.RGNegative++
				default:
					continue
				}
				if d, ok := daysBetween(submitted, rgDate); ok {
					rg = append(rg, d)
				}
				continue
			}
			switch cgOutcome {
			case tropic.CGVictimTrafficking:
				out.CGTrafficking++
			case tropic.CGVictimSlavery:
				out.CGSlavery++
			case tropic.CGInsufficient:
				out.CGInsufficient++
			default:
				continue
			}
			if d, ok := daysBetween(rgDate, cgDate); ok {
				cg = append(cg, d)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
	}
	times := decisionTimes{rg: rg, cg: cg}
	f := times.figures()
	out.RGMedianDays, out.RGP90Days, out.CGMedianDays, out.CGP90Days = f.RGMedianDays, f.RGP90Days, f.CGMedianDays, f.CGP90Days
	if s.ttl > 0 {
		s.mu.Lock()
		if len(s.decisions) > 1024 {
			s.decisions = map[string]decisionsEntry{}
		}
		s.decisions[key] = decisionsEntry{at: now, d: out}
		s.mu.Unlock()
	}
	return out, nil
}
