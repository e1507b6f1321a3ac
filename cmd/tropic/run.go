package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// env is how run reads the environment, so that tests can pass their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":     {"run the web service", runServe},
		"demo":      {"run on a fresh SQLite database with a synthetic demo partnership", runDemo},
		"migrate":   {"apply pending database migrations", runMigrate},
		"agency":    {"add or list partner agencies (agency add|list)", runAgency},
		"user":      {"add, list or disable staff accounts (user add|list|disable)", runUser},
		"token":     {"create, list or revoke API tokens (token create|list|revoke)", runToken},
		"audit":     {"verify, checkpoint or key the audit chain (audit verify|checkpoint|keygen)", runAudit},
		"backup":    {"write a consistent copy of a SQLite database (backup FILE)", runBackup},
		"version":   {"print the version", runVersion},
		"bench":     {"measure performance (bench intake|cases)", runBench},
		"holiday":   {"list bank holidays or record a one-off change (holiday list|add)", runHoliday},
		"stats":     {"publish or audit the statistics releases (stats release|audit)", runStats},
		"retention": {"queue records due for retention review, or list them (retention run [--dry-run]|schedule)", runRetention},
	}
}

// run is the whole program: main only wires the process to it, and tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(stdout)
		if len(args) == 0 {
			return usageError("no command given")
		}
		return nil
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		usage(stderr)
		return usageError(fmt.Sprintf("unknown command %q", args[0]))
	}
	return cmd.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: tropic COMMAND [options]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'tropic COMMAND --help' for a command's options.")
	fmt.Fprintln(w, "\nEnvironment:\n  TROPIC_DATABASE_URL  a SQLite file path (default ./tropic-data/tropic.db) or a postgres:// URL")
	fmt.Fprintln(w, "  TROPIC_AUDIT_KEY_FILE  the audit key file, made once by 'tropic audit keygen --out FILE' (serve needs it)")
}

// errUsage marks mistakes in how tropic was called; they exit with status 2.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usageError(msg string) error { return errUsage{msg} }

func exitCode(err error) int {
	var u errUsage
	if errors.As(err, &u) {
		return 2
	}
	var v errVerify
	if errors.As(err, &v) {
		return 3
	}
	return 1
}

// newFlags returns a flag set that prints its usage to e.stdout on --help and
// reports mistakes as usage errors.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("tropic "+name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: tropic %s %s\n\n%s\n", name, args, about)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(e.stdout, "\nOptions:")
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return fs
}

// parse parses flags; --help prints usage and ends the command successfully.
// The flag package would print the usage itself on --help and on every mistake:
// it is silenced while parsing, and printed once here for --help only.
func parse(fs *flag.FlagSet, args []string) (helped bool, err error) {
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err = fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return true, nil
	} else if err != nil {
		return false, usageError(err.Error())
	}
	return false, nil
}

// subcommand dispatches "tropic NAME SUB ...".
func subcommand(ctx context.Context, e *env, name string, args []string, subs map[string]command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stdout, "Usage: tropic %s SUBCOMMAND [options]\n\nSubcommands:\n", name)
		keys := make([]string, 0, len(subs))
		for k := range subs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(e.stdout, "  %-8s %s\n", k, subs[k].summary)
		}
		if len(args) == 0 {
			return usageError("tropic " + name + ": no subcommand given (" + strings.Join(keys, ", ") + ")")
		}
		return nil
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usageError(fmt.Sprintf("tropic %s: unknown subcommand %q", name, args[0]))
	}
	return sub.run(ctx, e, args[1:])
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print the version of this tropic binary.")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "tropic", version)
	return nil
}
