package linkage

import "testing"

func TestLinkageSynthetic(t *testing.T) {
	recs, ents := SynthRecords(Synthesize(10000, 1))
	res := Dedupe(recs, DefaultThreshold, 1)
	q := Evaluate(ents, res.Matches)
	t.Logf("candidates=%d lambda=%.4f P=%.4f R=%.4f F1=%.4f", res.Candidates, res.Model.Lambda, q.Precision, q.Recall, q.F1)
	for _, th := range []float64{0.1, 0.5, 0.9, 0.99, 0.999, 0.9999} {
		var keep []Pair
		for _, p := range Candidates(recs) {
			if res.Model.Probability(p.V) >= th {
				keep = append(keep, p)
			}
		}
		q := Evaluate(ents, keep)
		t.Logf("threshold %.4f: P=%.4f R=%.4f F1=%.4f", th, q.Precision, q.Recall, q.F1)
	}
	if q.F1 < 0.95 {
		t.Errorf("F1 %.4f on synthetic 10,000, want at least 0.95", q.F1)
	}
}
