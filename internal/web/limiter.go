package web

import (
	"sync"
	"time"
)

// limiter counts failures per key (a client address) in memory only, over a sliding
// window. Addresses are never written anywhere; a restart forgets them.
type limiter struct {
	mu     sync.Mutex
	now    func() time.Time
	max    int
	window time.Duration
	hits   map[string][]time.Time
}

func newLimiter(now func() time.Time, max int, window time.Duration) *limiter {
	return &limiter{now: now, max: max, window: window, hits: map[string][]time.Time{}}
}

// prune drops hits older than the window; the caller holds mu.
func (l *limiter) prune(key string, now time.Time) []time.Time {
	hits := l.hits[key]
	i := 0
	for i < len(hits) && now.Sub(hits[i]) >= l.window {
		i++
	}
	hits = hits[i:]
	if len(hits) == 0 {
		delete(l.hits, key)
	} else {
		l.hits[key] = hits
	}
	return hits
}

// Blocked reports whether key has reached the limit, and when it may try again.
func (l *limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	hits := l.prune(key, now)
	if len(hits) < l.max {
		return false, 0
	}
	return true, l.window - now.Sub(hits[0])
}

// Reserve records one hit for key unless key has reached the limit, in one step, so
// that simultaneous attempts cannot all pass a check made before any of them counted.
// Refused, it says when key may try again.
func (l *limiter) Reserve(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	hits := l.prune(key, now)
	if len(hits) >= l.max {
		return false, l.window - now.Sub(hits[0])
	}
	l.hits[key] = append(hits, now)
	l.sweep(now)
	return true, 0
}

// Release takes back the latest hit for key: a reserved attempt that did not fail.
func (l *limiter) Release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if hits := l.hits[key]; len(hits) > 1 {
		l.hits[key] = hits[:len(hits)-1]
	} else {
		delete(l.hits, key)
	}
}

// slots bounds work that may not run unboundedly at once; a full set refuses rather
// than queues.
type slots chan struct{}

func (s slots) tryAcquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s slots) release() { <-s }

// Add records one hit for key, and now and then sweeps keys that have gone quiet.
func (l *limiter) Add(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.hits[key] = append(l.prune(key, now), now)
	l.sweep(now)
}

// sweepAbove is how many keys the limiter holds before it drops those gone quiet.
const sweepAbove = 10000

// sweep drops every key with no hit in the window once there are many; the caller
// holds mu. Keys expire with the window, so the map holds at most the addresses seen
// in one window (password checks are capped by slots: a few thousand a window).
func (l *limiter) sweep(now time.Time) {
	if len(l.hits) > sweepAbove {
		for k := range l.hits {
			l.prune(k, now)
		}
	}
}
