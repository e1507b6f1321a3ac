package demo

import "testing"

// Every business the demo names has its trade's kind, and names repeat for only a
// few businesses: the demo's links make networks, not one county-wide web.
func TestDemoBusinessesHaveTheirKindAndFewRepeat(t *testing.T) {
	g := NewGenerator(1)
	count := map[string]int{}
	for trade, kind := range businessTrades {
		for range 40 {
			name := g.Business(trade)
			if got := businessKind(name); got != kind {
				t.Errorf("%q: kind %q, want %q", name, got, kind)
			}
			count[name]++
		}
	}
	most := 0
	for _, n := range count {
		most = max(most, n)
	}
	if len(count) < 10*len(businessTrades) || most > 12 {
		t.Errorf("%d names for %d businesses, the commonest %d times; want many names, few repeats", len(count), 40*len(businessTrades), most)
	}
}
