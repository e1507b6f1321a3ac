package web

import (
	"math"
	"unicode"
)

// The labels of a drawn network: each node's kind and name beside it, wrapped on
// two lines rather than cut short, placed where they cover no node and no other
// label, on a white ground so that no line crosses them out.

// wrapWidth is how many characters a line of a label holds before it is wrapped.
const wrapWidth = 22

// wrapLabel breaks a label into at most two lines of about equal length at a
// space, never cutting it: a long agency name cut short can name another agency.
func wrapLabel(s string) []string {
	r := []rune(s)
	if len(r) <= wrapWidth {
		return []string{s}
	}
	best, bestLen := -1, len(r)
	for i, c := range r {
		if c == ' ' {
			if l := max(i, len(r)-i-1); l < bestLen {
				best, bestLen = i, l
			}
		}
	}
	if best < 0 {
		return []string{s}
	}
	return []string{string(r[:best]), string(r[best+1:])}
}

// labelLine is one line of a node's label: its kind in bold, or its name.
type labelLine struct {
	Text string
	Kind bool
}

// The size of label text, to place labels clear of each other: the line heights of
// the kind (12px bold) and the name (14px), and the gaps around them.
const (
	kindLineHeight  = 14.0
	labelLineHeight = 16.0
	kindFontSize    = 12.0
	labelFontSize   = 14.0
	labelGap        = 4.0 // between a node and its label
	labelPad        = 2.0 // the label's white ground beyond its text
	frameInset      = 4.0 // kept clear inside the drawing's frame
)

// glyphWidths are the advances of Helvetica and Arial (and Liberation Sans, which
// stands in for them on Linux) in thousandths of the font size: enough to tell how
// long a label is drawn, to keep it clear of others.
var glyphWidths = func() map[rune]float64 {
	w := map[rune]float64{' ': 278, '-': 333, '.': 278, ',': 278, ':': 278, '(': 333, ')': 333, '+': 584, '@': 1015,
		'&': 667, '\'': 191, '’': 222, '/': 278, '_': 556}
	for _, r := range "0123456789" {
		w[r] = 556
	}
	upper := []float64{667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611}
	lower := []float64{556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500}
	for i := range 26 {
		w[rune('A'+i)], w[rune('a'+i)] = upper[i], lower[i]
	}
	return w
}()

// textWidth is how wide s is drawn at size pixels; bold text is a little wider. A
// letter with an accent is as wide as the letter without it, near enough.
func textWidth(s string, size float64, bold bool) float64 {
	var em float64
	for _, r := range s {
		w, ok := glyphWidths[r]
		switch {
		case ok:
		case unicode.IsUpper(r):
			w = 722
		default:
			w = 556
		}
		em += w
	}
	if bold {
		em *= 1.08
	}
	return em / 1000 * size
}

// box is a rectangle in the drawing.
type box struct{ X0, Y0, X1, Y1 float64 }

func (a box) overlaps(b box) bool { return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1 }

// distance is how far p is from the box: 0 inside it.
func (a box) distance(p point) float64 {
	dx := math.Max(0, math.Max(a.X0-p.X, p.X-a.X1))
	dy := math.Max(0, math.Max(a.Y0-p.Y, p.Y-a.Y1))
	return math.Hypot(dx, dy)
}

// nodeExtent is half the width and height of a kind's shape, with its outline.
func nodeExtent(kind string, stacked bool) (float64, float64) {
	r := nodeRadius
	hw, hh := r, r
	switch kind {
	case "case":
		hw, hh = 0.9*r, 0.9*r
	case "report":
		hw, hh = 1.2*r, 1.2*r
	case "phone":
		hw, hh = 1.1*r, 1.15*r
	case "vehicle":
		hw, hh = 1.35*r, 0.7*r
	case "place":
		hw, hh = r, 1.1*r
	case "business":
		hw, hh = 1.1*r, 0.95*r
	case "email":
		hw, hh = 1.2*r, 0.8*r
	}
	hw, hh = hw+3, hh+3 // the thick outline of the root
	if stacked {
		hw, hh = hw+stackOffset, hh+stackOffset
	}
	return hw, hh
}

// placedLabel is a label where it is drawn: lines from top, anchored at x.
type placedLabel struct {
	Node   int
	X, Top float64
	Width  float64
	Anchor string // "middle", "start" or "end"
	Lines  []labelLine
}

// ground is the white ground beneath a placed label.
func (l placedLabel) ground() box {
	var h float64
	for _, line := range l.Lines {
		h += labelLineHeight
		if line.Kind {
			h += kindLineHeight - labelLineHeight
		}
	}
	x0 := l.X - l.Width/2
	switch l.Anchor {
	case "start":
		x0 = l.X
	case "end":
		x0 = l.X - l.Width
	}
	return box{x0 - labelPad, l.Top - labelPad, x0 + l.Width + labelPad, l.Top + h + labelPad}
}

// placeLabels puts each node's label at the first of below, above, right and left
// of it (then at its corners) where it overlaps no node and no label placed
// before, inside the frame; a label with no such place is left out (the node's
// title and the table name it). order says which nodes are labelled first; the
// first far of them may also be set a little further off when the near places
// are taken.
func placeLabels(pos []point, w, h float64, kinds []string, stacked []bool, lines [][]labelLine, order []int, far int) []placedLabel {
	nodes := make([]box, len(pos))
	for i, p := range pos {
		hw, hh := nodeExtent(kinds[i], stacked[i])
		nodes[i] = box{p.X - hw, p.Y - hh, p.X + hw, p.Y + hh}
	}
	frame := box{frameInset, frameInset, w - frameInset, h - frameInset}
	var placed []box
	var out []placedLabel
	for k, i := range order {
		if len(lines[i]) == 0 {
			continue
		}
		var bw, bh float64
		for _, l := range lines[i] {
			if l.Kind {
				bw, bh = math.Max(bw, textWidth(l.Text, kindFontSize, true)), bh+kindLineHeight
			} else {
				bw, bh = math.Max(bw, textWidth(l.Text, labelFontSize, false)), bh+labelLineHeight
			}
		}
		p, n := pos[i], nodes[i]
		var candidates []placedLabel
		gaps := []float64{labelGap}
		if k < far {
			gaps = append(gaps, labelGap+10, labelGap+22)
		}
		for _, gap := range gaps {
			below, above := n.Y1+gap+labelPad, n.Y0-gap-labelPad-bh
			candidates = append(candidates,
				placedLabel{X: p.X, Top: below, Anchor: "middle"},
				placedLabel{X: p.X, Top: above, Anchor: "middle"},
				placedLabel{X: n.X1 + gap + labelPad, Top: p.Y - bh/2, Anchor: "start"},
				placedLabel{X: n.X0 - gap - labelPad, Top: p.Y - bh/2, Anchor: "end"},
				placedLabel{X: p.X, Top: below, Anchor: "start"},
				placedLabel{X: p.X, Top: below, Anchor: "end"},
				placedLabel{X: p.X, Top: above, Anchor: "start"},
				placedLabel{X: p.X, Top: above, Anchor: "end"},
			)
		}
		for _, c := range candidates {
			b := box{c.X - bw/2, c.Top, c.X + bw/2, c.Top + bh}
			switch c.Anchor {
			case "start":
				b.X0, b.X1 = c.X, c.X+bw
			case "end":
				b.X0, b.X1 = c.X-bw, c.X
			}
			c.Width = bw
			b = box{b.X0 - labelPad, b.Y0 - labelPad, b.X1 + labelPad, b.Y1 + labelPad}
			if b.X0 < frame.X0 || b.Y0 < frame.Y0 || b.X1 > frame.X1 || b.Y1 > frame.Y1 {
				continue
			}
			// Clear of every other node, and nearer its own than any other, so that
			// it is read as its own node's label.
			clear := true
			own := b.distance(p)
			for j, o := range nodes {
				if j != i && (b.overlaps(o) || b.distance(pos[j]) < own) {
					clear = false
					break
				}
			}
			for _, o := range placed {
				if clear && b.overlaps(o) {
					clear = false
				}
			}
			if clear {
				c.Node, c.Lines = i, lines[i]
				placed = append(placed, b)
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// A node joined to busyDegree others or more is busy: the layout keeps busyRoom
// more clear around it, and it is labelled early.
const (
	busyDegree = 4
	busyRoom   = 64.0
)

// labelPriority orders the labelling: the root, then collapsed nodes, then the
// records joined to several others (the busiest first), the rest, and records the
// user may not see last.
func labelPriority(n netNode, degree int) int {
	switch {
	case n.Root:
		return 0
	case n.Count > 1:
		return 1
	case !n.Visible:
		return 4
	case degree >= busyDegree:
		return 2
	}
	return 3
}

// textLines are lines of a name.
func textLines(texts []string) []labelLine {
	out := make([]labelLine, len(texts))
	for i, t := range texts {
		out[i] = labelLine{Text: t}
	}
	return out
}
