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

// Add records one hit for key, and now and then sweeps keys that have gone quiet.
func (l *limiter) Add(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.hits[key] = append(l.prune(key, now), now)
	if len(l.hits) > 10000 {
		for k := range l.hits {
			l.prune(k, now)
		}
	}
}
