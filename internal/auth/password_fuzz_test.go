package auth_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
)

// cheap keeps argon2 fast in tests; production uses auth.DefaultParams.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1}

func FuzzVerifyPassword(f *testing.F) {
	good, err := auth.HashPassword("correct password", cheap)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "$", "$$$$$", "$argon2id$v=19$m=64,t=1,p=1$$",
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=256$c2FsdA$a2V5",
		"$argon2id$v=19$m=-1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=16$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!!$a2V5",
		strings.Replace(good, "$argon2id$", "$argon2id$$", 1)} {
		f.Add("correct password", s)
	}
	f.Fuzz(func(t *testing.T, pw, hash string) {
		// A well-formed hash may ask for up to 4 GiB and 100 passes, which is for the
		// database to decide, not a malformed input: keep the fuzzer to cheap costs.
		var m, tm, p uint64 // p is parsed only to match the layout
		if parts := strings.Split(hash, "$"); len(parts) == 6 {
			if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &tm, &p); err == nil && (m > 1<<12 || tm > 4) {
				t.Skip("too costly to verify in a fuzz run")
			}
		}
		ok, err := auth.VerifyPassword(pw, hash)
		if err != nil && ok {
			t.Fatalf("VerifyPassword(%q, %q): got ok with error %v", pw, hash, err)
		}
		if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
			t.Fatalf("VerifyPassword(%q, %q): got error %v, want ErrMalformedHash", pw, hash, err)
		}
	})
}

func TestHashPassword(t *testing.T) {
	hash, err := auth.HashPassword("lantern pebble orchard violin", cheap)
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	if want := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(hash, want) {
		t.Fatalf("got hash %q, want it to start %q", hash, want)
	}
	tests := []struct {
		name   string
		pw     string
		wantOK bool
	}{
		{"The right password matches", "lantern pebble orchard violin", true},
		{"A wrong password does not match", "lantern pebble orchard viola", false},
		{"The password in other letter case does not match", "Lantern pebble orchard violin", false},
		{"An empty password does not match", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := auth.VerifyPassword(tt.pw, hash)
			if err != nil || ok != tt.wantOK {
				t.Fatalf("got %v, %v; want %v, no error", ok, err, tt.wantOK)
			}
		})
	}
	t.Run("Hashing the same password twice gives different salts", func(t *testing.T) {
		again, err := auth.HashPassword("lantern pebble orchard violin", cheap)
		if err != nil || again == hash {
			t.Fatalf("got %q, %v; want a hash other than %q", again, err, hash)
		}
	})
	t.Run("A hash made with other parameters still verifies", func(t *testing.T) {
		other, err := auth.HashPassword("pw", auth.Params{Memory: 128, Time: 2, Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword("pw", other); !ok || err != nil {
			t.Fatalf("got %v, %v; want a match", ok, err)
		}
	})
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, err := auth.HashPassword("pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", "argon2id", "v=19", "m=...", salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct {
		name string
		hash string
	}{
		{"An empty hash", ""},
		{"Plain text", "pw"},
		{"Too few parts", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA"},
		{"Too many parts", good + "$extra"},
		{"Another algorithm", with(1, "argon2i")},
		{"Another version", with(2, "v=16")},
		{"No version", with(2, "")},
		{"Zero memory", with(3, "m=0,t=1,p=1")},
		{"Zero passes", with(3, "m=64,t=0,p=1")},
		{"Zero threads", with(3, "m=64,t=1,p=0")},
		{"Threads past a byte", with(3, "m=64,t=1,p=256")},
		{"Negative memory", with(3, "m=-64,t=1,p=1")},
		{"Memory over 4 GiB", with(3, "m=4194305,t=1,p=1")},
		{"More than 100 passes", with(3, "m=64,t=101,p=1")},
		{"Parameters that are not numbers", with(3, "m=x,t=1,p=1")},
		{"A salt that is not base64", with(4, "!!!")},
		{"An empty key", with(5, "")},
		{"A key that is not base64", with(5, "@@@")},
		{"A key over 128 bytes", with(5, strings.Repeat("QUFB", 44))},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is malformed", func(t *testing.T) {
			ok, err := auth.VerifyPassword("pw", tt.hash)
			if ok || !errors.Is(err, auth.ErrMalformedHash) {
				t.Fatalf("VerifyPassword(%q): got %v, %v; want false, ErrMalformedHash", tt.hash, ok, err)
			}
		})
	}
}

func TestCheckTOTP(t *testing.T) {
	// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", whose 8-digit code
	// at 59 s is 94287082; six digits are its last six.
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	if got, err := auth.TOTPCode(secret, time.Unix(59, 0)); err != nil || got != "287082" {
		t.Fatalf("TOTPCode at 59 s: got %q, %v; want the RFC 6238 code 287082", got, err)
	}

	now := time.Date(2026, 3, 14, 9, 30, 10, 0, time.UTC)
	step := now.Unix() / 30
	code := func(d int64) string {
		c, err := auth.TOTPCode(secret, time.Unix((step+d)*30, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name     string
		secret   string
		code     string
		wantStep int64
		wantOK   bool
	}{
		{"The current code matches the current step", secret, code(0), step, true},
		{"The previous code matches its step, for clock drift", secret, code(-1), step - 1, true},
		{"The next code matches its step, for clock drift", secret, code(1), step + 1, true},
		{"A code two steps old is refused", secret, code(-2), 0, false},
		{"A code two steps ahead is refused", secret, code(2), 0, false},
		{"Spaces and hyphens in the code are ignored", secret, code(0)[:3] + " " + code(0)[3:], step, true},
		{"A hyphenated code is accepted", secret, code(0)[:3] + "-" + code(0)[3:], step, true},
		{"Five digits are refused", secret, code(0)[:5], 0, false},
		{"Seven digits are refused", secret, code(0) + "0", 0, false},
		{"An empty code is refused", secret, "", 0, false},
		{"Letters are refused", secret, "abcdef", 0, false},
		{"A code for another secret is refused", "JBSWY3DPEHPK3PXP", code(0), 0, false},
		{"A secret that is not base32 refuses every code", "not base32!", "123456", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStep, ok := auth.CheckTOTP(tt.secret, tt.code, now)
			if ok != tt.wantOK || gotStep != tt.wantStep {
				t.Fatalf("CheckTOTP(%q): got step %d, %v; want %d, %v", tt.code, gotStep, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, url, err := auth.NewTOTPSecret("Tropic", "sam@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, "secret="+secret) || !strings.Contains(url, "issuer=Tropic") {
		t.Fatalf("got url %q, want an otpauth://totp URL with the secret and issuer", url)
	}
	now := time.Now()
	c, err := auth.TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := auth.CheckTOTP(secret, c, now); !ok {
		t.Fatalf("got code %q refused for its own secret, want it accepted", c)
	}
	png, err := auth.TOTPQRCode(url, 200)
	if err != nil || len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Fatalf("got %d bytes, %v; want a PNG", len(png), err)
	}
}

func TestTokens(t *testing.T) {
	t.Run("A token's hash is the hex SHA-256 of its secret", func(t *testing.T) {
		sum := sha256.Sum256([]byte("tropic_example"))
		if got, want := auth.HashToken("tropic_example"), hex.EncodeToString(sum[:]); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
		// FIPS 180-2 test vector.
		if got, want := auth.HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
	t.Run("A new token carries the prefix and its hash", func(t *testing.T) {
		secret, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, auth.TokenPrefix) || len(secret) != len(auth.TokenPrefix)+32 || secret != strings.ToLower(secret) {
			t.Fatalf("got secret %q, want %q and 32 lower-case base32 characters", secret, auth.TokenPrefix)
		}
		if hash != auth.HashToken(secret) {
			t.Fatalf("got hash %s, want HashToken(secret) %s", hash, auth.HashToken(secret))
		}
		other, _, err := auth.NewToken()
		if err != nil || other == secret {
			t.Fatalf("got %q twice (%v), want two different secrets", other, err)
		}
	})
	t.Run("The display prefix shows six characters after the marker", func(t *testing.T) {
		tests := []struct{ in, want string }{
			{"tropic_abcdefghij", "tropic_abcdef"},
			{"tropic_abc", "tropic_abc"},
			{"", ""},
		}
		for _, tt := range tests {
			if got := auth.DisplayPrefix(tt.in); got != tt.want {
				t.Fatalf("DisplayPrefix(%q): got %q, want %q", tt.in, got, tt.want)
			}
		}
	})
}
