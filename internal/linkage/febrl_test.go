package linkage

import (
	"os"
	"path/filepath"
	"testing"
)

func febrlFile(t *testing.T, name string) string {
	p := filepath.Join("..", "..", "..", "shared", "data", "febrl", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("FEBRL data not present at %s", p)
	}
	return p
}

func readFEBRL(t *testing.T, name string) ([]Record, []string) {
	f, err := os.Open(febrlFile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, ents, err := ReadFEBRL(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs, ents
}

func TestLinkageFEBRLDataset3(t *testing.T) {
	recs, ents := readFEBRL(t, "dataset3.csv")
	if len(recs) != 5000 {
		t.Fatalf("read %d records", len(recs))
	}
	res := Dedupe(recs, DefaultThreshold, 1)
	q := Evaluate(ents, res.Matches)
	t.Logf("candidates=%d lambda=%.4f P=%.4f R=%.4f F1=%.4f", res.Candidates, res.Model.Lambda, q.Precision, q.Recall, q.F1)
	for _, th := range []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.97, 0.99, 0.995, 0.999, 0.9999} {
		var keep []Pair
		for _, p := range res.All {
			if res.Model.Probability(p.V) >= th {
				keep = append(keep, p)
			}
		}
		q := Evaluate(ents, keep)
		t.Logf("threshold %g: P=%.4f R=%.4f F1=%.4f", th, q.Precision, q.Recall, q.F1)
	}
	if q.F1 < 0.95 {
		t.Errorf("F1 %.4f on dataset3, want at least 0.95", q.F1)
	}
}
