package linkage

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How often the generator gives each name (docs/romanisation.md, "How common the
// generated names are"). Name frequencies are long-tailed: a few names are very
// common and most are rare. A community's file lists its common names, commonest
// first, some with their share of the community's people ("Nguyễn ... | 38.4%"),
// and parts from which rarer names are composed (given-1, given-2, family-1, ...:
// every combination of one entry of each, "-" leaving a part out; given-b1,
// given-b2 another group composed apart). Names without a
// stated share take what the stated ones leave, in proportion to 1/(rank+q), Zipf's
// law as Mandelbrot generalised it, with q as small as keeps every one of them
// rarer than the rarest stated name, so that the tail is as long as the pool
// allows and never outranks a stated share.

// pool is a community's given or family names with the cumulative share of each,
// for drawing.
type pool struct {
	names []nameForms
	cum   []float64
}

func newPool(names []nameForms) pool {
	p := pool{names: names, cum: make([]float64, len(names))}
	total := 0.0
	for i, s := range nameShares(names) {
		total += s
		p.cum[i] = total
	}
	return p
}

// draw picks a name with its share as the probability.
func (p pool) draw(rng *rand.Rand) nameForms {
	x := rng.Float64() * p.cum[len(p.cum)-1]
	i := sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > x })
	return p.names[min(i, len(p.names)-1)]
}

// share is the probability that draw gives the i-th name.
func (p pool) share(i int) float64 {
	prev := 0.0
	if i > 0 {
		prev = p.cum[i-1]
	}
	return (p.cum[i] - prev) / p.cum[len(p.cum)-1]
}

// nameShares gives each name its stated share, and the names without one what is
// left in proportion to 1/(rank+q) (see above).
func nameShares(names []nameForms) []float64 {
	w := make([]float64, len(names))
	rest, rarest := 1.0, 1.0
	var unstated []int
	for i, n := range names {
		if n.share > 0 {
			w[i], rest, rarest = n.share, rest-n.share, min(rarest, n.share)
		} else {
			unstated = append(unstated, i)
		}
	}
	if len(unstated) == 0 {
		return w
	}
	if rest <= 0 {
		panic("linkage: names/people: the stated shares leave nothing for the other names")
	}
	first := func(q float64) float64 { // the share of the commonest unstated name
		sum := 0.0
		for _, i := range unstated {
			sum += 1 / (float64(i+1) + q)
		}
		return rest / (float64(unstated[0]+1) + q) / sum
	}
	q := 0.0
	if first(0) > rarest {
		lo, hi := 0.0, 1e9 // at 1e9 the tail is flat: a pool too small for its shares
		for range 100 {
			if mid := (lo + hi) / 2; first(mid) > rarest {
				lo = mid
			} else {
				hi = mid
			}
		}
		q = hi
	}
	sum := 0.0
	for _, i := range unstated {
		w[i] = 1 / (float64(i+1) + q)
		sum += w[i]
	}
	for _, i := range unstated {
		w[i] *= rest / sum
	}
	return w
}

// compose appends to a community's listed names those composed of its parts, in
// the order of the product of the parts' ranks (the first parts are the commoner),
// leaving out any that repeat a name already there.
func compose(c *community, names []nameForms, parts [][]nameForms) []nameForms {
	if len(parts) == 0 {
		return names
	}
	// how the parts are joined natively, in the standard Latin form and in the
	// other spellings; spaced: the Latin parts written apart are a spelling too
	nativeJoin, latinJoin, otherJoin, spaced := "", "", "", false
	switch c.name {
	case "vietnamese":
		nativeJoin, latinJoin, otherJoin = " ", " ", " "
	case "sudanese":
		nativeJoin, spaced = " ", true // عبد الرحيم, Abdelrahim, Abdel Rahim
	case "chinese":
		otherJoin, spaced = "-", true // 志强, Zhiqiang, Chih-chiang, Zhi Qiang
	case "eritrean":
		spaced = true // ገብረሚካኤል, Gebremichael, Gebre Michael
	}
	var combos [][]int
	var walk func(prefix []int)
	walk = func(prefix []int) {
		if len(prefix) == len(parts) {
			combos = append(combos, slices.Clone(prefix))
			return
		}
		for i := range parts[len(prefix)] {
			walk(append(prefix, i))
		}
	}
	walk(nil)
	rank := func(ix []int) int {
		r := 1
		for _, i := range ix {
			r *= i + 1
		}
		return r
	}
	slices.SortStableFunc(combos, func(a, b []int) int { return cmp.Compare(rank(a), rank(b)) })
	seen := map[string]bool{}
	for _, n := range names {
		seen[strings.ToLower(n.latin)] = true
	}
	for _, ix := range combos {
		var native, latin, sep []string
		for k, i := range ix {
			if f := parts[k][i]; f.latin != "" {
				native, latin = append(native, f.native), append(latin, f.latin)
				sep = append(sep, capFirst(f.latin))
			}
		}
		f := nameForms{native: joinParts(native, nativeJoin), latin: joinParts(latin, latinJoin)}
		if len(latin) < 2 || seen[strings.ToLower(f.latin)] {
			continue // one part alone, or a name listed already
		}
		seen[strings.ToLower(f.latin)] = true
		schemes := 0
		for k, i := range ix {
			schemes = max(schemes, len(parts[k][i].others))
		}
		var others []string
		for s := range schemes {
			var o []string
			for k, i := range ix {
				if p := parts[k][i]; p.latin != "" {
					o = append(o, p.latin)
					if len(p.others) > 0 {
						o[len(o)-1] = p.others[min(s, len(p.others)-1)]
					}
				}
			}
			others = append(others, joinParts(o, otherJoin))
		}
		if spaced {
			others = append(others, strings.Join(sep, " "))
		}
		for _, o := range others {
			if o != f.latin && !slices.Contains(f.others, o) {
				f.others = append(f.others, o)
			}
		}
		names = append(names, f)
	}
	return names
}

// joinParts joins the parts of a name; joined without a space or with a hyphen,
// the parts after the first begin in lower case (Bogusław, Chih-chiang).
func joinParts(parts []string, sep string) string {
	out := slices.Clone(parts)
	if sep != " " {
		for i := 1; i < len(out); i++ {
			r, n := utf8.DecodeRuneInString(out[i])
			out[i] = string(unicode.ToLower(r)) + out[i][n:]
		}
	}
	return strings.Join(out, sep)
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
