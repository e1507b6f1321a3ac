package store

import (
	"context"
	"errors"

	"tropic/internal/tropic"
)

// RefreshReportMatches: to be written (helper B).
func (s *MatchService) RefreshReportMatches(ctx context.Context, reportID int64) error {
	return errors.New("not yet")
}

// RefreshCaseMatches: to be written (helper B).
func (s *MatchService) RefreshCaseMatches(ctx context.Context, caseID int64) error {
	return errors.New("not yet")
}

// ReportMatches: to be written (helper B).
func (s *MatchService) ReportMatches(ctx context.Context, actor tropic.Actor, reportIDs []int64) (map[int64][]tropic.Link, error) {
	return nil, errors.New("not yet")
}
