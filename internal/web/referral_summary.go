package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"tropic/internal/tropic"
)

// The referral summary: what the first responder needs to fill the Home Office's
// online NRM form, in the form's order, so that the referral can be made in one
// sitting. A printable page and the same as a PDF.

type referralSummaryPage struct {
	Layout
	Heading  string
	Path     string
	Intro    string
	Sections []summarySection
}

// referralSummary lays out the summary of ref for user. For an NRM referral it reads
// the person's details from the case; a Duty to Notify report has none to read.
func (s *Server) referralSummary(r *http.Request, ref *tropic.Referral) ([]summarySection, error) {
	u := userFrom(r.Context())
	orNot := func(v string) []string {
		if ps := paragraphs(v); len(ps) > 0 {
			return ps
		}
		return []string{"Not recorded"}
	}
	responder := []summaryRow{
		{"First responder organisation", []string{ref.AgencyName}},
		{"Your name", []string{u.Name}},
		{"Your email address", []string{u.Email}},
	}
	if ref.CaseReference != "" {
		responder = append(responder, summaryRow{"Tropic case", []string{ref.CaseReference}})
	}
	responder = append(responder, summaryRow{"Tropic referral", []string{strconv.FormatInt(ref.ID, 10)}})

	var person []summaryRow
	if ref.Route == tropic.RouteDtN {
		person = []summaryRow{
			{"Personal details", []string{"None: a Duty to Notify report must not identify the person (Modern Slavery Act 2015 s.52(3))"}},
			{"Age", []string{ageGroupText(ref)}},
			{"Age at exploitation", []string{ageAtExploitationText(ref)}},
			{"Gender", orNot(genderLabel(ref.Gender))},
			{"Nationality", orNot(ref.Nationality)},
		}
	} else {
		person = []summaryRow{{"Name", orNot(ref.PersonName)}}
		if ref.PersonID != 0 {
			pe, _, err := s.deps.Cases.FindPerson(r.Context(), actorOf(r), ref.PersonID)
			switch tropic.ErrorCode(err) {
			case "":
				// What the referral recorded comes first: the person's record may have
				// changed since, or not hold it.
				p := *pe
				p.Gender, p.Nationality = tropic.Gender(cmp.Or(string(ref.Gender), string(pe.Gender))), cmp.Or(ref.Nationality, pe.Nationality)
				person = summaryPersonRows(&p)
			case tropic.ENOTFOUND:
				// The case is no longer visible: the name is all the referral holds.
			default:
				return nil, err
			}
		}
		person = append(person, summaryRow{"Age", []string{ageGroupText(ref)}}, summaryRow{"Age at exploitation", []string{ageAtExploitationText(ref)}})
	}

	identified := []string{"Not recorded on a Duty to Notify report"}
	if ref.Route == tropic.RouteNRM {
		identified = orNot(ref.Notes)
	}
	var support []summaryRow
	switch {
	case ref.Route == tropic.RouteDtN:
		support = []summaryRow{{"Support", []string{"None: the person is not referred for support"}}}
	case ref.AgeGroup == tropic.AgeChild:
		ictg := "No"
		if ref.ICTG {
			ictg = "Yes"
		}
		support = []summaryRow{{"Children’s services", orNot(ref.ChildrensServices)}, {"Independent Child Trafficking Guardian appointed", []string{ictg}}}
	default:
		support = []summaryRow{{"Support provider", orNot(ref.SupportProvider)}}
	}
	crime := []string{"None yet: the police have a task to record the crime"}
	if ref.CrimeReference != "" {
		crime = []string{ref.CrimeReference}
	} else if ref.Route == tropic.RouteDtN {
		crime = []string{"Not recorded on a Duty to Notify report"}
	}
	authority := []summaryRow{{"Competent authority", orNot(competentAuthorityLabel(ref.CompetentAuthority))},
		{"Home Office reference", orNot(ref.HomeOfficeReference)}}
	if ref.Route == tropic.RouteDtN {
		authority = []summaryRow{{"Competent authority", []string{"None: a notification gets no decision"}}}
	}
	return []summarySection{
		{"1. First responder details", responder},
		{"2. Potential victim details", person},
		{"3. Exploitation", []summaryRow{
			{"Types of exploitation", []string{exploitationText(ref.Exploitation)}},
			{"Where the exploitation took place", orNot(exploitationLocationLabel(ref.Location))},
		}},
		{"4. How they were identified", []summaryRow{{"What happened", identified}}},
		{"5. Consent", []summaryRow{{"Consent", []string{consentText(ref)}}, {"Date submitted", []string{caseDate(ref.SubmittedOn)}}}},
		{"6. Support needs", support},
		{"7. Crime reference", []summaryRow{{"Crime reference", crime}}},
		{"8. Competent authority", authority},
	}, nil
}

// summaryPersonRows are the person's details the Home Office form asks for.
func summaryPersonRows(pe *tropic.Person) []summaryRow {
	orNot := func(v string) []string {
		if v == "" {
			return []string{"Not recorded"}
		}
		return []string{v}
	}
	dob := "Not recorded"
	switch {
	case pe.DateOfBirth != "":
		dob = caseDate(pe.DateOfBirth)
	case pe.ApproxAge > 0:
		dob = fmt.Sprintf("Not known: about %d years old", pe.ApproxAge)
	}
	immigration := []string{"Not shared with your agency"}
	if !pe.SensitiveHidden {
		immigration = orNot(pe.ImmigrationStatus)
	}
	return []summaryRow{
		{"Name", orNot(pe.FullName())},
		{"Other names", orNot(strings.Join(pe.Aliases, ", "))},
		{"Date of birth", []string{dob}},
		{"Gender", orNot(genderLabel(pe.Gender))},
		{"Nationality", orNot(pe.Nationality)},
		{"Languages", orNot(pe.Languages)},
		{"Phone", orNot(pe.Phone)},
		{"Email", orNot(pe.Email)},
		{"Immigration status", immigration},
	}
}

func summaryIntro(ref *tropic.Referral) string {
	if ref.Route == tropic.RouteDtN {
		return "Everything you need to make the Duty to Notify report (form MS1) on the Home Office’s online form, in the form’s order."
	}
	return "Everything you need to make the referral on the Home Office’s online NRM form, in the form’s order, so that you can make it in one sitting."
}

// handleReferralSummary shows the printable summary.
func (s *Server) handleReferralSummary() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		sections, err := s.referralSummary(r, ref)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &referralSummaryPage{Layout: s.newLayout(r, "Summary of "+referralTitle(ref)), Heading: "Summary of " + referralTitle(ref),
			Path: referralPath(ref.ID), Intro: summaryIntro(ref), Sections: sections}
		p.Nav = "referrals"
		p.PrintOnly = true
		s.render(w, r, http.StatusOK, "referral_summary", p)
	})
}

// handleReferralSummaryPDF sends the summary as a PDF to download. It holds personal
// data: never cached.
func (s *Server) handleReferralSummaryPDF() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		sections, err := s.referralSummary(r, ref)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b, err := summaryPDF("Summary of "+referralTitle(ref), summaryIntro(ref), s.cfg.PartnershipName, sections)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="referral-%d-summary.pdf"`, ref.ID))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
}

// summaryPDF writes the sections as an A4 PDF. The core fonts take Windows-1252:
// text is translated, and a character outside it prints as a question mark.
// Compression is off: the summary is small, and its text stays searchable.
func summaryPDF(title, intro, partnership string, sections []summarySection) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetCreator("Tropic, "+partnership, true)
	pdf.SetCompression(false)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s. Official sensitive: personal data. Page %d", partnership, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(0, 8, tr(title), "", "L", false)
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr(intro), "", "L", false)
	pdf.Ln(3)
	const keyW = 62
	for _, sec := range sections {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.MultiCell(0, 7, tr(sec.Title), "B", "L", false)
		pdf.Ln(1)
		for _, row := range sec.Rows {
			y := pdf.GetY()
			pdf.SetFont("Helvetica", "B", 10)
			pdf.MultiCell(keyW, 5, tr(row.Key), "", "L", false)
			keyEnd := pdf.GetY()
			page := pdf.PageNo()
			pdf.SetY(y)
			pdf.SetX(18 + keyW)
			pdf.SetFont("Helvetica", "", 10)
			pdf.MultiCell(0, 5, tr(strings.Join(row.Values, "\n")), "", "L", false)
			if pdf.PageNo() == page && keyEnd > pdf.GetY() {
				pdf.SetY(keyEnd)
			}
			pdf.Ln(1)
		}
		pdf.Ln(3)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write summary pdf: %w", err)
	}
	return buf.Bytes(), nil
}
