package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/web"
)

// defaultDemoPassword is printed at start; it only ever guards made-up data.
const defaultDemoPassword = "demo-partnership-2026"

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[options]", "Run Tropic on a fresh SQLite database with a synthetic demo partnership.\nMulti-factor authentication is waived for the demo accounts, and every staff page says so.")
	dir := fs.String("dir", "", "folder for the demo database (default: a new temporary folder)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	password := fs.String("demo-password", defaultDemoPassword, "the password all demo accounts share")
	seed := fs.Uint64("seed", 1, "seed of the demo data generator")
	requireMFA := fs.Bool("mfa", false, "require multi-factor authentication for demo accounts too")
	exitURL := fs.String("exit-url", "https://www.bbc.co.uk/weather", "the neutral site 'Exit this page' leads to")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	start := time.Now()
	if *dir == "" {
		d, err := os.MkdirTemp("", "tropic-demo-")
		if err != nil {
			return err
		}
		*dir = d
	}
	path := filepath.Join(*dir, "tropic.db")
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("tropic demo: %s exists already; the demo starts from a fresh database (choose another --dir)", path)
	}
	db, err := openDB(ctx, path, true)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db)
	hash, err := auth.HashPassword(*password, auth.DefaultParams)
	if err != nil {
		return err
	}
	accounts, err := demo.Seed(ctx, demo.Services{Agencies: svc.agencies, Users: svc.users}, demo.Options{Seed: *seed, PasswordHash: hash})
	if err != nil {
		return err
	}
	cfg := web.Config{PartnershipName: demo.PartnershipName, MFAWaived: !*requireMFA, ExitURL: *exitURL, Version: version}
	return serve(ctx, e, newLogger(e), svc, cfg, *addr, "", "", func(url string) {
		fmt.Fprintf(e.stdout, "Tropic demo is running at %s (ready in %.1fs)\n", url, time.Since(start).Seconds())
		fmt.Fprintf(e.stdout, "Database: %s (synthetic data only)\n", path)
		if !*requireMFA {
			fmt.Fprintln(e.stdout, "Multi-factor authentication is waived for demo accounts.")
		}
		fmt.Fprintf(e.stdout, "Demo accounts (password %q):\n%s", *password, demo.FormatAccounts(accounts))
		fmt.Fprintf(e.stdout, "Sign in at %s/login. Press Ctrl+C to stop.\n", url)
	})
}
