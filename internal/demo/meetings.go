package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// The steering group's work (issue 17, items 1 and 2): a steering-group meeting last
// week with its actions (one overdue), a case conference this week with a police case
// shared for it and another on the agenda by reference only, and the partnership plan
// with the history of its RAG statuses. A few dozen writes: fast at any size.

// ragStep is one status in an objective's history, days ago.
type ragStep struct {
	ago    int
	rag    tropic.RAG
	reason string
}

// MeetingServices are what SeedMeetings writes through.
type MeetingServices struct {
	Meetings tropic.MeetingService
	Plan     tropic.PlanService
	Cases    tropic.CaseService
	Agencies tropic.AgencyService
	Users    tropic.UserService
	// The register of sharing agreements (nil: none): the case shared for the
	// conference cites the partnership's agreement.
	Agreements tropic.AgreementService
	SetNow     func(time.Time) // moves the store's clock; the zero time hands it back
}

// MeetingStats say what SeedMeetings made.
type MeetingStats struct {
	Steering, Conference int64  // the meetings' ids
	SharedCase, RefCase  string // the conference's cases ("" when the demo has none)
	Objectives           int
}

// SeedMeetings writes the meetings and the plan as of now.
func SeedMeetings(ctx context.Context, s MeetingServices, now time.Time) (MeetingStats, error) {
	var out MeetingStats
	defer s.SetNow(time.Time{})
	actor := func(local string) (tropic.Actor, *tropic.User, error) {
		u, err := s.Users.FindUserByEmail(ctx, local+"@"+EmailDomain)
		if err != nil {
			return tropic.Actor{}, nil, fmt.Errorf("demo user %s: %w", local, err)
		}
		return tropic.ActorFor(u), u, nil
	}
	agency := func(name string) (int64, error) {
		a, err := s.Agencies.FindAgencyByName(ctx, name)
		if err != nil {
			return 0, fmt.Errorf("demo agency %s: %w", name, err)
		}
		return a.ID, nil
	}
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	var ids []int64
	for _, spec := range partnership {
		if spec.Slug != "" || spec.Kind == tropic.AgencyPCC {
			id, err := agency(spec.Name)
			if err != nil {
				return out, err
			}
			ids = append(ids, id)
		}
	}
	partnershipAdmin, _, err := actor("partnership.admin")
	if err != nil {
		return out, err
	}
	_, analyst, err := actor("analyst.county")
	if err != nil {
		return out, err
	}
	supPolice, supPoliceUser, err := actor("supervisor.police")
	if err != nil {
		return out, err
	}
	_, workerPolice, err := actor("caseworker.police")
	if err != nil {
		return out, err
	}
	_, workerCounty, err := actor("caseworker.county")
	if err != nil {
		return out, err
	}

	// The steering group, last week, convened by the partnership administrator.
	s.SetNow(now.AddDate(0, 0, -6))
	steering := &tropic.Meeting{Kind: tropic.MeetingSteeringGroup, Title: "Steering group: quarterly review", HeldOn: day(-6), AgencyIDs: ids,
		People: "Partnership coordinator (chair), Hertfordshire County Council\nDetective Inspector, Modern Slavery Unit\nHead of Policy, Office of the PCC\nService manager, Safe Harbour Herts"}
	if err := s.Meetings.CreateMeeting(ctx, partnershipAdmin, steering); err != nil {
		return out, fmt.Errorf("demo steering group: %w", err)
	}
	for _, topic := range []string{"The quarter's statistics", "The partnership plan", "The summer campaign"} {
		if err := s.Meetings.AddAgendaItem(ctx, partnershipAdmin, steering.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: topic}); err != nil {
			return out, fmt.Errorf("demo steering item: %w", err)
		}
	}
	m, err := s.Meetings.FindMeeting(ctx, partnershipAdmin, steering.ID)
	if err != nil {
		return out, err
	}
	minutes := []string{"The coordinator presented the latest release. Reports are up on the same quarter last year; referrals into the NRM are not.",
		"The group agreed the plan's objectives and their statuses. The NRM objective stays red until referrals recover.",
		"Posters went to every district council. The campaign's effect on reports will be measured after four weeks."}
	for i, it := range m.Items {
		if err := s.Meetings.RecordMinutes(ctx, partnershipAdmin, steering.ID, it.ID, minutes[i]); err != nil {
			return out, fmt.Errorf("demo minutes: %w", err)
		}
	}
	for _, a := range []struct {
		item  int
		text  string
		owner *tropic.User
		due   int
		done  bool
	}{
		{0, "Send the release's district breakdown to each district council's lead.", analyst, -2, false}, // overdue
		{1, "Report why NRM referrals fell, by first responder agency.", supPoliceUser, 14, false},
		{2, "Book the campaign's poster space in the bus stations.", workerCounty, -3, true},
	} {
		ma := &tropic.MeetingAction{ItemID: m.Items[a.item].ID, Action: tropic.Action{Text: a.text, OwnerUserID: a.owner.ID, Due: day(a.due)}}
		if err := s.Meetings.AddMeetingAction(ctx, partnershipAdmin, steering.ID, ma); err != nil {
			return out, fmt.Errorf("demo steering action: %w", err)
		}
		if a.done {
			if err := s.Meetings.SetMeetingActionStatus(ctx, partnershipAdmin, steering.ID, ma.ID, tropic.ActionDone); err != nil {
				return out, err
			}
		}
	}
	out.Steering = steering.ID

	// A case conference two days ago, convened by the police unit's supervisor.
	s.SetNow(now.AddDate(0, 0, -2))
	county, err := agency(partnership[1].Name)
	if err != nil {
		return out, err
	}
	charity, err := agency(partnership[len(partnership)-1].Name)
	if err != nil {
		return out, err
	}
	conf := &tropic.Meeting{Kind: tropic.MeetingCaseConference, Title: "Case conference: nail bars", HeldOn: day(-2), AgencyIDs: []int64{county, charity},
		People: "Detective Sergeant, Modern Slavery Unit (chair)\nAdult safeguarding lead, Hertfordshire County Council\nCaseworker, Safe Harbour Herts"}
	if err := s.Meetings.CreateMeeting(ctx, supPolice, conf); err != nil {
		return out, fmt.Errorf("demo case conference: %w", err)
	}
	// The conference's own two cases, so that sharing one for the meeting changes none
	// of the demo's other stories (the access the county council asks for, the case
	// waiting to be closed).
	var cases []*tropic.Case
	for _, c := range []*tropic.Case{
		{Title: "Nail bars in Watford: workers collected from one address", District: "watford"},
		{Title: "Nail bar in Hemel Hempstead: a worker's pay taken by the manager", District: "dacorum"},
	} {
		c.Exploitation = tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}
		if err := s.Cases.CreateCase(ctx, supPolice, c, ""); err != nil {
			return out, fmt.Errorf("demo conference case: %w", err)
		}
		cases = append(cases, c)
	}
	if len(cases) > 0 {
		out.SharedCase = cases[0].Reference
		in := tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: cases[0].Reference,
			Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", Until: day(28),
			NoAgreement: "Shared for the case conference; the partnership's register holds no agreement yet."}
		if s.Agreements != nil {
			register, err := s.Agreements.FindAgreements(ctx, supPolice)
			if err != nil {
				return out, err
			}
			if g := agreementTitled(register, AgreementPartnership); g != nil {
				in.AgreementID, in.NoAgreement = g.ID, ""
			}
		}
		if err := s.Meetings.AddAgendaItem(ctx, supPolice, conf.ID, in); err != nil {
			return out, fmt.Errorf("demo conference case: %w", err)
		}
	}
	if len(cases) > 1 {
		out.RefCase = cases[1].Reference
		if err := s.Meetings.AddAgendaItem(ctx, supPolice, conf.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: cases[1].Reference}); err != nil {
			return out, fmt.Errorf("demo conference reference: %w", err)
		}
	}
	if err := s.Meetings.AddAgendaItem(ctx, supPolice, conf.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "Support places for the people found"}); err != nil {
		return out, err
	}
	cm, err := s.Meetings.FindMeeting(ctx, supPolice, conf.ID)
	if err != nil {
		return out, err
	}
	for _, it := range cm.Items {
		text := "The safe house has two places; the charity will offer one to each person who wants it."
		if it.CaseID != 0 {
			text = "The police will visit with the council's safeguarding team; the charity will be on call for the people found."
		}
		if err := s.Meetings.RecordMinutes(ctx, supPolice, conf.ID, it.ID, text); err != nil {
			return out, err
		}
	}
	if len(cases) > 0 {
		ma := &tropic.MeetingAction{ItemID: cm.Items[0].ID, Action: tropic.Action{Text: "Arrange the joint visit with the council's safeguarding team.",
			OwnerUserID: workerPolice.ID, Due: day(5)}}
		if err := s.Meetings.AddMeetingAction(ctx, supPolice, conf.ID, ma); err != nil {
			return out, fmt.Errorf("demo conference action: %w", err)
		}
	}
	out.Conference = conf.ID

	// The plan, kept by the county council's analyst, with its statuses' history.
	coordinator := tropic.ActorFor(analyst)
	for _, o := range []struct {
		title, desc string
		fig         tropic.Figure
		history     []ragStep
		owner       *tropic.User
		act         string
		due         int
	}{
		{"More people report what they see", "Raise public reports through campaigns and the public form, year on year.", tropic.FigureReports,
			[]ragStep{{120, tropic.RAGAmber, "Baseline: reports flat on last year."}, {30, tropic.RAGGreen, "Reports rose after the summer campaign."}},
			workerCounty, "Put the campaign's posters in every library.", 21},
		{"Every potential victim is referred into the NRM", "First responders refer every adult who consents, and every child.", tropic.FigureReferrals,
			[]ragStep{{120, tropic.RAGAmber, "Baseline."}, {60, tropic.RAGRed, "Referrals fell this quarter while cases rose."}, {6, tropic.RAGRed, "Steering group: stays red until referrals recover."}},
			supPoliceUser, "Brief every first responder agency on the referral form.", -1},
		{"Frontline staff in every district council are trained", "Spot the signs and the Duty to Notify, for housing and licensing officers.", "",
			[]ragStep{{90, tropic.RAGRed, "No training booked."}, {45, tropic.RAGAmber, "Four councils booked."}, {10, tropic.RAGGreen, "All ten councils booked."}},
			workerCounty, "Send the training dates to each council's lead.", 10},
	} {
		s.SetNow(now.AddDate(0, 0, -o.history[0].ago))
		id, err := s.Plan.CreateObjective(ctx, coordinator, tropic.ObjectiveInput{Title: o.title, Description: o.desc, Figure: o.fig,
			RAG: o.history[0].rag, Reason: o.history[0].reason})
		if err != nil {
			return out, fmt.Errorf("demo objective: %w", err)
		}
		for _, h := range o.history[1:] {
			s.SetNow(now.AddDate(0, 0, -h.ago))
			if err := s.Plan.SetRAG(ctx, coordinator, id, h.rag, h.reason); err != nil {
				return out, err
			}
		}
		if err := s.Plan.AddPlanAction(ctx, coordinator, id, &tropic.PlanAction{Action: tropic.Action{Text: o.act, OwnerUserID: o.owner.ID, Due: day(o.due)}}); err != nil {
			return out, err
		}
		out.Objectives++
	}
	return out, nil
}
