package oidc

import (
	"errors"
	"strings"
	"testing"
)

func TestIdentityFromClaims(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		email    string
		verified string // "true", "false" or "unsaid"
		wantErr  bool
	}{
		{"A boolean email_verified is read.", `{"sub":"1","email":"Pat@Police.example","email_verified":true,"amr":["pwd","mfa"]}`, "pat@police.example", "true", false},
		{"A string email_verified is read.", `{"sub":"1","email":"p@x.example","email_verified":"false"}`, "p@x.example", "false", false},
		{"No email_verified is unsaid.", `{"sub":"1","email":"p@x.example"}`, "p@x.example", "unsaid", false},
		{"Another email_verified is refused.", `{"sub":"1","email":"p@x.example","email_verified":1}`, "", "", true},
		{"amr that is not a list of strings is refused.", `{"sub":"1","amr":"mfa"}`, "", "", true},
		{"A control character in the address is refused.", `{"sub":"1","email":"p\u0000@x.example"}`, "", "", true},
		{"Not JSON is refused.", `{"sub":`, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := IdentityFromClaims([]byte(tt.payload))
			if tt.wantErr {
				if !errors.Is(err, ErrToken) {
					t.Fatalf("got %+v, %v; want ErrToken", id, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "unsaid"
			if id.EmailVerified != nil {
				got = map[bool]string{true: "true", false: "false"}[*id.EmailVerified]
			}
			if id.Email != tt.email || got != tt.verified {
				t.Errorf("got %q verified %s, want %q verified %s", id.Email, got, tt.email, tt.verified)
			}
		})
	}
}

// FuzzIdentityFromClaims: any payload is read or refused with ErrToken, never a panic,
// and what is read holds no control characters.
func FuzzIdentityFromClaims(f *testing.F) {
	for _, seed := range []string{`{"sub":"1","email":"a@b.example","email_verified":true,"amr":["mfa"],"acr":"x","azp":"c"}`,
		`{"email_verified":"true"}`, `{"amr":[1,2]}`, `[]`, `null`, `{"email":"` + strings.Repeat("a", 300) + `"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		id, err := IdentityFromClaims(payload)
		if err != nil {
			if !errors.Is(err, ErrToken) {
				t.Fatalf("error %v is not ErrToken", err)
			}
			return
		}
		if len(id.Email) > 254 || strings.ContainsFunc(id.Email+id.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("accepted %q", id.Email)
		}
	})
}
