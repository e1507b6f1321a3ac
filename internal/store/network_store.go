package store

import (
	"context"
	"errors"

	"tropic/internal/tropic"
)

// CaseNetwork: to be written (helper B).
func (s *MatchService) CaseNetwork(ctx context.Context, actor tropic.Actor, caseRef string, depth, limit int) (*tropic.Network, error) {
	return nil, errors.New("not yet")
}

// AnalystNetwork: to be written (helper B).
func (s *MatchService) AnalystNetwork(ctx context.Context, actor tropic.Actor, limit int) (*tropic.Network, error) {
	return nil, errors.New("not yet")
}
