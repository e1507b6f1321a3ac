package auth_test

import (
	"testing"

	"tropic/internal/auth"
)

// BenchmarkFollowUpCodeVerify measures what checking one follow-up code costs at the
// production cost (auth.FollowUpCodeParams): the time each offline guess at a code
// takes too. On the shared 2-core development machine (December 2026, load average
// about 19) it took 60 ms, against 37 ms for 19 MiB and 2 passes measured earlier at a
// lighter load; on an idle core it is a few milliseconds.
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
