package linkage

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"tropic/internal/tropic"
)

// Names holds the families of given names read from files: familiar forms
// (Katarzyna, Kasia) and transliteration families (Mohammed, Muhammad), each
// with the name it is told by. Names are looked up folded and romanised, and by
// their consonant skeleton when not found so.
type Names struct {
	byName, bySkel map[string]famSet
	canon          []string // a family's name, by ID-1
	canonSkel      []string // its skeleton
	familiar       []bool   // a family of familiar forms (else of transliterations)
}

// famSet holds up to three family IDs (ID 0: none).
type famSet [3]uint16

func (s *famSet) add(id uint16) {
	for i := range s {
		if s[i] == id {
			return
		}
		if s[i] == 0 {
			s[i] = id
			return
		}
	}
}

// common gives a family both sets hold, 0 when none.
func (s famSet) common(t famSet) uint16 {
	for _, a := range s {
		if a == 0 {
			break
		}
		for _, b := range t {
			if a == b {
				return a
			}
		}
	}
	return 0
}

// DefaultNames are the families in names/familiar.txt and names/variants.txt,
// read once (the files are embedded and never change).
var DefaultNames = sync.OnceValue(func() *Names {
	n := &Names{byName: map[string]famSet{}, bySkel: map[string]famSet{}}
	if err := n.Read(nameFiles, "names"); err != nil {
		panic("linkage: " + err.Error()) // embedded and tested
	}
	return n
})

// Read adds the families of the files familiar*.txt and variants*.txt in dir of
// fsys: lines "Name: form form ...", # comments.
func (n *Names) Read(fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		familiar := strings.HasPrefix(name, "familiar")
		if e.IsDir() || !strings.HasSuffix(name, ".txt") || !familiar && !strings.HasPrefix(name, "variants") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			head, forms, ok := strings.Cut(line, ":")
			if !ok || strings.TrimSpace(head) == "" || len(strings.Fields(forms)) == 0 {
				return fmt.Errorf("%s line %d: want \"Name: form form ...\", got %q", name, i+1, line)
			}
			if err := n.add(strings.TrimSpace(head), strings.Fields(forms), familiar); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// add adds one family: its name and other forms.
func (n *Names) add(head string, forms []string, familiar bool) error {
	if len(n.canon) >= 1<<16-1 {
		return fmt.Errorf("more than 65,535 families")
	}
	n.canon = append(n.canon, head)
	n.canonSkel = append(n.canonSkel, Skeleton(NormaliseName(head)))
	n.familiar = append(n.familiar, familiar)
	id := uint16(len(n.canon))
	for _, f := range append([]string{head}, forms...) {
		key := strings.ReplaceAll(NormaliseName(f), " ", "")
		if key == "" {
			continue
		}
		s := n.byName[key]
		s.add(id)
		n.byName[key] = s
		if sk := Skeleton(key); len(sk) >= 3 {
			s := n.bySkel[sk]
			s.add(id)
			n.bySkel[sk] = s
		}
	}
	return nil
}

// WithEntries is the families of the files (DefaultNames) and of a partnership
// administrator's entries (tropic.NameEntry) together: a new Names, n unchanged.
func (n *Names) WithEntries(entries []tropic.NameEntry) (*Names, error) {
	out := &Names{byName: maps.Clone(n.byName), bySkel: maps.Clone(n.bySkel), canon: slices.Clone(n.canon),
		canonSkel: slices.Clone(n.canonSkel), familiar: slices.Clone(n.familiar)}
	for _, e := range entries {
		if err := out.add(e.Name, e.Forms, e.List == tropic.NameListFamiliar); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// families of a folded name (its words run together) and its skeleton.
func (n *Names) families(name, skel string) famSet {
	if s, ok := n.byName[name]; ok {
		return s
	}
	if len(skel) >= 3 {
		return n.bySkel[skel]
	}
	return famSet{}
}

// canonical is the skeleton blocking uses for a name: its first family's name's
// skeleton when it has one, so that Kasia and Katarzyna block together.
func (n *Names) canonical(f famSet, skel string) string {
	if f[0] == 0 {
		return skel
	}
	return n.canonSkel[f[0]-1]
}
