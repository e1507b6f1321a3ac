package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// OverTarget is what SeedOverTarget made: reports the triage queue marks "Over
// target", one of them an emergency nobody has claimed, which the escalation job
// escalates when the demo starts (the hub's triage users are notified and the
// triage addresses e-mailed again).
type OverTarget struct {
	Escalated string   // the unclaimed emergency
	Claimed   string   // an emergency over target that triage.police is working on: not escalated
	Urgent    string   // an urgent report a week old
	All       []string // the three
}

// SeedOverTarget adds, whatever the history's size, the reports that show the
// triage targets at work: an emergency received three hours ago that nobody has
// claimed, one received two hours ago that triage.police claimed at once, and an
// urgent report from a week ago, all still undecided.
func SeedOverTarget(ctx context.Context, s ReportServices, now time.Time) (OverTarget, error) {
	var out OverTarget
	u, err := s.Users.FindUserByEmail(ctx, "triage.police@"+EmailDomain)
	if err != nil {
		return out, fmt.Errorf("demo triage user: %w", err)
	}
	triage := tropic.ActorFor(u)
	for _, sp := range []struct {
		ago   time.Duration
		claim bool
		r     *tropic.Report
		dst   *string
	}{
		{3 * time.Hour, false, &tropic.Report{Channel: tropic.ChannelHelpline, InDanger: tropic.AnswerYes,
			Description: "A caller says a woman at a nail bar on the High Street is locked in the back room at night and cannot leave.",
			Location:    tropic.Location{Address: "High Street nail bar", District: "stevenage"},
			Indicators:  []tropic.Indicator{"locked_in"}, Reporter: tropic.Reporter{Anonymous: true}}, &out.Escalated},
		{2 * time.Hour, true, &tropic.Report{Channel: tropic.Channel999Transfer, InDanger: tropic.AnswerYes,
			Description: "Control room transfer: men living in a shipping container behind a car wash say their boss has their passports.",
			Location:    tropic.Location{Address: "Car wash on London Road", District: "watford"},
			Indicators:  []tropic.Indicator{"documents_withheld"}, Reporter: tropic.Reporter{Anonymous: true}}, &out.Claimed},
		{7 * 24 * time.Hour, false, &tropic.Report{Channel: tropic.ChannelHelpline, InDanger: tropic.AnswerNotSure,
			Description: "A caller worries about teenagers dropped at a flat every evening by different cars.",
			Location:    tropic.Location{District: "st-albans"}, Reporter: tropic.Reporter{Anonymous: true}}, &out.Urgent},
	} {
		s.SetNow(now.Add(-sp.ago))
		key := tropic.NewFormKey()
		sp.r.FollowUpHash = tropic.HashFollowUpCode(tropic.FollowUpCode(key))
		if _, err := s.Reports.CreateReport(ctx, triage, sp.r, tropic.HashFormKey(key)); err != nil {
			return out, fmt.Errorf("demo report over target: %w", err)
		}
		if sp.claim {
			if err := s.Reports.ClaimReport(ctx, triage, sp.r.Reference, false); err != nil {
				return out, fmt.Errorf("demo claim: %w", err)
			}
		}
		*sp.dst = sp.r.Reference
		out.All = append(out.All, sp.r.Reference)
	}
	return out, nil
}
