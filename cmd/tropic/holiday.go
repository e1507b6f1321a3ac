package main

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

func runHoliday(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "holiday", args, map[string]command{
		"list": {"list a year's England and Wales bank holidays, as deadlines count them", runHolidayList},
		"add":  {"record a one-off change: a new bank holiday, or a rule-made one that did not happen", runHolidayAdd},
	})
}

func runHolidayList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "holiday list", "[--year YEAR]", "List the bank holidays of a year: the rules (Easter, substitute days) with the one-off changes on record.")
	year := fs.Int("year", time.Now().Year(), "the year")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *year < 2000 || *year > 2100 {
		return usageError("--year: give a year from 2000 to 2100")
	}
	return withServices(ctx, e, func(s *services) error {
		changes, err := s.referrals.HolidayChanges(ctx)
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, c := range changes {
			if !c.Removed {
				names[c.Date] = c.Name
			}
		}
		for _, d := range tropic.BankHolidays(*year, changes) {
			day := d.Format(time.DateOnly)
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", day, d.Weekday(), names[day])
		}
		return nil
	})
}

func runHolidayAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "holiday add", "--date YYYY-MM-DD --name NAME [--removed]", "Record a one-off change to the bank holidays, such as an extra day for a state occasion,\nor (--removed) a rule-made holiday moved elsewhere. Working-day deadlines use it at once.")
	date := fs.String("date", "", "the date (required)")
	name := fs.String("name", "", "what it is (required)")
	removed := fs.Bool("removed", false, "the rules' holiday on this date did not happen")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		if err := s.referrals.AddHolidayChange(ctx, cli, tropic.HolidayChange{Date: *date, Name: *name, Removed: *removed}); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "recorded %s: %s\n", *date, *name)
		return nil
	})
}
