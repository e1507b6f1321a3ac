package web

import (
	"fmt"
	"testing"
	"time"
)

// The sign-in path only reserves (it never Adds), and reserving never swept: every
// address that ever reached a password check stayed in memory for good.
func TestLimiterForgetsQuietAddressesWhenOnlyReserving(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	l := newLimiter(func() time.Time { return now }, 20, 15*time.Minute)
	for i := range sweepAbove {
		l.Reserve(fmt.Sprintf("198.51.%d.%d", i/256, i%256))
	}
	now = now.Add(16 * time.Minute) // all of them quiet for longer than the window
	for i := range 2 {
		l.Reserve(fmt.Sprintf("203.0.113.%d", i))
	}
	if n := len(l.hits); n > 2 {
		t.Errorf("the limiter holds %d addresses after they all went quiet, want the 2 seen since", n)
	}
}

// forgetAll empties the limiter, for a test that calls one limited route for many
// users from one address (the authorisation matrix).
func (l *limiter) forgetAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits = map[string][]time.Time{}
}
