package linkage

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// Index holds prepared records blocked as Candidates blocks them, so that one new
// record is matched against all of them at the cost of a few binary searches and
// a few hundred comparisons at most, however many records there are.
//
// Per blocking rule it keeps one flat array of entries sorted by block key and,
// within a block, by the rule's order key: 16 bytes per record and rule, no map
// and no per-record allocation. Records added after NewIndex go to a small sorted
// array per rule that is merged into the large one when it grows past
// mergeAt, so an Add costs a short copy rather than a re-sort.
//
// Match may run concurrently with other Matches; Add waits for them.
type Index struct {
	mu     sync.RWMutex
	recs   []Record
	blocks [nRules][]entry // sorted by key, order, id
	fresh  [nRules][]entry // added since the last merge, sorted the same way
}

// entry places one record in one blocking rule. The block key is the rule's
// 64-bit key folded to 32 bits: two blocks that collide merely become one block,
// which the window bounds like any other.
type entry struct {
	order uint64
	key   uint32
	id    int32
}

func compareEntries(a, b entry) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	if c := cmp.Compare(a.order, b.order); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// mergeAt is the number of added entries of one rule above which they are merged
// into the sorted array: inserting into the small array then costs a move of at
// most 64 KiB, merging a pass over the large one now and then.
const mergeAt = 4096

// NewIndex indexes prepared records. It keeps recs without copying them; the
// records must not change afterwards. A record's ID is its position in recs.
func NewIndex(recs []Record) *Index {
	n := len(recs)
	x := &Index{recs: recs[:n:n]} // the first Add copies rather than writing into the caller's array
	// per rule, one slot per record and key of the rule
	var all [nRules][]entry
	var slot [nKeys]int // where key k's entries start in its rule's array
	for k := range nKeys {
		slot[k] = len(all[ruleOf(k)])
		all[ruleOf(k)] = append(all[ruleOf(k)], make([]entry, n)...)
	}
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			keys, order := blockKeys(&recs[i])
			for k := range keys {
				e := entry{order: order[k], key: foldKey(keys[k]), id: int32(i)}
				if keys[k] == 0 {
					e.id = -1
				}
				all[ruleOf(k)][slot[k]+i] = e
			}
		}
	})
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, min(nRules, runtime.GOMAXPROCS(0))))
	for k := range all {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			es := slices.DeleteFunc(all[k], func(e entry) bool { return e.id < 0 })
			x.blocks[k] = slices.Clone(es) // the exact size: unused rules take no room
			all[k] = nil
			slices.SortFunc(x.blocks[k], compareEntries)
			<-sem
		}()
	}
	wg.Wait()
	return x
}

func foldKey(k uint64) uint32 { return uint32(k ^ k>>32) }

// Len is the number of records in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.recs)
}

// Record is a copy of the record with the given ID.
func (x *Index) Record(id int) Record {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.recs[id]
}

// Add indexes one more prepared record and gives its ID.
func (x *Index) Add(r Record) int {
	keys, order := blockKeys(&r)
	x.mu.Lock()
	defer x.mu.Unlock()
	id := len(x.recs)
	x.recs = append(x.recs, r)
	for k := range keys {
		if keys[k] == 0 {
			continue
		}
		e := entry{order: order[k], key: foldKey(keys[k]), id: int32(id)}
		r := ruleOf(k)
		i, _ := slices.BinarySearchFunc(x.fresh[r], e, compareEntries)
		x.fresh[r] = slices.Insert(x.fresh[r], i, e)
		if len(x.fresh[r]) > mergeAt {
			x.blocks[r] = mergeEntries(x.blocks[r], x.fresh[r])
			x.fresh[r] = x.fresh[r][:0]
		}
	}
	return id
}

func mergeEntries(a, b []entry) []entry {
	out := make([]entry, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if compareEntries(a[i], b[j]) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Scored is a record of the index compared with the one matched.
type Scored struct {
	ID          int
	Probability float64
	V           Vector
}

// Match finds the indexed records that r, a prepared record, matches under m: the
// candidates of every blocking rule (in a large block, only the Window records on
// either side of where r sorts), each compared once, kept at or above m.Threshold,
// best first, at most limit of them (all when limit <= 0). A record that is
// itself in the index is found too.
func (x *Index) Match(r *Record, m *Model, limit int) []Scored {
	keys, order := blockKeys(r)
	var buf [nKeys * 2 * (2*Window + 1)]int32
	cand := buf[:0]
	x.mu.RLock()
	defer x.mu.RUnlock()
	for k := range keys {
		if keys[k] == 0 {
			continue
		}
		// sorts after records of equal keys, as if added last
		e := entry{order: order[k], key: foldKey(keys[k]), id: math.MaxInt32}
		cand = neighbours(cand, x.blocks[ruleOf(k)], e, window(ruleOf(k)))
		cand = neighbours(cand, x.fresh[ruleOf(k)], e, window(ruleOf(k)))
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	var out []Scored
	for _, id := range cand {
		v, _, _ := Compare(r, &x.recs[id])
		if p := m.Probability(v); p >= m.Threshold {
			out = append(out, Scored{ID: int(id), Probability: p, V: v})
		}
	}
	slices.SortStableFunc(out, func(a, b Scored) int { return cmp.Compare(b.Probability, a.Probability) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// neighbours appends the IDs of the entries of e's block within win places of
// where e sorts: those Candidates pairs with a record that sorts there.
func neighbours(ids []int32, es []entry, e entry, win int) []int32 {
	lo := sort.Search(len(es), func(i int) bool { return es[i].key >= e.key })
	hi := lo + sort.Search(len(es)-lo, func(i int) bool { return es[lo+i].key > e.key })
	block := es[lo:hi]
	at, _ := slices.BinarySearchFunc(block, e, compareEntries)
	for _, n := range block[max(0, at-win):min(len(block), at+win+1)] {
		ids = append(ids, n.id)
	}
	return ids
}
