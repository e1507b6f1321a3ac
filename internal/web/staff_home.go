package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

type staffHomePage struct {
	Layout
	Triage *triageSummary // the queue's urgent reports, for the triage hub only
	Inbox  *inboxSummary  // reports passed to the user's agency, for those who act on them
	Tasks  *homeTasks     // open and overdue tasks, for those who work cases

	OverdueReferrals int // overdue Reasonable Grounds decisions, for those who work cases

	Actions []homeAction // the user's unfinished actions of meetings and the plan; nil: none kept

	Supervisor bool            // the user decides their agency's requests: the approvals queue
	Approvals  []approvalCount // what waits in it, by kind
	Waiting    int             // how many in all

	RightsOfficer bool                    // the user works their agency's rights requests
	Rights        []*tropic.RightsRequest // the open ones
	Today         string
	Expired       int // live shares of the agency's cases under a lapsed agreement

	// Agreements due for review (or past it), for the partnership administrator.
	ReviewsAgreements bool
	Reviews           []adminAgreementRow
}

// handleStaffHome is the dashboard: who you are, and what needs you. Tasks, urgent
// reports and deadlines join it as their capabilities land.
func (s *Server) handleStaffHome() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &staffHomePage{Layout: s.newLayout(r, "Home")}
		p.Nav = "home"
		// Triage users of an agency outside the hub read what was passed to them
		// (the navigation offers it) but only case workers act on it.
		if p.ShowInbox && canWorkCases(p.User) {
			sum, err := s.summariseInbox(r.Context(), tropic.ActorFor(p.User))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Inbox = sum
		}
		if p.ShowTriage && inTriageHub(p.User) {
			sum, err := s.summariseTriage(r.Context(), tropic.ActorFor(p.User))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Triage = sum
		}
		if p.ShowCases {
			tasks, err := s.summariseTasks(r.Context(), p.User)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Tasks = tasks
			if p.OverdueReferrals, err = s.overdueReferrals(r.Context(), tropic.ActorFor(p.User)); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
		// What a supervisor decides lands here, not only inside the case it is on.
		if p.Supervisor = p.ShowApprovals; p.Supervisor {
			list, err := s.approvals(r)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Approvals, p.Waiting = approvalCounts(list), len(list)
			if s.deps.Agreements != nil {
				expired, err := s.deps.Agreements.FindExpiredShares(r.Context(), tropic.ActorFor(p.User))
				if err != nil {
					s.serverError(w, r, err)
					return
				}
				p.Expired = len(expired)
			}
		}
		if p.ReviewsAgreements = runsPartnership(p.User) && s.deps.Agreements != nil; p.ReviewsAgreements {
			list, err := s.deps.Agreements.FindAgreements(r.Context(), tropic.ActorFor(p.User))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			for _, g := range list {
				if g.ReviewDue(s.now()) {
					row := adminAgreementRow{Title: g.Title, ReviewOn: caseDate(g.ReviewOn), Path: agreementPath(g.ID)}
					row.StatusLabel, row.StatusClass = agreementStatus(g, s)
					p.Reviews = append(p.Reviews, row)
				}
			}
		}
		if s.deps.Meetings != nil {
			acts, err := s.myActions(r)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Actions = acts
		}
		rights, err := s.homeRights(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.RightsOfficer, p.Rights, p.Today = rights != nil, rights, s.rightsToday()
		s.render(w, r, http.StatusOK, "staff_home", p)
	})
}

// homeAction is one of the user's actions, of a meeting or of the plan.
type homeAction struct {
	Text, From, Href, Due, Status string
	Overdue                       bool
}

// myActions lists the user's unfinished actions, soonest due first; an action on a
// case they no longer see says so without its text.
func (s *Server) myActions(r *http.Request) ([]homeAction, error) {
	meeting, plan, err := s.deps.Meetings.FindMyActions(r.Context(), actorOf(r))
	if err != nil {
		return nil, err
	}
	today := s.now().In(partnershipZone).Format(time.DateOnly)
	out := []homeAction{}
	for _, a := range meeting {
		text := a.Text
		if a.Hidden {
			text = "An action on a case your agency no longer has access to"
		}
		out = append(out, homeAction{Text: text, From: "Meeting: " + a.MeetingTitle + ", " + caseDate(a.MeetingHeldOn), Href: meetingPath(a.MeetingID),
			Due: a.Due, Status: a.Status.Label(), Overdue: a.Overdue(today)})
	}
	for _, a := range plan {
		out = append(out, homeAction{Text: a.Text, From: "Partnership plan: " + a.ObjectiveTitle, Href: "/plan#objective-" + strconv.FormatInt(a.ObjectiveID, 10),
			Due: a.Due, Status: a.Status.Label(), Overdue: a.Overdue(today)})
	}
	slices.SortStableFunc(out, func(a, b homeAction) int { return strings.Compare(a.Due, b.Due) })
	return out, nil
}
