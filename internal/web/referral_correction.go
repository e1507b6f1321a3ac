package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Correcting a Duty to Notify report (issue 19, item 4): a page with the report's
// answers and a reason, and the API's PATCH /referrals/{id}. The agency that made the
// report alone may (tropic.Referral.MayAmendDutyToNotify shows the page);
// the store decides (tropic.Referral.CorrectDutyToNotify).

type referralCorrectPage struct {
	referralFormPage
	Version int
	Reasons []selectOption
}

var referralCorrectFieldOrder = []string{"submitted_on", "gender", "nationality", "age_at_exploitation", "exploitation", "location", "reason"}

// correctionForm is the report's answers as the form shows them.
func correctionForm(ref *tropic.Referral) referralForm {
	f := referralForm{SubmittedOn: ref.SubmittedOn, Gender: string(ref.Gender), Nationality: ref.Nationality,
		AgeAtExploitation: string(ref.AgeAtExploitation), Location: string(ref.Location), CountyLines: ref.Exploitation.CountyLines}
	for _, t := range ref.Exploitation.Types {
		f.Exploitation = append(f.Exploitation, string(t))
	}
	return f
}

func (s *Server) renderReferralCorrect(w http.ResponseWriter, r *http.Request, status int, ref *tropic.Referral, f referralForm, version int, reason string, errs []FieldError) {
	p := &referralCorrectPage{Version: version}
	p.Layout = s.newLayout(r, "Correct a Duty to Notify report")
	p.Nav, p.Errors = "referrals", errs
	p.Caption, p.Heading = referralTitle(ref), "Correct this report"
	p.Action, p.Back, p.Form = referralPath(ref.ID)+"/correct", referralPath(ref.ID), f
	p.SubmittedLabel = "Date the report was made"
	p.fillReferralOptions(true)
	for _, k := range tropic.CorrectionReasons {
		p.Reasons = append(p.Reasons, selectOption{Value: string(k), Label: k.Label(), Selected: reason == string(k)})
	}
	p.Reasons = radioOptions("reason", p.Reasons)
	s.render(w, r, status, "referral_correct", p)
}

func (s *Server) handleReferralCorrectForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		if err := ref.MayAmendDutyToNotify("correct it"); err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderReferralCorrect(w, r, http.StatusOK, ref, correctionForm(ref), ref.Version, "", nil)
	})
}

func (s *Server) handleReferralCorrect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := referralIDFrom(r)
		if !ok || !s.parseForm(w, r) {
			if !ok {
				s.notFound(w, r)
			}
			return
		}
		f := referralFormFrom(r)
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		reason := r.PostFormValue("reason")
		submitted := caseDateInput(f.SubmittedOn)
		gender, age, location := tropic.Gender(f.Gender), tropic.AgeGroup(f.AgeAtExploitation), tropic.ExploitationLocation(f.Location)
		set := exploitationFrom(f.Exploitation, f.CountyLines)
		c := tropic.DutyToNotifyCorrection{Version: version, Reason: tropic.CorrectionReason(reason), SubmittedOn: &submitted, Gender: &gender,
			Nationality: &f.Nationality, AgeAtExploitation: &age, Exploitation: &set, Location: &location}
		err := s.deps.Referrals.CorrectDutyToNotify(r.Context(), actorOf(r), id, c)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "The report has been corrected. Published statistics show the correction in the next release.")
			http.Redirect(w, r, referralPath(id), http.StatusSeeOther)
		case tropic.EINVALID, tropic.ECONFLICT:
			ref := s.loadReferral(w, r)
			if ref == nil {
				return
			}
			status := http.StatusUnprocessableEntity
			if tropic.ErrorCode(err) == tropic.ECONFLICT {
				// What was typed stays; saving again replaces the report as it is now.
				status, err = http.StatusConflict, invalid("submitted_on", tropic.ErrorMessage(err)+" Your answers are below: saving them again replaces the report as it is now.")
				version = ref.Version
			}
			s.renderReferralCorrect(w, r, status, ref, f, version, reason, fieldErrors(err, "", referralCorrectFieldOrder...))
		default:
			s.fail(w, r, err)
		}
	})
}

// apiReferralCorrection is PATCH /referrals/{id}: only the answers given change.
type apiReferralCorrection struct {
	Version           *int      `json:"version"`
	Reason            string    `json:"reason"`
	SubmittedOn       *string   `json:"submitted_on"`
	Gender            *string   `json:"gender"`
	Nationality       *string   `json:"nationality"`
	AgeAtExploitation *string   `json:"age_at_exploitation"`
	ExploitationTypes *[]string `json:"exploitation_types"`
	CountyLines       bool      `json:"county_lines"`
	Location          *string   `json:"location"`
}

func (s *Server) handleAPICorrectReferral() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiReferralCorrection
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		c := tropic.DutyToNotifyCorrection{Version: *in.Version, Reason: tropic.CorrectionReason(in.Reason), SubmittedOn: in.SubmittedOn, Nationality: in.Nationality}
		if in.Gender != nil {
			g := tropic.Gender(*in.Gender)
			c.Gender = &g
		}
		if in.AgeAtExploitation != nil {
			a := tropic.AgeGroup(*in.AgeAtExploitation)
			c.AgeAtExploitation = &a
		}
		if in.ExploitationTypes != nil {
			set := exploitationFrom(*in.ExploitationTypes, in.CountyLines)
			c.Exploitation = &set
		}
		if in.Location != nil {
			l := tropic.ExploitationLocation(*in.Location)
			c.Location = &l
		}
		if err := s.deps.Referrals.CorrectDutyToNotify(r.Context(), apiActor(r), id, c); err != nil {
			s.apiFailNamed(w, r, err, apiReferralFieldNames)
			return
		}
		s.apiWriteReferral(w, r, http.StatusOK, id)
	})
}
