package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"tropic/internal/store"
)

// fakeHealth stands in for the database where a real one cannot easily fail on cue.
type fakeHealth struct {
	pingErr   error
	current   bool
	schemaErr error
	panics    bool
}

func (h fakeHealth) Ping(context.Context) error {
	if h.panics {
		panic("the database driver fell over")
	}
	return h.pingErr
}

func (h fakeHealth) SchemaCurrent(context.Context) (bool, error) { return h.current, h.schemaErr }

func TestHealth(t *testing.T) {
	t.Parallel()

	t.Run("The liveness check answers JSON with the version.", func(t *testing.T) {
		ts := newTestServer(t, Config{Version: "1.2.3"})
		res := ts.client(t).get("/healthz")
		wantStatus(t, res, http.StatusOK)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil || body["status"] != "ok" || body["version"] != "1.2.3" {
			t.Errorf("got %q (%v), want status ok and version 1.2.3", res.body, err)
		}
	})

	t.Run("The readiness check answers 200 on a migrated database.", func(t *testing.T) {
		ts := newTestServer(t, Config{})
		res := ts.client(t).get("/readyz")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, `"ready"`)
	})

	t.Run("The readiness check answers 503 on a real database that is not migrated.", func(t *testing.T) {
		db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		ts := newTestServer(t, Config{}, func(d *Deps) { d.Health = dbHealth{db} })
		res := ts.client(t).get("/readyz")
		wantStatus(t, res, http.StatusServiceUnavailable)
		wantContains(t, res.body, "schema")
	})

	fakes := []struct {
		name   string
		health fakeHealth
		reason string
	}{
		{"The readiness check answers 503 when the database does not answer.", fakeHealth{pingErr: errors.New("connection refused"), current: true}, "database unreachable"},
		{"The readiness check answers 503 when the schema is behind.", fakeHealth{current: false}, "schema"},
		{"The readiness check answers 503 when the schema cannot be read.", fakeHealth{current: true, schemaErr: errors.New("no table")}, "schema"},
	}
	for _, tt := range fakes {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, Config{}, func(d *Deps) { d.Health = tt.health })
			res := ts.client(t).get("/readyz")
			wantStatus(t, res, http.StatusServiceUnavailable)
			wantContains(t, res.body, tt.reason)
			wantNotContains(t, res.body, "connection refused", "no table")
		})
	}

	t.Run("A panic in a handler answers a safe 500 page with the request id, and logs the stack.", func(t *testing.T) {
		ts := newTestServer(t, Config{}, func(d *Deps) { d.Health = fakeHealth{panics: true} })
		res := ts.client(t).get("/readyz")
		wantStatus(t, res, http.StatusInternalServerError)
		id := res.header.Get("X-Request-Id")
		if len(id) < 8 {
			t.Fatalf("X-Request-Id %q", id)
		}
		wantContains(t, res.body, "Sorry, there is a problem with the service", "request id "+id)
		wantNotContains(t, res.body, "goroutine", ".go:", "fell over", "panic")
		if n := headerNonce(res.header); n == "" || pageNonce(res.body) != n {
			t.Errorf("the error page's script nonce %q is not the header's %q", pageNonce(res.body), n)
		}
		wantContains(t, ts.logs.String(), `"request_id":"`+id+`"`, "goroutine", "fell over")
		// The server goes on serving.
		wantStatus(t, ts.client(t).get("/healthz"), http.StatusOK)
	})
}

// Hole 13: /metrics told anyone live counts of public reports and sign-ins.
func TestMetricsAreNotPublic(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-for-tests-only"
	t.Run("Without a metrics token the public listener has no /metrics.", func(t *testing.T) {
		ts := newTestServer(t, Config{})
		res := ts.client(t).get("/metrics")
		if res.status != http.StatusNotFound || strings.Contains(res.body, "tropic_http_requests_total") {
			t.Errorf("got %d, want 404 without metrics\n%s", res.status, res.body)
		}
	})
	ts := newTestServer(t, Config{MetricsToken: token})
	tests := []struct {
		name, auth string
		want       int
	}{
		{"No token is refused.", "", http.StatusUnauthorized},
		{"A wrong token is refused.", "Bearer metrics-token-for-tests-onlY", http.StatusUnauthorized},
		{"A prefix of the token is refused.", "Bearer metrics-token", http.StatusUnauthorized},
		{"The token in another scheme is refused.", "Basic " + token, http.StatusUnauthorized},
		{"The token is accepted.", "Bearer " + token, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			req := c.newRequest(http.MethodGet, "/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			res := c.do(req)
			if res.status != tt.want || (tt.want != http.StatusOK) == strings.Contains(res.body, "tropic_http_requests_total") {
				t.Errorf("got %d, want %d, with metrics only then\n%s", res.status, tt.want, res.body)
			}
		})
	}
	t.Run("A listener of their own serves the metrics, and the token when one is set.", func(t *testing.T) {
		for _, tt := range []struct {
			token, auth string
			want        int
		}{{"", "", http.StatusOK}, {token, "", http.StatusUnauthorized}, {token, "Bearer " + token, http.StatusOK}} {
			own := newTestServer(t, Config{MetricsToken: tt.token})
			ms := httptest.NewServer(own.srv.MetricsHandler())
			req, _ := http.NewRequest(http.MethodGet, ms.URL+"/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			ms.Close()
			if res.StatusCode != tt.want {
				t.Errorf("token %q, sent %q: got %d, want %d", tt.token, tt.auth, res.StatusCode, tt.want)
			}
		}
	})
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MetricsToken: "metrics-token-for-tests-only"})
	c := ts.client(t)
	for _, p := range []string{"/", "/nope", "/no/such/thing", "/api/v1/nope", "/api/v1/me", "/static/app.css", "/login"} {
		c.get(p)
	}
	c.postRaw("/nope", "x=1")

	req := c.newRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Authorization", "Bearer metrics-token-for-tests-only")
	res := c.do(req)
	wantStatus(t, res, http.StatusOK)
	tests := []struct {
		name string
		want string
	}{
		{"The home page is counted by its route pattern.", `tropic_http_requests_total{code="200",route="GET /{$}"} 1`},
		{"The sign-in page is counted by its route pattern.", `tropic_http_requests_total{code="200",route="GET /login"} 1`},
		{"Static files are counted under one pattern.", `route="GET /static/"`},
		{"An authenticated API route is counted by its pattern.", `tropic_http_requests_total{code="401",route="GET /api/v1/me"} 1`},
		{"Unknown pages and API routes are counted as unmatched.", `tropic_http_requests_total{code="404",route="unmatched"} 4`},
		{"Durations are recorded by route pattern.", `tropic_http_request_duration_seconds_count{route="GET /{$}"} 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(res.body, tt.want) {
				t.Errorf("metrics lack %q", tt.want)
			}
		})
	}
	t.Run("No raw path reaches the metrics.", func(t *testing.T) {
		for _, line := range strings.Split(res.body, "\n") {
			if !strings.HasPrefix(line, "tropic_") {
				continue
			}
			for _, raw := range []string{"/nope", "/no/such", "/api/v1/nope", "app.css"} {
				if strings.Contains(line, raw) {
					t.Errorf("metrics line holds the raw path %q: %s", raw, line)
				}
			}
		}
	})
}
