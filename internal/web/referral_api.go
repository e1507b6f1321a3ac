package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The referrals API: NRM referrals and Duty to Notify reports as JSON. The referral
// service decides who may see and do what (the consent gate, first responders, need
// to know); a referral the token's user may not see answers exactly as a missing one.
// A Duty to Notify report never carries a person: the store holds none.

// apiReferralStatuses are the values of tropic.Referral.Status.
var apiReferralStatuses = tropic.ReferralStatuses

// apiReferralDecisionKinds are the kinds of tropic.ReferralDecision.
var apiReferralDecisionKinds = []string{"rg", "cg", "reconsideration_requested", "reconsideration_decided", "withdrawn", "disqualified"}

// apiDeadline is a referral's next deadline and how long it has waited.
type apiDeadline struct {
	What        string `json:"what"`
	Due         string `json:"due"` // YYYY-MM-DD
	Overdue     bool   `json:"overdue"`
	DaysWaiting int    `json:"days_waiting"`
}

// apiReferralSummary is a referral as lists show it.
type apiReferralSummary struct {
	ID                int64         `json:"id"`
	Route             string        `json:"route"`
	Status            string        `json:"status"`
	CaseReference     string        `json:"case_reference,omitempty"`
	PersonID          int64         `json:"person_id,omitempty"`
	PersonName        string        `json:"person_name,omitempty"`
	Agency            agencySummary `json:"agency"`
	AgeGroup          string        `json:"age_group"`
	SubmittedOn       string        `json:"submitted_on"`
	ExploitationTypes []string      `json:"exploitation_types"`
	ExploitationLabel string        `json:"exploitation_label"`
	RGDate            string        `json:"rg_date,omitempty"`
	RGOutcome         string        `json:"rg_outcome,omitempty"`
	CGDate            string        `json:"cg_date,omitempty"`
	CGOutcome         string        `json:"cg_outcome,omitempty"`
	NextDeadline      *apiDeadline  `json:"next_deadline,omitempty"`
	Version           int           `json:"version"`
}

// apiReferral is one referral with everything on it.
type apiReferral struct {
	apiReferralSummary
	PossiblyChild            bool      `json:"possibly_child"`
	AgeAtExploitation        string    `json:"age_at_exploitation"`
	Consent                  bool      `json:"consent"`
	ConsentAt                string    `json:"consent_at,omitempty"`
	CountyLines              bool      `json:"county_lines"`
	Location                 string    `json:"location,omitempty"`
	Gender                   string    `json:"gender,omitempty"`
	Nationality              string    `json:"nationality,omitempty"`
	CompetentAuthority       string    `json:"competent_authority,omitempty"`
	HomeOfficeReference      string    `json:"home_office_reference,omitempty"`
	CrimeReference           string    `json:"crime_reference,omitempty"`
	SupportProvider          string    `json:"support_provider,omitempty"`
	ChildrensServices        string    `json:"childrens_services,omitempty"`
	ICTG                     bool      `json:"ictg"`
	Notes                    string    `json:"notes,omitempty"`
	ReconsiderationRequested string    `json:"reconsideration_requested,omitempty"`
	ReconsiderationDecided   string    `json:"reconsideration_decided,omitempty"`
	ReconsiderationOutcome   string    `json:"reconsideration_outcome,omitempty"`
	WithdrawnOn              string    `json:"withdrawn_on,omitempty"`
	DisqualifiedOn           string    `json:"disqualified_on,omitempty"`
	CreatedAt                time.Time `json:"created_at"`
}

type apiReferralList struct {
	Total     int                  `json:"total"`
	Referrals []apiReferralSummary `json:"referrals"`
}

// apiDecisionTimes are decision times in calendar days.
type apiDecisionTimes struct {
	Referrals    int     `json:"referrals"`
	RGDecided    int     `json:"rg_decided"`
	RGMedianDays float64 `json:"rg_median_days"`
	RGP90Days    float64 `json:"rg_p90_days"`
	CGDecided    int     `json:"cg_decided"`
	CGMedianDays float64 `json:"cg_median_days"`
	CGP90Days    float64 `json:"cg_p90_days"`
}

type apiReferralFigures struct {
	Agency      apiDecisionTimes `json:"agency"`
	Partnership apiDecisionTimes `json:"partnership"`
}

// Request bodies.

type apiReferralInput struct {
	AgeGroup            string   `json:"age_group"`
	PossiblyChild       bool     `json:"possibly_child"`
	AgeAtExploitation   string   `json:"age_at_exploitation"`
	Consent             bool     `json:"consent"`
	ConsentAt           string   `json:"consent_at"`
	SubmittedOn         string   `json:"submitted_on"`
	ExploitationTypes   []string `json:"exploitation_types"`
	CountyLines         bool     `json:"county_lines"`
	Location            string   `json:"location"`
	Gender              string   `json:"gender"`
	Nationality         string   `json:"nationality"`
	CompetentAuthority  string   `json:"competent_authority"`
	HomeOfficeReference string   `json:"home_office_reference"`
	CrimeReference      string   `json:"crime_reference"`
	SupportProvider     string   `json:"support_provider"`
	ChildrensServices   string   `json:"childrens_services"`
	ICTG                bool     `json:"ictg"`
	Notes               string   `json:"notes"`
}

func (in *apiReferralInput) referral() *tropic.Referral {
	r := &tropic.Referral{AgeGroup: tropic.AgeGroup(in.AgeGroup), PossiblyChild: in.PossiblyChild, Consent: in.Consent,
		AgeAtExploitation: tropic.AgeGroup(in.AgeAtExploitation),
		ConsentAt:         in.ConsentAt, SubmittedOn: in.SubmittedOn, Location: tropic.ExploitationLocation(in.Location),
		Gender: tropic.Gender(in.Gender), Nationality: in.Nationality, CompetentAuthority: tropic.CompetentAuthority(in.CompetentAuthority),
		HomeOfficeReference: in.HomeOfficeReference, CrimeReference: in.CrimeReference, SupportProvider: in.SupportProvider,
		ChildrensServices: in.ChildrensServices, ICTG: in.ICTG, Notes: in.Notes}
	r.Exploitation.CountyLines = in.CountyLines
	for _, t := range in.ExploitationTypes {
		r.Exploitation.Types = append(r.Exploitation.Types, tropic.ExploitationType(t))
	}
	return r
}

type apiReferralDecisionInput struct {
	Kind    string `json:"kind"`
	Date    string `json:"date"`
	Outcome string `json:"outcome"`
	Version *int   `json:"version"`
}

// apiReferralFieldNames maps the domain's field names to the API's JSON names.
var apiReferralFieldNames = map[string]string{"exploitation": "exploitation_types", "agency": "agency", "person": "link"}

// Encoding.

func apiDeadlineFrom(d tropic.Deadline) *apiDeadline {
	if d.Due.IsZero() {
		return nil
	}
	return &apiDeadline{What: d.What, Due: d.Due.Format(time.DateOnly), Overdue: d.Overdue, DaysWaiting: d.DaysWaiting}
}

func apiReferralSummaryFrom(r *tropic.Referral, d tropic.Deadline) apiReferralSummary {
	out := apiReferralSummary{ID: r.ID, Route: string(r.Route), Status: r.Status(), Agency: agencySummary{ID: r.AgencyID, Name: r.AgencyName},
		AgeGroup: string(r.AgeGroup), SubmittedOn: r.SubmittedOn, ExploitationTypes: []string{}, ExploitationLabel: r.Exploitation.Label(),
		RGDate: r.RGDate, RGOutcome: r.RGOutcome, CGDate: r.CGDate, CGOutcome: r.CGOutcome, NextDeadline: apiDeadlineFrom(d), Version: r.Version}
	if r.Route == tropic.RouteNRM { // s.52(3): a DtN report names no one, even if a store slipped
		out.CaseReference, out.PersonID, out.PersonName = r.CaseReference, r.PersonID, r.PersonName
	}
	for _, t := range r.Exploitation.Types {
		out.ExploitationTypes = append(out.ExploitationTypes, string(t))
	}
	return out
}

func apiReferralFrom(r *tropic.Referral, d tropic.Deadline) *apiReferral {
	out := &apiReferral{apiReferralSummary: apiReferralSummaryFrom(r, d), PossiblyChild: r.PossiblyChild, Consent: r.Consent,
		AgeAtExploitation: string(r.AgeAtExploitation), ConsentAt: r.ConsentAt, CountyLines: r.Exploitation.CountyLines, Location: string(r.Location), Gender: string(r.Gender),
		Nationality: r.Nationality, CompetentAuthority: string(r.CompetentAuthority), HomeOfficeReference: r.HomeOfficeReference,
		CrimeReference: r.CrimeReference, SupportProvider: r.SupportProvider, ChildrensServices: r.ChildrensServices, ICTG: r.ICTG,
		ReconsiderationRequested: r.ReconsiderationRequested, ReconsiderationDecided: r.ReconsiderationDecided,
		ReconsiderationOutcome: r.ReconsiderationOutcome, WithdrawnOn: r.WithdrawnOn, DisqualifiedOn: r.DisqualifiedOn, CreatedAt: r.CreatedAt}
	if r.Route == tropic.RouteNRM {
		out.Notes = r.Notes
	}
	return out
}

func apiDecisionTimesFrom(f tropic.ReferralFigures) apiDecisionTimes {
	return apiDecisionTimes{Referrals: f.Referrals, RGDecided: f.RGDecided, RGMedianDays: f.RGMedianDays, RGP90Days: f.RGP90Days,
		CGDecided: f.CGDecided, CGMedianDays: f.CGMedianDays, CGP90Days: f.CGP90Days}
}

// apiReferralDeadlines returns a function giving each referral's next deadline today,
// on the England and Wales calendar with the one-off changes the store holds.
func (s *Server) apiReferralDeadlines(ctx context.Context) (func(*tropic.Referral) tropic.Deadline, error) {
	changes, err := s.deps.Referrals.HolidayChanges(ctx)
	if err != nil {
		return nil, err
	}
	cal, now := tropic.NewCalendar(changes), s.now()
	return func(r *tropic.Referral) tropic.Deadline {
		return r.NextDeadline(cal, now, s.cfg.Recovery.For)
	}, nil
}

// apiWriteReferral reads the referral back for the viewer, as it now stands.
func (s *Server) apiWriteReferral(w http.ResponseWriter, r *http.Request, status int, id int64) {
	ref, err := s.deps.Referrals.FindReferral(r.Context(), apiActor(r), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	deadline, err := s.apiReferralDeadlines(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/referrals/"+strconv.FormatInt(ref.ID, 10))
	}
	writeJSON(w, status, apiReferralFrom(ref, deadline(ref)))
}

// Handlers.

func (s *Server) handleAPIListReferrals() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var bad tropic.Problems
		f := tropic.ReferralFilter{Status: q.Get("status"), Route: tropic.Route(q.Get("route"))}
		if f.Status != "" && !apiOneOf(apiReferralStatuses, f.Status) {
			bad.Add("status", "must be one of awaiting_rg, rg_negative, awaiting_cg, cg_decided, reconsideration, withdrawn, disqualified, notified")
		}
		if f.Route != "" && f.Route != tropic.RouteNRM && f.Route != tropic.RouteDtN {
			bad.Add("route", "must be nrm or dtn")
		}
		f.Overdue = apiQueryBool(q, "overdue", false, &bad)
		f.Waiting = apiQueryBool(q, "waiting", false, &bad)
		f.Limit = apiQueryInt(q, "limit", 50, 200, &bad)
		f.Offset = apiQueryInt(q, "offset", 0, 1<<30, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		refs, total, err := s.deps.Referrals.FindReferrals(r.Context(), apiActor(r), f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		deadline, err := s.apiReferralDeadlines(r.Context())
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiReferralList{Total: total, Referrals: []apiReferralSummary{}}
		for _, ref := range refs {
			out.Referrals = append(out.Referrals, apiReferralSummaryFrom(ref, deadline(ref)))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAPICreateReferral refers the potential victim linked to the case by {link}:
// the consent gate decides the route, or refuses with the field that stops it.
func (s *Server) handleAPICreateReferral() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		link, err := strconv.ParseInt(r.PathValue("link"), 10, 64)
		if err != nil || link <= 0 {
			apiNotFound(w)
			return
		}
		var in apiReferralInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		referral := in.referral()
		// The person in the path says whom the user is talking about. A Duty to Notify
		// report must not identify them (MSA s.52(3)): when the consent gate routes
		// there, the report is made from the case with no link to the person.
		if u := userFrom(r.Context()); u != nil && u.Agency != nil {
			if refused := tropic.MayReferFromCase(u.Agency, nil); refused != nil {
				// The agency can make no referral at all: say so to those who see the
				// case, and answer as missing to those who do not.
				if _, err := s.deps.Cases.FindCase(r.Context(), apiActor(r), ref); err != nil {
					s.apiFail(w, r, err)
					return
				}
				s.apiFail(w, r, refused)
				return
			}
			if route, err := tropic.ConsentGate(referral.AgeGroup, referral.PossiblyChild, referral.Consent, u.Agency); err == nil && route == tropic.RouteDtN {
				link = 0
			}
		}
		if err := s.deps.Referrals.CreateReferral(r.Context(), apiActor(r), ref, link, referral); err != nil {
			s.apiFailNamed(w, r, err, apiReferralFieldNames)
			return
		}
		s.apiWriteReferral(w, r, http.StatusCreated, referral.ID)
	})
}

func (s *Server) handleAPIGetReferral() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := apiPathID(w, r); ok {
			s.apiWriteReferral(w, r, http.StatusOK, id)
		}
	})
}

// handleAPIRecordReferralDecision records the next decision against the version
// read; a stale version is refused with 409.
func (s *Server) handleAPIRecordReferralDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiReferralDecisionInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		d := tropic.ReferralDecision{Kind: in.Kind, Date: in.Date, Outcome: in.Outcome}
		if err := s.deps.Referrals.RecordDecision(r.Context(), apiActor(r), id, d, *in.Version); err != nil {
			s.apiFailNamed(w, r, err, apiReferralFieldNames)
			return
		}
		s.apiWriteReferral(w, r, http.StatusOK, id)
	})
}

func (s *Server) handleAPIReferralFigures() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agency, partnership, err := s.deps.Referrals.Figures(r.Context(), apiActor(r))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiReferralFigures{Agency: apiDecisionTimesFrom(agency), Partnership: apiDecisionTimesFrom(partnership)})
	})
}
