package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddressComesFromTheConnectionUnlessAProxyHeaderIsTrusted(t *testing.T) {
	cases := []struct {
		name, header, xff, want string
	}{
		{"no proxy: the connection's address, whatever the header says", "", "203.0.113.9", "192.0.2.1"},
		{"behind a proxy: the address the proxy appended", "X-Forwarded-For", "198.51.100.7, 203.0.113.9", "203.0.113.9"},
		{"behind a proxy, header missing: the connection's address", "X-Forwarded-For", "", "192.0.2.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{cfg: Config{ClientIPHeader: c.header}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = "192.0.2.1:4242"
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			if got := s.clientAddr(r); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
