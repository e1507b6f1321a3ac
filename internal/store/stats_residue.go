package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// The figures of disposed records (retained_figures, written by disposal.go) are
// counted with the live rows, so that disposing of a record changes no statistic. Each
// figure's residue is the same count over retained_figures, with its own columns.

// residueColumns are retained_figures' columns for each dimension.
var residueColumns = map[tropic.Dimension]string{
	tropic.DimDistrict: "x.district", tropic.DimExploitation: "x.exploitation", tropic.DimAgency: "x.agency_id",
	tropic.DimOffence: "x.offence", tropic.DimGender: "x.gender", tropic.DimNationality: "x.nationality",
	tropic.DimAgeGroup: "x.age_at_exploitation",
}

// residueOf is where figure f's disposed records are counted.
func residueOf(f tropic.Figure) (figureSource, bool) {
	src, ok := sourceOf(f)
	if !ok {
		return figureSource{}, false
	}
	r := figureSource{from: "retained_figures x", when: "x.at", dateText: src.dateText, dims: map[tropic.Dimension]string{},
		agency: "x.agency_id", exploit: "x.exploitation"}
	if src.district != "" {
		r.district = "x.district"
	}
	for d := range src.dims {
		r.dims[d] = residueColumns[d]
	}
	switch f {
	case tropic.FigureReports:
		r.fixed = []string{"x.figure = 'report'"}
	case tropic.FigureCases:
		r.fixed = []string{"x.figure = 'case'"}
	case tropic.FigureOffences:
		r.fixed, r.when = []string{"x.figure = 'case'", "x.crime_recorded_at IS NOT NULL"}, "x.crime_recorded_at"
	case tropic.FigureVictims:
		r.fixed = []string{"x.figure = 'victim'"}
	case tropic.FigureReferrals:
		r.fixed, r.when = []string{"x.figure = 'referral'", "x.route = 'nrm'"}, "x.submitted_on"
	case tropic.FigureDtN:
		r.fixed, r.when = []string{"x.figure = 'referral'", "x.route = 'dtn'"}, "x.submitted_on"
	default:
		return figureSource{}, false
	}
	return r, true
}

// residueQuery is the count of figure f's disposed records over p, grouped by the
// residue's column for the dimension whose live column is col.
func (s *StatsService) residueQuery(f tropic.Figure, col string, p tropic.Period, filter tropic.StatsFilter) (string, []any, bool) {
	src, _ := sourceOf(f)
	res, ok := residueOf(f)
	if !ok {
		return "", nil, false
	}
	cond, args := s.where(res, p, filter)
	if col == "" {
		return "SELECT COUNT(*) FROM " + res.from + " WHERE " + cond, args, true
	}
	for d, c := range src.dims {
		if c == col {
			rc := res.dims[d]
			return "SELECT " + rc + ", COUNT(*) FROM " + res.from + " WHERE " + cond + " GROUP BY " + rc, args, true
		}
	}
	return "", nil, false
}

// countInto adds the counts of query q (one count, or counts by a column) to counts.
func countInto(ctx context.Context, tx *Tx, counts map[string]int, q string, args []any, f tropic.Figure, col string) error {
	if col == "" {
		var n int
		if err := tx.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			return fmt.Errorf("stats %s: %w", f, err)
		}
		counts[""] += n
		return nil
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("stats %s by %s: %w", f, col, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k any
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		counts[fmt.Sprint(derefKey(k))] += n
	}
	return rows.Err()
}
