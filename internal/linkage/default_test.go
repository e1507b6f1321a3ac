package linkage

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "write default_model.json from a fresh training run")

func TestLinkageDefaultModel(t *testing.T) {
	trained := trainDefault()
	if *update {
		if err := os.WriteFile("default_model.json", modelJSON(t, trained), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("wrote default_model.json")
		return
	}
	got := DefaultModel()
	const tol = 1e-6 // room for fused multiply-adds on other machines
	near := func(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }
	if !near(got.Lambda, trained.Lambda) || !near(got.LambdaH, trained.LambdaH) || got.Threshold != trained.Threshold {
		t.Fatalf("default_model.json has priors %v, %v and threshold %v; training gives %v, %v and %v: run go test ./internal/linkage -run TestLinkageDefaultModel -update",
			got.Lambda, got.LambdaH, got.Threshold, trained.Lambda, trained.LambdaH, trained.Threshold)
	}
	if got.Records != trained.Records {
		t.Fatalf("default_model.json was trained among %d records; training gives %d: run go test ./internal/linkage -run TestLinkageDefaultModel -update", got.Records, trained.Records)
	}
	if !near(got.NamesTogether, trained.NamesTogether) || !near(got.MovedTogether, trained.MovedTogether) {
		t.Fatalf("default_model.json has corrections %v and %v; training gives %v and %v: run go test ./internal/linkage -run TestLinkageDefaultModel -update",
			got.NamesTogether, got.MovedTogether, trained.NamesTogether, trained.MovedTogether)
	}
	for f := 0; f < NFields; f++ {
		for l := 0; l < 16; l++ {
			if !near(got.M[f][l], trained.M[f][l]) || !near(got.H[f][l], trained.H[f][l]) || !near(got.U[f][l], trained.U[f][l]) ||
				!near(got.UNames[f][l], trained.UNames[f][l]) {
				t.Fatalf("default_model.json differs from training on %s level %d: run go test ./internal/linkage -run TestLinkageDefaultModel -update", fieldNames[f], l)
			}
		}
	}
}

// The default model was trained on generated UK-shaped records only; on FEBRL
// dataset3's candidate pairs (Australian, with an identifier it never saw) it
// still separates matches from non-matches.
func TestLinkageDefaultModelOnFEBRL(t *testing.T) {
	recs, ents := readFEBRL(t, "dataset3.csv")
	m := DefaultModel()
	var keep []Pair
	for _, p := range Candidates(recs) {
		if m.Probability(p.V) >= m.Threshold {
			keep = append(keep, p)
		}
	}
	q := Evaluate(ents, keep)
	t.Logf("P=%.4f R=%.4f F1=%.4f", q.Precision, q.Recall, q.F1)
	if q.F1 < 0.95 {
		t.Errorf("F1 %.4f on dataset3 with the default model, want at least 0.95", q.F1)
	}
}

// modelJSON writes a model one field's levels to a line, so that a retrained
// model reads as a short diff.
func modelJSON(t *testing.T, m *Model) []byte {
	t.Helper()
	num := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{\n  \"TrainedOn\": %s,\n", num(fmt.Sprintf("Synthesize(%d, %d) and SynthesizeVaried(%d, %d); see default.go", defaultUK, defaultSeed, defaultVaried, defaultSeed)))
	fmt.Fprintf(&b, "  \"Lambda\": %s,\n  \"LambdaH\": %s,\n  \"Threshold\": %s", num(m.Lambda), num(m.LambdaH), num(m.Threshold))
	fmt.Fprintf(&b, ",\n  \"NamesTogether\": %s,\n  \"MovedTogether\": %s,\n  \"Records\": %d", num(m.NamesTogether), num(m.MovedTogether), m.Records)
	for _, c := range []struct {
		name string
		p    *[NFields][16]float64
	}{{"M", &m.M}, {"H", &m.H}, {"U", &m.U}, {"UNames", &m.UNames}} {
		fmt.Fprintf(&b, ",\n  %q: [", c.name)
		for f := range c.p {
			sep := ","
			if f == NFields-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "\n    %s%s", num(c.p[f]), sep)
		}
		b.WriteString("\n  ]")
	}
	b.WriteString("\n}\n")
	return []byte(b.String())
}

// Agreement never weighs less than partial agreement, nor difference more: an exact
// name and date of birth must not rank below a near miss.
func TestModelWeightsRiseWithAgreement(t *testing.T) {
	recs, _ := SynthRecords(Synthesize(3000, 3))
	for name, m := range map[string]*Model{"default": DefaultModel(), "trained here": Train(recs, Candidates(recs), nil)} {
		for f := 0; f < NFields; f++ {
			if m.U[f][1] == 0 {
				continue // a field never known carries no weight
			}
			w := func(l int) float64 { return math.Log2(m.M[f][l] / m.U[f][l]) }
			last := numLevels[f] - 1
			for l := 2; l < last; l++ {
				if w(l) > w(1)+1e-9 || w(last) > w(l)+1e-9 {
					t.Errorf("%s model, %s: level %d weighs %.2f, exact %.2f, different %.2f", name, fieldNames[f], l, w(l), w(1), w(last))
				}
			}
		}
	}
}
