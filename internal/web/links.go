package web

import (
	"context"

	"tropic/internal/tropic"
)

// linkRow is one exact link as the page shows it: a record the user may open, or a
// notice that a record held by another agency matches (need to know: nothing else).
type linkRow struct {
	What   string // "Phone number 07700 900123"
	Text   string // "C-…: title" or "Report …"; "" for a notice
	Href   string
	HeldBy string
	Ask    string // a notice of a case: where to ask its holder for access
	// Withdrawn: the link held until the other record was corrected; what to say of it.
	Withdrawn string
}

// linkRows turns links into rows. The triage hub may open reports; a case the user
// may see opens on its page; of a case they may not see, askFrom (the user's own
// case, "" for none) offers to ask its holder for access.
func linkRows(links []tropic.Link, triage bool, askFrom string) []linkRow {
	var out []linkRow
	for _, l := range links {
		label := l.Kind.Label()
		row := linkRow{What: string(label[0]-'a'+'A') + label[1:] + " " + l.Value, HeldBy: l.HeldBy}
		switch {
		case l.Withdrawn:
			row.Withdrawn = withdrawnText(l)
		case l.Visible && l.CaseRef != "":
			row.Text, row.Href = l.CaseRef+": "+l.Title, casePath(l.CaseRef)
		case l.Visible && l.ReportRef != "":
			row.Text = "Report " + l.ReportRef
			if triage {
				row.Href = triageReportPath(l.ReportRef)
			}
		case !l.Visible && l.HeldByID != 0 && askFrom != "":
			row.Ask = accessRequestPath(askFrom, l.Kind, l.Value, l.HeldByID)
		}
		out = append(out, row)
	}
	return out
}

// linkGroupInline is how many entries a group of links lists on its own line;
// more are folded into a <details>.
const linkGroupInline = 3

// linkGroup is the other records that share one identifier: those the user may
// see, each once, then those they may not, as a count per agency holding them.
type linkGroup struct {
	What    string // "Business name Lotus Massage Studio"
	Records int    // how many other records share it
	Entries []linkEntry
	Folded  bool // more than linkGroupInline entries
	// Withdrawn are links this identifier made until the other record was corrected.
	Withdrawn []string
}

// linkEntry is a record the user may see (linked if they may open it), or "3
// records held by X"; Sep is what goes before it on one line (", ", " and ").
type linkEntry struct {
	Text, Href, Sep string
	Ask             string // a hidden case: where to ask its holder for access
}

// groupLinks puts the links of a record under the identifier they share, in the
// order the identifiers first appear: one line per identifier however many
// records share it.
func groupLinks(rows []linkRow) []linkGroup {
	var out []linkGroup
	at := map[string]int{}
	type held struct {
		agency string
		n      int
		ask    string
	}
	hidden := map[string][]held{}
	seen := map[string]bool{}
	for _, r := range rows {
		i, ok := at[r.What]
		if !ok {
			i = len(out)
			at[r.What] = i
			out = append(out, linkGroup{What: r.What})
		}
		if r.Withdrawn != "" {
			out[i].Withdrawn = append(out[i].Withdrawn, r.Withdrawn)
			continue
		}
		if r.Text == "" {
			hs := hidden[r.What]
			j := 0
			for j < len(hs) && hs[j].agency != r.HeldBy {
				j++
			}
			if j == len(hs) {
				hs = append(hs, held{agency: r.HeldBy, ask: r.Ask})
			}
			hs[j].n++
			hidden[r.What] = hs
			out[i].Records++
			continue
		}
		if k := r.What + "\x00" + r.Text; !seen[k] {
			seen[k] = true
			out[i].Entries = append(out[i].Entries, linkEntry{Text: r.Text, Href: r.Href})
			out[i].Records++
		}
	}
	for i := range out {
		g := &out[i]
		for _, h := range hidden[g.What] {
			g.Entries = append(g.Entries, linkEntry{Text: plural(h.n, "record", "records") + " held by " + heldByText(h.agency), Ask: h.ask})
		}
		for j := range g.Entries {
			switch {
			case j == 0:
			case j == len(g.Entries)-1:
				g.Entries[j].Sep = " and "
			default:
				g.Entries[j].Sep = ", "
			}
		}
		g.Folded = len(g.Entries) > linkGroupInline
	}
	return out
}

// caseLinks finds the links of a case; without a link service, none.
func (s *Server) caseLinks(ctx context.Context, actor tropic.Actor, ref string, triage bool) ([]linkGroup, bool, error) {
	if s.deps.Links == nil {
		return nil, false, nil
	}
	links, err := s.deps.Links.FindLinks(ctx, actor, ref)
	askFrom := ""
	if s.deps.Access != nil {
		askFrom = ref
	}
	return groupLinks(linkRows(links, triage, askFrom)), true, err
}

// reportLinks finds the links of a report, grouped and as found; without a link
// service, none.
func (s *Server) reportLinks(ctx context.Context, actor tropic.Actor, ref string, triage bool) ([]linkGroup, []tropic.Link, bool, error) {
	if s.deps.Links == nil {
		return nil, nil, false, nil
	}
	links, err := s.deps.Links.FindReportLinks(ctx, actor, ref)
	return groupLinks(linkRows(links, triage, "")), links, true, err
}

// linkChoice is a record a report matches, offered as a one-click decision.
type linkChoice struct {
	Ref, Label string
}

// reportLinkChoices are, of a report's links, the cases of the actor's agency (to
// add the report to) and the other reports (to mark it a duplicate of), each once,
// in the order found. Withdrawn links and records the actor may not see are left
// out: the decision could not name them.
func reportLinkChoices(links []tropic.Link, agencyID int64) (cases, reports []linkChoice) {
	seen := map[string]bool{}
	for _, l := range links {
		switch {
		case l.Withdrawn || !l.Visible:
		case l.CaseRef != "" && l.HeldByID == agencyID && !seen[l.CaseRef]:
			seen[l.CaseRef] = true
			cases = append(cases, linkChoice{Ref: l.CaseRef, Label: l.CaseRef + ": " + l.Title})
		case l.ReportRef != "" && !seen[l.ReportRef]:
			seen[l.ReportRef] = true
			reports = append(reports, linkChoice{Ref: l.ReportRef, Label: "Report " + l.ReportRef})
		}
	}
	return cases, reports
}

// withdrawnText says of a withdrawn link which record it was to, as far as the user
// may know it, when and why it was withdrawn.
func withdrawnText(l tropic.Link) string {
	to := "a record held by " + heldByText(l.HeldBy)
	if l.Visible && l.CaseRef != "" {
		to = l.CaseRef + ": " + l.Title
	}
	return "the link to " + to + " was withdrawn on " + displayDateTime(l.WithdrawnAt) + " (" + tropic.WithdrawnLabel(l.WithdrawnWhy) + ")"
}
