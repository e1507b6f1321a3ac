package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// TestOneMappingFromDomainErrorsToHTTP holds fail (pages) and apiFail (API) to decision
// record 6 for every code: the status, what the answer may say, and that a missing or
// hidden record answers byte for byte as any missing address does, whatever the store's
// message, and on a page whoever is signed in.
func TestOneMappingFromDomainErrorsToHTTP(t *testing.T) {
	ts := newTestServer(t, Config{MFAWaived: true})
	s := ts.srv
	user := &tropic.User{ID: 1, Name: "Sam Example", AgencyID: ts.agency.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	call := func(path string, signedIn bool, answer func(w http.ResponseWriter, r *http.Request)) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if signedIn {
			r = r.WithContext(context.WithValue(r.Context(), ctxUser, user))
		}
		w := httptest.NewRecorder()
		s.sessions.LoadAndSave(http.HandlerFunc(answer)).ServeHTTP(w, r)
		return w
	}
	missingPage := call("/no-such-page", false, s.notFound)
	missingAPI := call("/api/v1/no-such", false, s.notFound)
	secret := "STORE-MESSAGE-NAMING-A-HIDDEN-RECORD"
	for _, tt := range []struct {
		code   string
		status int
		shows  bool // the store's message is shown
	}{
		{tropic.ENOTFOUND, http.StatusNotFound, false},
		{tropic.EFORBIDDEN, http.StatusForbidden, true},
		{tropic.EINVALID, http.StatusUnprocessableEntity, true},
		{tropic.ECONFLICT, http.StatusConflict, true},
		{tropic.EUNAUTHORISED, http.StatusUnauthorized, true},
		{tropic.ELOCKED, http.StatusTooManyRequests, true},
		{tropic.ETOOMANY, http.StatusTooManyRequests, true},
		{tropic.EINTERNAL, http.StatusInternalServerError, false},
	} {
		err := error(tropic.Errorf(tt.code, "%s", secret))
		if tt.code == tropic.EINTERNAL {
			err = errors.New(secret)
		}
		for _, signedIn := range []bool{false, true} {
			page := call("/cases/C-ZZZZ-ZZZZ-Z", signedIn, func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, err) })
			api := call("/api/v1/cases/C-ZZZZ-ZZZZ-Z", signedIn, func(w http.ResponseWriter, r *http.Request) { s.apiFail(w, r, err) })
			for kind, got := range map[string]*httptest.ResponseRecorder{"page": page, "api": api} {
				if got.Code != tt.status {
					t.Errorf("%s, %s: got %d, want %d", tt.code, kind, got.Code, tt.status)
				}
				if shows := strings.Contains(got.Body.String(), secret); shows != tt.shows {
					t.Errorf("%s, %s: shows the store's message %v, want %v:\n%s", tt.code, kind, shows, tt.shows, got.Body)
				}
			}
			if !strings.Contains(api.Body.String(), `"code": "`+tt.code+`"`) && tt.code != tropic.EINTERNAL {
				t.Errorf("%s: the API answer does not carry its code:\n%s", tt.code, api.Body)
			}
			if tt.code == tropic.ENOTFOUND {
				if withoutNonce(page.Body.String()) != withoutNonce(missingPage.Body.String()) {
					t.Errorf("not found (signed in %v): the page differs from a missing address's", signedIn)
				}
				if api.Body.String() != missingAPI.Body.String() {
					t.Errorf("not found: the API answer differs from a missing endpoint's record answer")
				}
			}
		}
	}
}
