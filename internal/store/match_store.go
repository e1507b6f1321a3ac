package store

import (
	"context"
	"errors"

	"tropic/internal/tropic"
)

// MatchService suggests and decides person matches (match_store.go), draws
// networks (network_store.go) and keeps the cases each report matches
// (report_match_store.go).
type MatchService struct {
	cases *CaseService
	links *LinkService
}

var _ tropic.MatchService = (*MatchService)(nil)

// NewMatchService returns the match service on db; parsePhone normalises phone numbers.
func NewMatchService(db *DB, parsePhone tropic.PhoneParser) *MatchService {
	return &MatchService{cases: NewCaseService(db, parsePhone), links: NewLinkService(db, parsePhone)}
}

// Suggestions: to be written (helper A).
func (s *MatchService) Suggestions(ctx context.Context, actor tropic.Actor, caseRef string) ([]tropic.PersonSuggestion, error) {
	return nil, errors.New("not yet")
}

// Decide: to be written (helper A).
func (s *MatchService) Decide(ctx context.Context, actor tropic.Actor, caseRef string, matchID int64, d tropic.MatchDecision, reason string) error {
	return errors.New("not yet")
}

// UndoMerge: to be written (helper A).
func (s *MatchService) UndoMerge(ctx context.Context, actor tropic.Actor, caseRef string, matchID int64, reason string) error {
	return errors.New("not yet")
}
