package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"tropic/internal/tropic"
)

// addRetentionFlag is the retention schedule's setting, for serve, demo and retention.
func addRetentionFlag(fs *flag.FlagSet, e *env) *string {
	return fs.String("retention", envOr(e, "TROPIC_RETENTION", tropic.DefaultRetention.String()),
		"how long records are kept before their agency reviews them: report_not_taken_further, case_closed, case_crime_recorded, case_closed.OUTCOME, each as years (6y) or months (18m); a type left out keeps its default (TROPIC_RETENTION; docs/retention.md)")
}

// retentionSchedule reads the setting; an error names it.
func retentionSchedule(s string) (tropic.RetentionSchedule, error) {
	out, err := tropic.ParseRetention(s)
	if err != nil {
		return out, usageError("--retention (TROPIC_RETENTION): " + err.Error())
	}
	return out, nil
}

// parseWithRetention adds the --retention flag to fs, parses args and reads it.
func parseWithRetention(fs *flag.FlagSet, e *env, args []string) (tropic.RetentionSchedule, bool, error) {
	spec := addRetentionFlag(fs, e)
	if helped, err := parse(fs, args); helped || err != nil {
		return tropic.RetentionSchedule{}, helped, err
	}
	s, err := retentionSchedule(*spec)
	return s, false, err
}

func runRetention(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "retention", args, map[string]command{
		"run":      {"queue the records at the end of their retention period for their agency's review (--dry-run: list them)", runRetentionRun},
		"schedule": {"print the retention schedule in force, as the privacy notice states it", runRetentionSchedule},
	})
}

func runRetentionRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "retention run", "[--dry-run]", "Queue each record whose retention period is over for review by its owning agency's supervisors,\nas the daily job does; nothing is deleted until a supervisor decides. --dry-run lists them and changes nothing.")
	dry := fs.Bool("dry-run", false, "list the records that are due, and change nothing")
	schedule, helped, err := parseWithRetention(fs, e, args)
	if helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		s.setRetention(schedule)
		now := time.Now()
		if !*dry {
			n, err := s.retention.QueueDueReviews(ctx, cli, now)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(e.stdout, "queued %d records for review\n", n)
			return nil
		}
		due, err := s.retention.FindDueRecords(ctx, cli, now)
		if err != nil {
			return describe(err)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "KIND\tREFERENCE\tAGENCY\tDUE\tRULE")
		for _, d := range due {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", d.Kind, d.Reference, d.Agency, d.DueOn.Format(time.DateOnly), d.Rule)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d records due for review (dry run: nothing queued)\n", len(due))
		return nil
	})
}

func runRetentionSchedule(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "retention schedule", "", "Print the retention schedule in force: each record, how long, what happens then, and the source.")
	schedule, helped, err := parseWithRetention(fs, e, args)
	if helped || err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "setting: %s\n", schedule)
	for _, r := range schedule.Rules() {
		fmt.Fprintf(e.stdout, "\n%s\n  kept: %s\n  then: %s\n  source: %s\n", r.Record, r.Period, r.Then, r.Source)
	}
	return nil
}
