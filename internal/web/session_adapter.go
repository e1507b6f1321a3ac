package web

import (
	"context"
	"time"

	"github.com/alexedwards/scs/v2"

	"tropic/internal/tropic"
)

// sessionStore adapts the session service to scs. It tells the service whose session
// it stores (the user id that completeLogin puts in the session, read back from the
// encoded data: scs holds the session's lock while committing, so it cannot be asked),
// and applies the idle timeout and lifetime with the service's clock, not scs's
// time.Now, so that tests can move time on. scs's expiry is not used.
type sessionStore struct {
	svc   tropic.SessionService
	codec scs.Codec
	lim   tropic.SessionLimits
}

var _ scs.CtxStore = sessionStore{}

func (a sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return a.svc.FindSession(ctx, token, a.lim)
}

func (a sessionStore) CommitCtx(ctx context.Context, token string, b []byte, _ time.Time) error {
	_, values, err := a.codec.Decode(b)
	if err != nil {
		return err
	}
	userID, _ := values[sessUserID].(int64)
	return a.svc.CommitSession(ctx, token, b, userID, a.lim)
}

func (a sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return a.svc.DeleteSession(ctx, token)
}

func (a sessionStore) Find(token string) ([]byte, bool, error) {
	return a.FindCtx(context.Background(), token)
}

func (a sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return a.CommitCtx(context.Background(), token, b, expiry)
}

func (a sessionStore) Delete(token string) error { return a.DeleteCtx(context.Background(), token) }
