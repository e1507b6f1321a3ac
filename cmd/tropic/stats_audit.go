package main

import (
	"context"
	"fmt"

	"tropic/internal/disclosure"
	"tropic/internal/tropic"
)

// runStatsAudit attacks the published releases; a protected count narrowed exits
// with status 3, as a failed audit verification does.
func runStatsAudit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats audit", "[--window N]",
		"Attack every published statistics release as an outsider would: each count published in each\n"+
			"release is a linear function of the unknown true counts, and for each protected count (1 to k-1)\n"+
			"a linear programme finds the least and greatest values everything published together allows.\n"+
			"Prints the programmes' sizes and the narrowest protected count; exits 3, listing them, when any\n"+
			"protected count is narrowed below \"every value from 1 to k-1\". Run it before publishing.")
	window := fs.Int("window", 3, "how many consecutive releases the attacker holds at once (0: all of them; slower)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *window < 0 {
		return usageError("--window: give 0 (all releases) or more")
	}
	return withServices(ctx, e, func(svc *services) error {
		list, err := svc.releases.FindReleases(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(e.stdout, "no statistics release is published yet: nothing to attack")
			return nil
		}
		oldest := make([]*tropic.Release, len(list))
		for i, r := range list {
			oldest[len(list)-1-i] = r
		}
		rep, err := disclosure.Audit(oldest, disclosure.Options{Window: *window})
		if err != nil {
			return err
		}
		fmt.Fprint(e.stdout, rep.Summary())
		if len(rep.Findings) > 0 {
			return errVerify{fmt.Sprintf("stats audit: %d protected counts are narrowed", len(rep.Findings))}
		}
		return nil
	})
}
