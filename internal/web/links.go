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
}

// linkRows turns links into rows. The triage hub may open reports; a case the user
// may see opens on its page.
func linkRows(links []tropic.Link, triage bool) []linkRow {
	var out []linkRow
	for _, l := range links {
		label := l.Kind.Label()
		row := linkRow{What: string(label[0]-'a'+'A') + label[1:] + " " + l.Value, HeldBy: l.HeldBy}
		switch {
		case l.Visible && l.CaseRef != "":
			row.Text, row.Href = l.CaseRef+": "+l.Title, casePath(l.CaseRef)
		case l.Visible && l.ReportRef != "":
			row.Text = "Report " + l.ReportRef
			if triage {
				row.Href = triageReportPath(l.ReportRef)
			}
		}
		out = append(out, row)
	}
	return out
}

// caseLinks finds the links of a case; without a link service, none.
func (s *Server) caseLinks(ctx context.Context, actor tropic.Actor, ref string, triage bool) ([]linkRow, bool, error) {
	if s.deps.Links == nil {
		return nil, false, nil
	}
	links, err := s.deps.Links.FindLinks(ctx, actor, ref)
	return linkRows(links, triage), true, err
}

// reportLinks finds the links of a report; without a link service, none.
func (s *Server) reportLinks(ctx context.Context, actor tropic.Actor, ref string, triage bool) ([]linkRow, bool, error) {
	if s.deps.Links == nil {
		return nil, false, nil
	}
	links, err := s.deps.Links.FindReportLinks(ctx, actor, ref)
	return linkRows(links, triage), true, err
}
