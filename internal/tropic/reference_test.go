package tropic

import "testing"

// TestDammQuasigroup proves, by checking every case, what the reference check
// character relies on. A check runs st = st∗d over the characters from st = 0 and
// accepts when st ends at 0. Two strings of one length that differ first at position
// i reach the same st before i, so:
//   - a single changed character x→y at i is caught when st∗x ≠ st∗y for every st
//     and x ≠ y (each row is a permutation), and the states then stay different to
//     the end when s∗d ≠ s'∗d for every s ≠ s' and d (each column is a permutation);
//   - a swap xy→yx at i, i+1 is caught when (st∗x)∗y ≠ (st∗y)∗x for every st and
//     x ≠ y (weak total antisymmetry), with the columns carrying the difference on.
//
// That covers every reference body of every length, the check character included.
func TestDammQuasigroup(t *testing.T) {
	const n = 32
	for a := range byte(n) {
		row, col := map[byte]bool{}, map[byte]bool{}
		for b := range byte(n) {
			row[dammOp(a, b)], col[dammOp(b, a)] = true, true
			if v := dammOp(a, b); v >= n {
				t.Fatalf("%d∗%d = %d, outside the alphabet", a, b, v)
			}
		}
		if len(row) != n || len(col) != n {
			t.Fatalf("row or column %d is not a permutation (%d, %d values): not a quasigroup", a, len(row), len(col))
		}
	}
	for c := range byte(n) {
		for x := range byte(n) {
			for y := range byte(n) {
				if x != y && dammOp(dammOp(c, x), y) == dammOp(dammOp(c, y), x) {
					t.Fatalf("(%d∗%d)∗%d = (%d∗%d)∗%d: a swap of neighbours would go unnoticed", c, x, y, c, y, x)
				}
			}
		}
	}
	if dammOp(0, 7) != 7 {
		t.Errorf("0∗7 = %d, want 7: the check starts from 0", dammOp(0, 7))
	}
}

// TestReferenceCheckCatchesEveryTypoEndToEnd runs the proof's claim on references:
// for many bodies, every single changed character and every swap of different
// neighbours of the full reference is refused, check character included.
func TestReferenceCheckCatchesEveryTypoEndToEnd(t *testing.T) {
	bodies := []string{"000000000", "ZZZZZZZZZ", "0Z0Z0Z0Z0", "Z0Z0Z0Z0Z", "KM7Q2XPA7"}
	for range 3000 {
		bodies = append(bodies, compactRef(NewReference())[:ReferenceLength])
	}
	for _, body := range bodies {
		ref := body + string(dammCheck(body))
		if got, err := ParseReference(ref); err != nil || compactRef(got) != ref {
			t.Fatalf("ParseReference(%q) = %q, %v", ref, got, err)
		}
		for i := range ref {
			for _, r := range []byte(crockford) {
				if r == ref[i] {
					continue
				}
				typo := ref[:i] + string(r) + ref[i+1:]
				if _, err := ParseReference(typo); err == nil {
					t.Fatalf("%q with character %d changed to %c is accepted", ref, i+1, r)
				}
			}
			if i+1 < len(ref) && ref[i] != ref[i+1] {
				typo := ref[:i] + string(ref[i+1]) + string(ref[i]) + ref[i+2:]
				if _, err := ParseReference(typo); err == nil {
					t.Fatalf("%q with characters %d and %d swapped is accepted", ref, i+1, i+2)
				}
			}
		}
	}
}

// TestReferencesIssuedBeforeTheDammCheckAreStillAccepted: a reference of 8 random
// characters and a Luhn mod 32 check is read as before, and a current one is never
// read under the old scheme.
func TestReferencesIssuedBeforeTheDammCheckAreStillAccepted(t *testing.T) {
	tests := []struct {
		name, typed, want string
		ok                bool
	}{
		{"An old reference as shown.", "KM7Q-2XPA-7", "KM7Q-2XPA-7", true},
		{"An old reference typed loosely.", "km7q 2xpa 7", "KM7Q-2XPA-7", true},
		{"An old reference mistyped.", "KM7Q-2XPA-8", "", false},
		{"A current reference.", "KM7Q-2XP-A7" + string(dammCheck("KM7Q2XPA7")), "KM7Q-2XP-A7" + string(dammCheck("KM7Q2XPA7")), true},
	}
	for _, tt := range tests {
		got, err := ParseReference(tt.typed)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s ParseReference(%q) = %q, %v; want %q", tt.name, tt.typed, got, err, tt.want)
		}
	}
	// The old scheme's blind spot, the reason for the new one: swapping 0 and Z
	// keeps a Luhn mod 32 check. Old references keep it; new ones do not have it.
	old := "0Z00AB12"
	old += string(luhnCheck(old))
	if _, err := ParseReference("Z0" + old[2:]); err != nil {
		t.Errorf("Luhn mod 32 caught a 0↔Z swap (%v): the premise of decision record 25 is wrong", err)
	}
	cur := "0Z00AB12C"
	cur += string(dammCheck(cur))
	if _, err := ParseReference("Z0" + cur[2:]); err == nil {
		t.Errorf("the Damm check missed the 0↔Z swap in %q", cur)
	}
	for range 200 {
		ref := NewReference()
		if len(ref) != 12 || ref[4] != '-' || ref[8] != '-' {
			t.Fatalf("NewReference() = %q, want the 4-3-3 form", ref)
		}
	}
}

func compactRef(ref string) string {
	out := make([]byte, 0, len(ref))
	for i := 0; i < len(ref); i++ {
		if ref[i] != '-' {
			out = append(out, ref[i])
		}
	}
	return string(out)
}

// The examples the code and the pages give are references the service accepts.
func TestReferenceExamplesAreValid(t *testing.T) {
	for _, ex := range []string{"KM7Q-2XP-A72", "KM7Q-2XPA-7"} {
		if _, err := ParseReference(ex); err != nil {
			t.Errorf("the example %s is not a valid reference: %v", ex, err)
		}
	}
}
