package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
)

// browserLocation is roughly what a browser makes of a Location path: tabs and
// newlines dropped, backslashes read as slashes (WHATWG URL, special schemes).
func browserLocation(loc string) string {
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(loc)
	return strings.ReplaceAll(loc, `\`, "/")
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"", "/", "/staff", "/staff?x=1#y", "//evil.example", `/\evil.example`, "/\t/evil.example",
		"/./\\evil.example", "/a/..//evil.example", "https://evil.example", "javascript:alert(1)", "/%2F/evil", "/\x00", "/é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != next && got != "/staff" {
			t.Fatalf("safeNext(%q) = %q, want the input or /staff", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, `/\`) {
			t.Fatalf("safeNext(%q) = %q, which leaves the site", next, got)
		}
		// What the browser follows after http.Redirect has cleaned the path.
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest(http.MethodPost, "/login", nil), got, http.StatusSeeOther)
		if loc := browserLocation(w.Header().Get("Location")); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			t.Fatalf("safeNext(%q) = %q redirects a browser to %q, off the site", next, got, loc)
		}
	})
}

func FuzzCodeProblem(f *testing.F) {
	for _, s := range []string{"", "123456", "123 456", "123-456", "12345", "1234567", "abcdef", "١٢٣٤٥٦", " ", "--", "12345\x00"} {
		f.Add(s)
	}
	messages := []string{
		"Enter the 6-digit code from your authenticator app",
		"The code must be 6 digits, like 123456",
		"The code is not right. Check the time on your phone is set automatically, then enter the code your app shows now",
	}
	secret, _, err := auth.NewTOTPSecret("Test", "sam@police.example")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, code string) {
		got := codeProblem(code)
		i := -1
		for j, m := range messages {
			if got == m {
				i = j
			}
		}
		if i < 0 {
			t.Fatalf("codeProblem(%q) = %q, not one of the fixed messages", code, got)
		}
		// A code said to be malformed is never accepted.
		if _, ok := auth.CheckTOTP(secret, code, now); ok && i != 2 {
			t.Fatalf("CheckTOTP accepts %q, which codeProblem calls %q", code, got)
		}
	})
}

func FuzzRequireToken(f *testing.F) {
	ts := newTestServer(f, Config{})
	sam := ts.addUser("sam@police.example")
	secret, _ := ts.newToken(sam.ID, time.Time{})
	for _, s := range []string{"", "Bearer", "Bearer ", "Bearer " + secret, "bearer " + secret, "Bearer  " + secret + " ", "Bearer\t" + secret,
		"Basic " + secret, secret, "Bearer tropic_", "Bearer " + secret + "x", "Bearer \x00", "Bearer " + strings.Repeat("a", 5000), "Bearer é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		req.Header.Set("Authorization", header)
		w := httptest.NewRecorder()
		ts.srv.ServeHTTP(w, req)
		scheme, rest, ok := strings.Cut(header, " ")
		valid := ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(rest) == secret
		switch {
		case valid && w.Code != http.StatusOK:
			t.Fatalf("Authorization %q: got %d, want 200", header, w.Code)
		case !valid && w.Code != http.StatusUnauthorized:
			t.Fatalf("Authorization %q: got %d, want 401\n%s", header, w.Code, w.Body)
		case !valid:
			var body apiError
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != "unauthorised" || body.Error.Message == "" {
				t.Fatalf("Authorization %q: body %q is not the unauthorised error", header, w.Body)
			}
		}
	})
}

func FuzzLoginForm(f *testing.F) {
	ts := newTestServer(f, Config{MFAWaived: true, MaxFormBytes: 4 << 10})
	ts.addUser("sam@police.example")
	for _, s := range []string{"", "email=sam%40police.example&password=" + strings.ReplaceAll(testPassword, " ", "+"),
		"email=sam%40police.example&password=wrong", "email=&password=", "a=%zz", "email=%ff", "email=a%00b&password=x",
		"email=a;password=b", "next=%2F%2Fevil.example&email=sam%40police.example&password=x", "=&=&&&", strings.Repeat("a", 5000),
		"email=" + strings.Repeat("%41", 300) + "&password=" + strings.Repeat("p", 1100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		ts.srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("body %q: got %d\n%s", body, w.Code, w.Body)
		}
		if w.Code == http.StatusSeeOther {
			if loc := browserLocation(w.Header().Get("Location")); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
				t.Fatalf("body %q redirects off the site to %q", body, loc)
			}
		}
	})
}
