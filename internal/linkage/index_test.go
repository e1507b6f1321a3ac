package linkage

import (
	"slices"
	"testing"
)

// indexFixture is 5,000 generated records, prepared, and a model trained on them.
func indexFixture(t *testing.T) ([]Record, []string, *Model) {
	t.Helper()
	recs, ents := SynthRecords(Synthesize(5000, 3))
	res := Dedupe(recs, DefaultThreshold, 3)
	return recs, ents, res.Model
}

func prepared(r Record) Record {
	r.Prepare()
	return r
}

func ids(got []Scored) []int {
	var out []int
	for _, s := range got {
		out = append(out, s.ID)
	}
	return out
}

func TestLinkageIndexMatch(t *testing.T) {
	recs, _, m := indexFixture(t)
	amina := prepared(Record{Given: "Amina", Surname: "Chowdhury", StreetNo: "14", Address: "Orchard Close",
		Locality: "Stevenage", Postcode: "SG1 4QT", DOB: ParseDOB("03/07/1991"), Phone: "07700 900456", Email: "amina.c@example.org"})
	x := NewIndex(append(slices.Clone(recs), amina))
	want := x.Len() - 1
	for _, c := range []struct {
		name  string
		query Record
	}{
		{"a duplicate with typos, another phone format and no e-mail", Record{Given: "Anima", Surname: "Chowdhury", Postcode: "sg14qt",
			DOB: ParseDOB("1991-07-03"), Phone: "+44 7700 900456"}},
		{"a typo in the surname (every surname rule misses) is found through the others", Record{Given: "Amina", Surname: "Showdhury",
			StreetNo: "14", Postcode: "SG1 4QT", DOB: ParseDOB("03/07/1991")}},
		{"names swapped, date of birth with day and month swapped, postcode mistyped", Record{Given: "Chowdhury", Surname: "Amina",
			Postcode: "SG1 4TQ", DOB: ParseDOB("07/03/1991"), Email: "Amina.C@example.org"}},
		{"only a phone in common besides the names", Record{Given: "A", Surname: "Chowdhury", Phone: "0044 7700 900456"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := prepared(c.query)
			got := x.Match(&q, m, 5)
			if len(got) == 0 || got[0].ID != want {
				t.Fatalf("Match = %v, want record %d first", got, want)
			}
			if !slices.IsSortedFunc(got, func(a, b Scored) int { return -cmpFloat(a.Probability, b.Probability) }) {
				t.Errorf("Match = %v, not best first", got)
			}
			for _, s := range got {
				if s.Probability < m.Threshold {
					t.Errorf("Match gave %v, below the threshold %v", s, m.Threshold)
				}
			}
		})
	}
	t.Run("the surname typo changes the surname blocking keys", func(t *testing.T) {
		a := prepared(Record{Given: "Amina", Surname: "Chowdhury", DOB: ParseDOB("03/07/1991"), Postcode: "SG1 4QT"})
		b := prepared(Record{Given: "Amina", Surname: "Showdhury", DOB: ParseDOB("03/07/1991"), Postcode: "SG1 4QT"})
		ka, _ := blockKeys(&a)
		kb, _ := blockKeys(&b)
		if ka[0] == kb[0] || ka[3] == kb[3] || ka[6] == kb[6] {
			t.Errorf("keys %x and %x share a surname rule", ka, kb)
		}
	})
	t.Run("a stranger matches nobody", func(t *testing.T) {
		q := prepared(Record{Given: "Zbigniew", Surname: "Quartermaine", Postcode: "ZZ9 9ZZ", DOB: ParseDOB("1901")})
		if got := x.Match(&q, m, 0); len(got) != 0 {
			t.Errorf("Match = %v, want nothing", got)
		}
	})
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestLinkageIndexAdd(t *testing.T) {
	recs, _, m := indexFixture(t)
	x := NewIndex(recs)
	n := x.Len()
	tomasz := prepared(Record{Given: "Tomasz", Surname: "Kaczmarek", Postcode: "AL1 3AB", DOB: ParseDOB("1988-02-29"), Phone: "07700 900999"})
	q := prepared(Record{Given: "Tom", Surname: "Kaczmarek", Postcode: "AL1 3AB", DOB: ParseDOB("29/02/1988")})
	if got := x.Match(&q, m, 0); slices.Contains(ids(got), n) {
		t.Fatalf("Match before Add = %v", got)
	}
	if id := x.Add(tomasz); id != n {
		t.Fatalf("Add gave ID %d, want %d", id, n)
	}
	if got := x.Match(&q, m, 0); len(got) == 0 || got[0].ID != n {
		t.Fatalf("Match after Add = %v, want %d first", got, n)
	}
	if r := x.Record(n); r.Surname != "kaczmarek" {
		t.Errorf("Record(%d) = %+v", n, r)
	}
	// past mergeAt the added records move into the sorted arrays and stay found
	for i := 0; i <= mergeAt; i++ {
		x.Add(recs[i%len(recs)])
	}
	if got := x.Match(&q, m, 0); len(got) == 0 || got[0].ID != n {
		t.Fatalf("Match after a merge = %v, want %d first", got, n)
	}
	for k := range x.blocks {
		if !slices.IsSortedFunc(x.blocks[k], compareEntries) || !slices.IsSortedFunc(x.fresh[k], compareEntries) {
			t.Errorf("rule %d not sorted after merging", k)
		}
	}
}

// Match on a record of the index finds what Dedupe matched it with: the index
// blocks as Candidates does.
func TestLinkageIndexAgreesWithDedupe(t *testing.T) {
	recs, ents, _ := indexFixture(t)
	res := Dedupe(recs, DefaultThreshold, 3)
	x := NewIndex(recs)
	found := 0
	for _, p := range res.Matches {
		if slices.Contains(ids(x.Match(&recs[p.A], res.Model, 0)), int(p.B)) {
			found++
		}
	}
	if share := float64(found) / float64(len(res.Matches)); share < 0.99 {
		t.Errorf("Match found %d of Dedupe's %d matches (%.4f), want at least 0.99", found, len(res.Matches), share)
	}
	_ = ents
}

// A block of thousands of records with one key costs a window, not the block.
func TestLinkageIndexBoundsCommonKeys(t *testing.T) {
	var recs []Record
	for i := 0; i < 5000; i++ {
		recs = append(recs, prepared(Record{Given: "John", Surname: "Smith", DOB: ParseDOB("1980-01-01"), Postcode: "AL1 1AA"}))
	}
	x := NewIndex(recs)
	for k := range x.blocks {
		if len(x.blocks[k]) == 0 {
			continue
		}
		got := neighbours(nil, x.blocks[k], x.blocks[k][2500], window(k))
		if len(got) > 2*window(k)+1 {
			t.Errorf("rule %d: %d neighbours in a block of %d, want at most %d", k, len(got), len(x.blocks[k]), 2*window(k)+1)
		}
	}
}

// Matches run while records are added (go test -race checks the locking).
func TestLinkageIndexMatchesWhileAdding(t *testing.T) {
	recs, _, m := indexFixture(t)
	x := NewIndex(recs[:2500])
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 2500; i < len(recs); i++ {
			x.Add(recs[i])
		}
	}()
	for i := 0; i < 200; i++ {
		x.Match(&recs[i*10], m, 3)
	}
	<-done
	if x.Len() != len(recs) {
		t.Errorf("Len = %d, want %d", x.Len(), len(recs))
	}
	last := recs[len(recs)-1]
	if got := x.Match(&last, m, 0); !slices.Contains(ids(got), len(recs)-1) {
		t.Errorf("the last record added is not found: %v", got)
	}
}
