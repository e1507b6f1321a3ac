package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// cli is the actor of every change made from the command line.
var cli = tropic.SystemActor("command line")

// withServices opens the database (applying pending migrations) for one command.
// The audit key is used when given (TROPIC_AUDIT_KEY_FILE or TROPIC_AUDIT_KEY); a
// command that would write to a keyed chain without it is refused, saying so.
func withServices(ctx context.Context, e *env, f func(*services) error) error {
	keys, err := loadAuditKeys(e, "")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, databaseURL(e), true, store.Options{AuditKeys: keys})
	if err != nil {
		return err
	}
	defer db.Close()
	return explainAuditKey(f(newServices(db)))
}

// describe turns a domain error into a line for the terminal, naming the fields.
func describe(err error) error {
	if tropic.ErrorCode(err) == tropic.EINTERNAL {
		return err
	}
	fields := tropic.ErrorFields(err)
	if len(fields) == 0 {
		return errors.New(tropic.ErrorMessage(err))
	}
	parts := make([]string, 0, len(fields))
	for k, v := range fields {
		parts = append(parts, "--"+k+": "+v)
	}
	return errors.New(strings.Join(parts, "; "))
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "[options]", "Apply pending migrations to TROPIC_DATABASE_URL.")
	status := fs.Bool("status", false, "only print the schema version")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	db, err := store.Open(ctx, databaseURL(e), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	state, err := db.MigrationState(ctx)
	if err != nil {
		return err
	}
	if *status {
		fmt.Fprintf(e.stdout, "schema version %d; this tropic knows %d\n", state.Current, state.Known)
		return jobsStatusCmd(ctx, e, db) // River's schema (jobs.go)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "the schema is up to date (version %d)\n", state.Known)
		return migrateJobsCmd(ctx, e, db) // River's schema (jobs.go)
	}
	fmt.Fprintf(e.stdout, "applied %d migrations; the schema is at version %d\n", len(applied), applied[len(applied)-1])
	return migrateJobsCmd(ctx, e, db)
}

func runAgency(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "agency", args, map[string]command{
		"add":                {"add a partner agency", runAgencyAdd},
		"edit":               {"change an agency's name, kind, first responder, Duty to Notify, triage hub or inbox address", runAgencyEdit},
		"disable":            {"disable an agency: its users can no longer sign in; its records stay", runAgencyDisable},
		"enable":             {"let a disabled agency's users sign in again", runAgencyEnable},
		"list":               {"list partner agencies", runAgencyList},
		"set-reminder-email": {"set where an agency's daily NRM reminder digest goes", runAgencySetReminderEmail},
	})
}

func runAgencySetReminderEmail(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agency set-reminder-email", "--agency AGENCY --email EMAIL",
		"Set the address that gets the agency's daily NRM reminder digest: how many Reasonable Grounds\ndecisions are overdue and how many Conclusive Grounds waits are long, with links; no personal data.\nAn agency with nothing overdue gets no e-mail. --email '' stops the digest.")
	agency := fs.String("agency", "", "the agency's id or exact name (required)")
	email := fs.String("email", "", "the address, e.g. nrm@police.example; '' to stop the digest (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "email" })
	if *agency == "" || !set {
		return usageError("give --agency and --email")
	}
	return withServices(ctx, e, func(s *services) error {
		a, err := findAgency(ctx, s, *agency)
		if err != nil {
			return describe(err)
		}
		if err := s.referrals.SetReminderEmail(ctx, cli, a.ID, *email); err != nil {
			if tropic.ErrorCode(err) == tropic.EINVALID {
				return errors.New("--email: " + tropic.ErrorMessage(err))
			}
			return describe(err)
		}
		if strings.TrimSpace(*email) == "" {
			fmt.Fprintf(e.stdout, "%s gets no reminder digest now\n", a.Name)
			return nil
		}
		fmt.Fprintf(e.stdout, "%s's daily NRM reminder digest goes to %s\n", a.Name, tropic.NormaliseEmail(*email))
		return nil
	})
}

func runAgencyAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agency add", "--name NAME --kind KIND [options]", "Add a partner agency.")
	name := fs.String("name", "", "the agency's name (required)")
	kind := fs.String("kind", "", "one of: "+strings.Join(agencyKindNames(), ", ")+" (required)")
	fr := fs.Bool("first-responder", false, "the agency is a designated NRM first responder (default: by kind; police, councils, Home Office, NCA and GLAA are)")
	dtn := fs.String("duty-to-notify", "auto", "whether the Duty to Notify binds it: yes, no, or auto (by kind)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	a := &tropic.Agency{Name: *name, Kind: tropic.AgencyKind(*kind), FirstResponder: tropic.AgencyKind(*kind).FirstResponderDefault()}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "first-responder" {
			a.FirstResponder = *fr
		}
	})
	switch *dtn {
	case "auto":
		a.DutyToNotify = a.Kind.DutyToNotifyDefault()
	case "yes":
		a.DutyToNotify = true
	case "no":
	default:
		return usageError("--duty-to-notify: say yes, no or auto")
	}
	return withServices(ctx, e, func(s *services) error {
		if err := s.agencies.CreateAgency(ctx, cli, a); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "added agency %d: %s\n", a.ID, a.Name)
		return nil
	})
}

func runAgencyEdit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agency edit", "--agency AGENCY [options]", "Change a partner agency. Only the options given change.")
	agency := fs.String("agency", "", "the agency's id or exact name (required)")
	name := fs.String("name", "", "the agency's new name")
	kind := fs.String("kind", "", "the agency's kind, one of: "+strings.Join(agencyKindNames(), ", "))
	fr := fs.String("first-responder", "", "whether it is a designated NRM first responder: yes or no")
	dtn := fs.String("duty-to-notify", "", "whether the Duty to Notify binds it: yes or no")
	hub := fs.String("triage-hub", "", "whether it is part of the triage hub (its triage users see every new report): yes or no")
	inbox := fs.String("inbox-email", "", "where it is told of reports passed to it; '' for nowhere")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *agency == "" {
		return usageError("give --agency")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if len(set) == 1 {
		return usageError("give at least one of --name, --kind, --first-responder, --duty-to-notify, --triage-hub, --inbox-email")
	}
	yes := map[string]bool{"yes": true, "no": false}
	for flagName, v := range map[string]string{"first-responder": *fr, "duty-to-notify": *dtn, "triage-hub": *hub} {
		if _, ok := yes[v]; set[flagName] && !ok {
			return usageError("--" + flagName + ": say yes or no")
		}
	}
	return withServices(ctx, e, func(s *services) error {
		a, err := findAgency(ctx, s, *agency)
		if err != nil {
			return fmt.Errorf("--agency: no agency %q; see 'tropic agency list'", *agency)
		}
		if set["name"] {
			a.Name = *name
		}
		if set["kind"] {
			a.Kind = tropic.AgencyKind(*kind)
		}
		if set["first-responder"] {
			a.FirstResponder = yes[*fr]
		}
		if set["duty-to-notify"] {
			a.DutyToNotify = yes[*dtn]
		}
		if set["triage-hub"] {
			a.TriageHub = yes[*hub]
		}
		if set["inbox-email"] {
			a.InboxEmail = *inbox
		}
		if err := s.agencies.UpdateAgency(ctx, cli, a); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "agency %d: %s, %s, first-responder=%s, duty-to-notify=%s, triage-hub=%s\n", a.ID, a.Name, a.Kind,
			yesNo(a.FirstResponder), yesNo(a.DutyToNotify), yesNo(a.TriageHub))
		return nil
	})
}

func agencyKindNames() []string {
	kinds := make([]string, len(tropic.AgencyKinds))
	for i, k := range tropic.AgencyKinds {
		kinds[i] = string(k)
	}
	return kinds
}

func runAgencyDisable(ctx context.Context, e *env, args []string) error {
	return changeAgency(ctx, e, args, "agency disable", "Disable a partner agency: its users can no longer sign in or use their API tokens.\nIts records (reports, cases, referrals, the audit trail) stay. 'tropic agency enable' undoes it.",
		"disabled", (*store.AgencyService).DisableAgency)
}

func runAgencyEnable(ctx context.Context, e *env, args []string) error {
	return changeAgency(ctx, e, args, "agency enable", "Let a disabled agency's users sign in and use their tokens again\n(except users disabled one by one with 'tropic user disable').",
		"enabled", (*store.AgencyService).EnableAgency)
}

// changeAgency runs one audited change to the agency named by --agency.
func changeAgency(ctx context.Context, e *env, args []string, name, help, done string, change func(*store.AgencyService, context.Context, tropic.Actor, int64) error) error {
	fs := newFlags(e, name, "--agency AGENCY", help)
	agency := fs.String("agency", "", "the agency's id or exact name (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *agency == "" {
		return usageError("give --agency")
	}
	return withServices(ctx, e, func(s *services) error {
		a, err := findAgency(ctx, s, *agency)
		if err != nil {
			return fmt.Errorf("--agency: no agency %q; see 'tropic agency list'", *agency)
		}
		if err := change(s.agencies, ctx, cli, a.ID); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "%s agency %d: %s\n", done, a.ID, a.Name)
		return nil
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func runAgencyList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agency list", "", "List partner agencies: id, kind, first responder, Duty to Notify, name.")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		agencies, err := s.agencies.FindAgencies(ctx)
		if err != nil {
			return err
		}
		for _, a := range agencies {
			line := fmt.Sprintf("%d\t%s\tfirst-responder=%s\tduty-to-notify=%s\t%s", a.ID, a.Kind, yesNo(a.FirstResponder), yesNo(a.DutyToNotify), a.Name)
			if a.Disabled {
				line += "\t(disabled)"
			}
			fmt.Fprintln(e.stdout, line)
		}
		if len(agencies) == 0 {
			fmt.Fprintln(e.stdout, "no agencies yet; add one with 'tropic agency add'")
		}
		return nil
	})
}

func runUser(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "user", args, map[string]command{
		"add":          {"add a staff account", runUserAdd},
		"list":         {"list staff accounts", runUserList},
		"disable":      {"disable a staff account", runUserDisable},
		"enable":       {"let a disabled staff account sign in again", runUserEnable},
		"set-password": {"give a staff account a new password (and unlock it)", runUserSetPassword},
		"reset-mfa":    {"make a staff account set up its authenticator again", runUserResetMFA},
		"set-roles":    {"replace a staff account's roles", runUserSetRoles},
		"invite":       {"invite a staff account by a single-use link (or send a new link)", runUserInvite},
	})
}

// agencyFlag finds the agency --agency names, or says what is wrong with it.
func agencyFlag(ctx context.Context, s *services, ref string) (*tropic.Agency, error) {
	if ref == "" {
		return nil, describe(&tropic.Error{Code: tropic.EINVALID, Fields: map[string]string{"agency": "Give the agency's id or exact name"}})
	}
	a, err := findAgency(ctx, s, ref)
	if err != nil {
		return nil, fmt.Errorf("--agency: no agency %q; see 'tropic agency list'", ref)
	}
	return a, nil
}

// findAgency finds an agency by id or exact name.
func findAgency(ctx context.Context, s *services, ref string) (*tropic.Agency, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.agencies.FindAgencyByID(ctx, id)
	}
	return s.agencies.FindAgencyByName(ctx, ref)
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user add", "--email EMAIL --name NAME --agency AGENCY --roles ROLES",
		"Add a staff account. The password is read from the first line of standard input;\nif that is empty, a strong one is generated and printed once.\nThe user sets up multi-factor authentication at their first sign-in.")
	email := fs.String("email", "", "e-mail address, used to sign in (required)")
	name := fs.String("name", "", "full name (required)")
	agency := fs.String("agency", "", "the agency's id or exact name (required)")
	roles := fs.String("roles", "", "comma-separated: triage, caseworker, supervisor, analyst, admin, intake, partnership_admin (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	rs, err := tropic.ParseRoles(*roles)
	if err != nil {
		return describe(err)
	}
	password, generated, err := readNewPassword(e)
	if err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		u := &tropic.User{Email: *email, Name: *name, Roles: rs}
		a, err := agencyFlag(ctx, s, *agency)
		if err != nil {
			return err
		}
		u.AgencyID = a.ID
		hash, err := auth.HashPassword(password, auth.DefaultParams)
		if err != nil {
			return err
		}
		if err := s.users.CreateUser(ctx, cli, u, hash); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "added user %d: %s (%s)\n", u.ID, u.Email, a.Name)
		if generated {
			fmt.Fprintf(e.stdout, "password (shown once): %s\n", password)
		}
		return nil
	})
}

// readNewPassword is readPassword that refuses a password tropic.ValidatePassword refuses.
func readNewPassword(e *env) (pw string, generated bool, err error) {
	if pw, generated, err = readPassword(e); err != nil {
		return "", false, err
	}
	if err := tropic.ValidatePassword(pw); err != nil {
		return "", false, describe(err)
	}
	return pw, generated, nil
}

// readPassword reads one line from stdin, or generates a password if it is empty.
func readPassword(e *env) (pw string, generated bool, err error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	if pw = strings.TrimRight(line, "\r\n"); pw != "" {
		return pw, false, nil
	}
	pw, err = generatePassword()
	return pw, true, err
}

// generatePassword returns 20 characters from an alphabet without look-alikes
// (about 110 bits).
func generatePassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}

func runUserList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user list", "[options]", "List staff accounts, one per line: e-mail, agency, roles.")
	agency := fs.String("agency", "", "only this agency (id or exact name)")
	all := fs.Bool("all", false, "include disabled accounts")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		f := tropic.UserFilter{IncludeDisabled: *all}
		if *agency != "" {
			a, err := findAgency(ctx, s, *agency)
			if err != nil {
				return fmt.Errorf("--agency: no agency %q; see 'tropic agency list'", *agency)
			}
			f.AgencyID = a.ID
		}
		users, err := s.users.FindUsers(ctx, f)
		if err != nil {
			return err
		}
		for _, u := range users {
			line := fmt.Sprintf("%s\t%s\t%s", u.Email, u.Agency.Name, joinRoleNames(u.Roles))
			if u.Disabled {
				line += "\t(disabled)"
			}
			fmt.Fprintln(e.stdout, line)
		}
		return nil
	})
}

func runUserDisable(ctx context.Context, e *env, args []string) error {
	return changeUser(ctx, e, args, "user disable", "Disable a staff account: no more sign-ins or API calls. Its history stays.",
		"disabled", (*store.UserService).DisableUser)
}

func runUserEnable(ctx context.Context, e *env, args []string) error {
	return changeUser(ctx, e, args, "user enable", "Let a disabled staff account sign in and use its tokens again.",
		"enabled", (*store.UserService).EnableUser)
}

func runUserResetMFA(ctx context.Context, e *env, args []string) error {
	return changeUser(ctx, e, args, "user reset-mfa", "Forget a staff account's authenticator (a lost phone): at their next sign-in,\n"+
		"after their password, they set up an authenticator app again. Give them a new\npassword too ('tropic user set-password') if anyone else may know theirs.",
		"reset the authenticator of", (*store.UserService).ResetMFA)
}

// changeUser runs one audited change to the account named by --email.
func changeUser(ctx context.Context, e *env, args []string, name, help, done string, change func(*store.UserService, context.Context, tropic.Actor, int64) error) error {
	fs := newFlags(e, name, "--email EMAIL", help)
	email := fs.String("email", "", "the user's e-mail address (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		u, err := s.users.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("--email: no user %q", *email)
		}
		if err := change(s.users, ctx, cli, u.ID); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "%s user %s\n", done, u.Email)
		return nil
	})
}

// joinRoleNames lists roles as the --roles options take them: "caseworker,analyst".
func joinRoleNames(roles []tropic.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

func runUserSetRoles(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user set-roles", "--email EMAIL --roles ROLES",
		"Replace a staff account's roles with those given (the others are taken away).")
	email := fs.String("email", "", "the user's e-mail address (required)")
	roles := fs.String("roles", "", "comma-separated: triage, caseworker, supervisor, analyst, admin, intake, partnership_admin (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	rs, err := tropic.ParseRoles(*roles)
	if err != nil {
		return describe(err)
	}
	return withServices(ctx, e, func(s *services) error {
		u, err := s.users.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("--email: no user %q", *email)
		}
		if err := s.users.SetRoles(ctx, cli, u.ID, rs); err != nil {
			return describe(err)
		}
		if u, err = s.users.FindUserByID(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s has the roles %s\n", u.Email, joinRoleNames(u.Roles))
		return nil
	})
}

func runUserSetPassword(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user set-password", "--email EMAIL",
		"Give a staff account a new password (a forgotten one) and unlock it. The password is\n"+
			"read from the first line of standard input; if that is empty, a strong one is\ngenerated and printed once. Tell it to the user by a channel other than e-mail.")
	email := fs.String("email", "", "the user's e-mail address (required)")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	password, generated, err := readNewPassword(e)
	if err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		u, err := s.users.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("--email: no user %q", *email)
		}
		hash, err := auth.HashPassword(password, auth.DefaultParams)
		if err != nil {
			return err
		}
		if err := s.users.SetPassword(ctx, cli, u.ID, hash); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "set a new password for user %s\n", u.Email)
		if generated {
			fmt.Fprintf(e.stdout, "password (shown once): %s\n", password)
		}
		return nil
	})
}

func runToken(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "token", args, map[string]command{
		"create": {"create an API token for a user", runTokenCreate},
		"list":   {"list API tokens", runTokenList},
		"revoke": {"revoke an API token", runTokenRevoke},
	})
}

func runTokenCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token create", "--user EMAIL [options]", "Create an API token. It is printed once; only its hash is stored.")
	email := fs.String("user", "", "the e-mail address of the user the token acts as (required)")
	name := fs.String("name", "API token", "what the token is for, e.g. \"helpline system\"")
	days := fs.Int("expires-days", 365, "days until the token expires; 0 for never")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *days < 0 {
		return usageError("--expires-days: give 0 or more days")
	}
	return withServices(ctx, e, func(s *services) error {
		u, err := s.users.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("--user: no user %q", *email)
		}
		secret, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		t := &tropic.Token{UserID: u.ID, Name: *name, Prefix: auth.DisplayPrefix(secret)}
		if *days > 0 {
			t.ExpiresAt = time.Now().Add(time.Duration(*days) * 24 * time.Hour)
		}
		if err := s.tokens.CreateToken(ctx, cli, t, hash); err != nil {
			return describe(err)
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "token %d for %s created; it is shown once, above\n", t.ID, u.Email)
		return nil
	})
}

func runTokenList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token list", "[--user EMAIL]", "List API tokens: id, prefix, user id, name, state.")
	email := fs.String("user", "", "only this user's tokens")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(s *services) error {
		var userID int64
		if *email != "" {
			u, err := s.users.FindUserByEmail(ctx, *email)
			if err != nil {
				return fmt.Errorf("--user: no user %q", *email)
			}
			userID = u.ID
		}
		tokens, err := s.tokens.FindTokens(ctx, userID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			state := "active"
			if !t.RevokedAt.IsZero() {
				state = "revoked " + t.RevokedAt.Format(time.DateOnly)
			} else if !t.ExpiresAt.IsZero() && time.Now().After(t.ExpiresAt) {
				state = "expired " + t.ExpiresAt.Format(time.DateOnly)
			}
			fmt.Fprintf(e.stdout, "%d\t%s…\tuser %d\t%s\t%s\n", t.ID, t.Prefix, t.UserID, t.Name, state)
		}
		return nil
	})
}

func runTokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token revoke", "ID", "Revoke an API token by its id (see 'tropic token list').")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("tropic token revoke: give one token id")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return usageError("tropic token revoke: the id must be a number, like 3")
	}
	return withServices(ctx, e, func(s *services) error {
		if err := s.tokens.RevokeToken(ctx, cli, id); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "revoked token %d\n", id)
		return nil
	})
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "FILE", "Write a consistent copy of the live SQLite database to FILE (a new file).\nFor PostgreSQL, use pg_dump.")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("tropic backup: give the file to write, like tropic backup tropic-2026-11-27.db")
	}
	dsn := databaseURL(e)
	if store.IsPostgresURL(dsn) {
		return store.ErrBackupPostgres
	}
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s in %.1fs\n", dsn, fs.Arg(0), time.Since(start).Seconds())
	return nil
}
