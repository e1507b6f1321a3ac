package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxNonce
	ctxUser
	ctxRoute
)

// routeHolder carries the matched route pattern back out to observe: the mux sets
// Request.Pattern on the request it is given, which inner middleware has copied.
type routeHolder struct{ pattern string }

// recordRoute wraps the mux and notes the pattern it matched.
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if h, ok := r.Context().Value(ctxRoute).(*routeHolder); ok {
			h.pattern = r.Pattern
		}
	})
}

func requestID(ctx context.Context) string { s, _ := ctx.Value(ctxRequestID).(string); return s }
func cspNonce(ctx context.Context) string  { s, _ := ctx.Value(ctxNonce).(string); return s }

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, recovers panics into a safe 500 page, logs one
// line per request and counts it in the metrics, by route pattern only: no paths,
// bodies, e-mail addresses or client addresses reach the logs.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		route := &routeHolder{}
		ctx := context.WithValue(r.Context(), ctxRequestID, id)
		r = r.WithContext(context.WithValue(ctx, ctxRoute, route))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.serverError(sw, r, fmt.Errorf("panic: %v", v))
				}
			}
			pattern := route.pattern
			if pattern == "" || pattern == "/" || pattern == "/api/" {
				pattern = "unmatched"
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			elapsed := time.Since(start)
			s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(status)).Inc()
			s.metrics.duration.WithLabelValues(pattern).Observe(elapsed.Seconds())
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "request", "request_id", id, "method", r.Method, "route", pattern,
				"status", status, "bytes", sw.size, "duration_ms", float64(elapsed.Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

// secureHeaders sets the headers every response carries, and a fresh CSP nonce for
// the one inline script of the page template.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		nonce := base64.StdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxNonce, nonce)))
	})
}

// noStore keeps pages with personal or session data out of caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// browser wraps the routes used by browsers: sessions from the database, and
// protection against cross-origin form posts.
func (s *Server) browser(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This form was sent from another website", "For your safety, Tropic only accepts forms sent from its own pages. Go back, reload the page and try again.")
	}))
	return cop.Handler(s.sessions.LoadAndSave(noStore(next)))
}

// clientAddr is the client's address, for in-memory rate limits only. It is never
// logged or stored. The header named by Config.ClientIPHeader is believed only when
// the connection comes from one of Config.TrustedProxies (anyone else could write any
// address into it, and so escape every per-address limit): the client is then the
// address nearest the end of the header that is not itself a trusted proxy, the one
// the proxies saw, which a client cannot forge, unlike the addresses before it.
// It is a limiter's key: an IPv4 address, or the /64 an IPv6 address is in (one
// household or host is given a whole /64), never with a port; a hop that is not an
// address stops the walk at the proxy that passed it on.
func (s *Server) clientAddr(r *http.Request) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr // not from a network connection (tests): its own key
	}
	client := peer
	if s.cfg.ClientIPHeader != "" && s.trustedProxy(peer) {
		var hops []string
		for _, v := range r.Header.Values(s.cfg.ClientIPHeader) {
			hops = append(hops, strings.Split(v, ",")...)
		}
		for i := len(hops) - 1; i >= 0; i-- {
			hop, ok := parseHop(strings.TrimSpace(hops[i]))
			if !ok {
				break
			}
			client = hop
			if !s.trustedProxy(hop) {
				break
			}
		}
	}
	if client.Is6() {
		return netip.PrefixFrom(client, 64).Masked().String()
	}
	return client.String()
}

// parseHop reads one address of a connection or a forwarding header: an IP address,
// with or without a port.
func parseHop(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if ip, err := netip.ParseAddr(s); err == nil && ip.Zone() == "" {
		return ip.Unmap(), true
	}
	return netip.Addr{}, false
}

// trustedProxy reports whether addr is one of the configured proxies.
func (s *Server) trustedProxy(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
