package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"testing"
)

func TestClientAddressComesFromTheConnectionUnlessAProxyHeaderIsTrusted(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/28"), netip.MustParsePrefix("2001:db8::1/128")}
	cases := []struct {
		name, header, peer string
		xff                []string
		want               string
	}{
		{"no proxy: the connection's address, whatever the header says", "", "192.0.2.1:4242", []string{"203.0.113.9"}, "192.0.2.1"},
		{"behind a trusted proxy: the address the proxy appended", "X-Forwarded-For", "192.0.2.1:4242", []string{"198.51.100.7, 203.0.113.9"}, "203.0.113.9"},
		{"behind a trusted proxy, header missing: the connection's address", "X-Forwarded-For", "192.0.2.1:4242", nil, "192.0.2.1"},
		{"a peer that is not a configured proxy: the header is ignored", "X-Forwarded-For", "198.51.100.200:4242", []string{"203.0.113.9"}, "198.51.100.200"},
		{"a peer just outside the proxies' range: the header is ignored", "X-Forwarded-For", "192.0.2.16:4242", []string{"203.0.113.9"}, "192.0.2.16"},
		{"two trusted proxies in a row: the address before them", "X-Forwarded-For", "192.0.2.1:4242", []string{"198.51.100.7, 203.0.113.9, 192.0.2.2"}, "203.0.113.9"},
		{"a header given twice: the last one counts", "X-Forwarded-For", "192.0.2.1:4242", []string{"203.0.113.1", "203.0.113.9"}, "203.0.113.9"},
		{"an IPv6 proxy", "X-Forwarded-For", "[2001:db8::1]:4242", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{cfg: Config{ClientIPHeader: c.header, TrustedProxies: proxies}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddr(r); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// Hole 13: --client-ip-header was believed from any peer, so a client could give
// itself a new address with each sign-in and escape the per-address limit.
func TestClientIPHeaderFromAnUntrustedPeerDoesNotEscapeTheAddressLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		proxies []netip.Prefix
		want    int // the status of the sign-in after the limit's worth of failures
	}{
		{"A header from a peer that is not a proxy is ignored: the address is still limited.", nil, http.StatusTooManyRequests},
		{"A header from a trusted proxy is believed: each client address is limited on its own.", loopback, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, Config{MFAWaived: true, ClientIPHeader: "X-Forwarded-For", TrustedProxies: tt.proxies})
			ts.addUser("sam@police.example")
			c := ts.client(t)
			for i := range addressLimit { // the attacker claims a new address each time
				res := c.post("/login", url.Values{"email": {fmt.Sprintf("nobody%d@police.example", i)}, "password": {"a wrong password"}}, "X-Forwarded-For", manyAddresses(i))
				wantStatus(t, res, http.StatusUnprocessableEntity)
			}
			res := c.post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.77")
			if res.status != tt.want {
				t.Fatalf("got %d, want %d\n%s", res.status, tt.want, res.body)
			}
		})
	}
}

// A limiter key that a client can vary escapes the per-address limit: a port written
// by a proxy, another address of the same IPv6 /64, or a header hop that is not an
// address at all each became a key of its own.
func TestClientAddressIsOneKeyPerClient(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32")}
	s := &Server{cfg: Config{ClientIPHeader: "X-Forwarded-For", TrustedProxies: proxies}}
	key := func(peer string, xff ...string) string {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer
		for _, v := range xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		return s.clientAddr(r)
	}
	for _, c := range []struct{ name, a, b string }{
		{"a port a proxy wrote", key("192.0.2.1:1", "203.0.113.9:5001"), key("192.0.2.1:2", "203.0.113.9:6002")},
		{"one IPv6 /64 through a proxy", key("192.0.2.1:1", "2001:db8:1:2::a"), key("192.0.2.1:1", "2001:db8:1:2:ffff::b")},
		{"one IPv6 /64 directly", key("[2001:db8:1:2::a]:443"), key("[2001:db8:1:2:ffff::b]:443")},
		{"an IPv4 address mapped into IPv6", key("[::ffff:203.0.113.9]:1"), key("203.0.113.9:2")},
		{"a hop that is not an address: the proxy's own", key("192.0.2.1:1", "not-an-address"), key("192.0.2.1:9", "also; garbage")},
	} {
		if c.a != c.b {
			t.Errorf("%s: keys %q and %q, want one", c.name, c.a, c.b)
		}
	}
	if a, b := key("[2001:db8:1:2::a]:443"), key("[2001:db8:1:3::a]:443"); a == b {
		t.Errorf("two IPv6 /64s share the key %q", a)
	}
	if got := key("192.0.2.1:1", "not-an-address"); got != "192.0.2.1" {
		t.Errorf("a garbage hop: key %q, want the proxy's address", got)
	}
}
