package auth_test

import (
	"testing"

	"tropic/internal/auth"
)

// BenchmarkFollowUpCodeVerify measures what checking one follow-up code costs at the
// production cost (auth.FollowUpCodeParams): the time each offline guess at a code
// takes too. About 37 ms a verification on the 2-core development machine (December
// 2026), so 2^49 guesses, half a code's 50 bits, take some 660,000 core-years.
func BenchmarkFollowUpCodeVerify(b *testing.B) {
	sealed, err := auth.HashPassword("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", auth.FollowUpCodeParams)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := auth.VerifyPassword("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", sealed); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
