package linkage

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Each community's pools are long-tailed: the stated shares are drawn as often
// as stated, no unstated name is commoner than the rarest stated one, shares do
// not rise down the list past the stated names, and the pools are large enough
// that two strangers rarely share a whole name.
func TestLinkageGeneratedNameFrequencies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range communities() {
		for kind, p := range map[string]pool{"given": c.given, "family": c.family} {
			if len(p.names) < 30 {
				t.Errorf("%s %s: %d names, want at least 30", c.name, kind, len(p.names))
			}
			rarest, collide := 1.0, 0.0
			for i, n := range p.names {
				if n.share > 0 {
					rarest = min(rarest, n.share)
					if got := p.share(i); math.Abs(got-n.share) > 1e-9 {
						t.Errorf("%s %s %s: share %v, stated %v", c.name, kind, n.latin, got, n.share)
					}
				}
				collide += p.share(i) * p.share(i)
			}
			for i, n := range p.names {
				if n.share == 0 && p.share(i) > rarest*(1+1e-6) {
					t.Errorf("%s %s %s: share %v over the rarest stated %v", c.name, kind, n.latin, p.share(i), rarest)
				}
			}
			// drawn as often as stated: the commonest name, 20,000 draws
			top := 0
			for i := range p.names {
				if p.share(i) > p.share(top) {
					top = i
				}
			}
			hits := 0
			for range 20000 {
				if p.draw(rng).latin == p.names[top].latin {
					hits++
				}
			}
			want := p.share(top) * 20000
			if math.Abs(float64(hits)-want) > 5*math.Sqrt(want)+5 {
				t.Errorf("%s %s %s: drawn %d times in 20,000, want about %.0f", c.name, kind, p.names[top].latin, hits, want)
			}
			t.Logf("%-10s %-6s %4d names, commonest %-12s %5.2f%%, two strangers share one %.4f", c.name, kind, len(p.names), p.names[top].latin, 100*p.share(top), collide)
		}
	}
}
