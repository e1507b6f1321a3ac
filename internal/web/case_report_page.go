package web

import (
	"net/http"
)

// The report behind a case (issue 12, item 2): whoever sees the case reads the reports
// linked to it, and what the reporter added later, under the case's path so that what
// they see follows from the case (tropic.ReportSightFor).

type caseReportPage struct {
	Layout
	CaseReference string
	CaseTitle     string
	CasePath      string
	Reference     string
	StatusLabel   string
	StatusClass   string
	Withheld      bool // the reporter's contact details and staff notes are not shown
	Sections      []summarySection
	Timeline      []triageTimelineEntry
}

// caseReportPath is the page of a report under a case.
func caseReportPath(caseRef, reportRef string) string {
	return casePath(caseRef) + "/reports/" + reportRef
}

// handleCaseReport shows a report linked to the case in the path.
func (s *Server) handleCaseReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		caseRef, ok := caseRefFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		c, rep, err := s.deps.Cases.FindCaseReport(ctx, actorOf(r), caseRef, r.PathValue("report"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		districts, err := s.deps.Reports.FindDistricts(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		agencies, err := s.deps.Agencies.FindAgencies(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		agencyName := map[int64]string{}
		for _, a := range agencies {
			agencyName[a.ID] = a.Name
		}
		p := &caseReportPage{
			Layout:        s.newLayout(r, "Report "+rep.Reference+" on case "+c.Reference),
			CaseReference: c.Reference,
			CaseTitle:     c.Title,
			CasePath:      casePath(c.Reference),
			Reference:     rep.Reference,
			StatusLabel:   rep.Status.Label(),
			StatusClass:   reportStatusTag(rep.Status),
			Withheld:      rep.ContactWithheld,
			Sections:      triageReportSections(rep, districts, s.howHeardLabels(r.Context()), agencyName, s.now(), s.locales.LanguageName(rep.FormLanguage)),
			Timeline:      triageReportTimeline(rep),
		}
		p.Nav = "cases"
		if rep.ContactWithheld && !rep.Reporter.Anonymous {
			about := &p.Sections[len(p.Sections)-1]
			about.Rows[0].Values = append([]string{"Name and contact details withheld: the case is shared with your agency without sensitive fields"}, about.Rows[0].Values...)
		}
		s.render(w, r, http.StatusOK, "case_report", p)
	})
}
