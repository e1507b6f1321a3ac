package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tropic/internal/auth"
	"tropic/internal/linkage"
	"tropic/internal/oidc"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
	"tropic/internal/web"
)

const defaultDatabase = "./tropic-data/tropic.db"

func databaseURL(e *env) string {
	if u := e.getenv("TROPIC_DATABASE_URL"); u != "" {
		return u
	}
	return defaultDatabase
}

// openDB opens the database and, unless told not to, applies pending migrations. It
// refuses a schema newer than this binary knows. The store matches people with the
// default linkage model unless opts names another matcher.
func openDB(ctx context.Context, dsn string, migrate bool, opts ...store.Options) (*store.DB, error) {
	var o store.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Matcher == nil {
		o.Matcher = linkage.DefaultMatcher()
	}
	if o.FollowUpCodes == nil {
		o.FollowUpCodes = auth.Passwords{Params: auth.FollowUpCodeParams}
	}
	db, err := store.Open(ctx, dsn, o)
	if err != nil {
		return nil, err
	}
	state, err := db.MigrationState(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	switch {
	case state.TooNew():
		db.Close()
		return nil, fmt.Errorf("the database schema is at version %d, newer than this tropic knows (%d): run the newer tropic, or restore a backup", state.Current, state.Known)
	case state.Pending() && migrate:
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	case state.Pending():
		db.Close()
		return nil, fmt.Errorf("the database schema is at version %d but this tropic needs %d: run 'tropic migrate' first", state.Current, state.Known)
	}
	if _, err := migrateJobs(ctx, db, migrate); err != nil { // River's tables (jobs.go)
		db.Close()
		return nil, err
	}
	if migrate {
		// Rows written before migration 0007 get their matching keys; once all are
		// current, each is one indexed query that finds nothing.
		if _, err := store.BackfillPersonKeys(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
		if _, err := store.BackfillReportBusinesses(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
		if _, err := store.BackfillNameSearchTerms(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
		if _, err := store.SealLegacyFollowUpCodes(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// services are the store's implementations of the domain services.
type services struct {
	db       *store.DB
	agencies *store.AgencyService
	users    *store.UserService
	tokens   *store.TokenService
	audit    *store.AuditService
	reports  *store.ReportService
	cases    *store.CaseService
	sessions *store.SessionStore

	referrals *store.ReferralService
	campaigns *store.CampaignService
	stats     *store.StatsService
	releases  *store.ReleaseService
	matches   *store.MatchService
	retention *store.RetentionService
	misuse    *store.MisuseService
	invites   *store.InviteService
	// reference is the reference data edited in the browser; a setting not stored
	// there is the flag's (setSettingDefaults), else the built-in default.
	reference *store.ReferenceDataService

	credentials *store.CredentialService
	mail        tropic.Mailer // sends invitations and forgotten-password links; nil: e-mail is off (useMailer, startJobs)
	// releaseSchedule publishes statistics releases as periods close; "": not scheduled.
	releaseSchedule tropic.ReleaseSchedule
}

// useMailer lets the pages send e-mail (invitations, forgotten-password links) when it
// is set up.
func (s *services) useMailer(m mailSettings) {
	if m.mailer != nil {
		s.mail = m.mailer
	}
}

func newServices(db *store.DB) *services {
	return &services{db: db, agencies: store.NewAgencyService(db), users: store.NewUserService(db),
		tokens: store.NewTokenService(db), audit: store.NewAuditService(db), sessions: store.NewSessionStore(db),
		reports: store.NewReportService(db, nil, phone.Parse), cases: store.NewCaseService(db, phone.Parse),
		referrals: store.NewReferralService(db), campaigns: store.NewCampaignService(db),
		stats: store.NewStatsService(db), releases: store.NewReleaseService(db), matches: store.NewMatchService(db, phone.Parse), invites: store.NewInviteService(db),
		credentials: store.NewCredentialService(db), reference: store.NewReferenceDataService(db, tropic.Settings{}),
		retention: store.NewRetentionService(db, tropic.DefaultRetention), misuse: store.NewMisuseService(db, tropic.DefaultMisuseRules)}
}

// setRetention applies the configured retention schedule.
func (s *services) setRetention(schedule tropic.RetentionSchedule) {
	s.retention = store.NewRetentionService(s.db, schedule)
}

// setSettingDefaults makes the flags the defaults of the settings not stored.
func (s *services) setSettingDefaults(d tropic.Settings) {
	s.reference = store.NewReferenceDataService(s.db, d)
}

// disclosureThreshold is the disclosure threshold in force for the next release.
func (s *services) disclosureThreshold(ctx context.Context) (int, error) {
	set, err := s.reference.FindSettings(ctx)
	return set.DisclosureThreshold, err
}

// health answers /readyz from the database.
type health struct{ db *store.DB }

func (h health) Ping(ctx context.Context) error { return h.db.Ping(ctx) }

func (h health) SchemaCurrent(ctx context.Context) (bool, error) {
	s, err := h.db.MigrationState(ctx)
	return err == nil && !s.Pending() && !s.TooNew(), err
}

func (s *services) webDeps(log *slog.Logger) web.Deps {
	links := store.NewLinkService(s.db, phone.Parse)
	return web.Deps{Agencies: s.agencies, Users: s.users, Tokens: s.tokens, Audit: s.audit, Reports: s.reports, Inbox: s.reports, Messages: s.reports, Cases: s.cases, Corrections: s.cases, Phones: phone.Parse,
		Links: links, Matches: s.matches, Access: links, Agreements: s.cases, Notifications: store.NewNotificationService(s.db),
		// The approvals queue's sources; retention reviews join as one more.
		Approvals: []tropic.ApprovalSource{s.cases.FindShareApprovals, s.cases.FindAccessApprovals, s.cases.FindRoleChangeApprovals, s.cases.FindClosureApprovals,
			s.retention.FindRetentionApprovals, s.matches.FindRevealApprovals},
		Reveals:   s.matches,
		Retention: s.retention, AuditSearch: s.audit, Misuse: s.misuse,
		Referrals: s.referrals, Stats: s.stats, Releases: s.releases,
		Campaigns: s.campaigns, Posters: s.campaigns, Exports: s.campaigns,
		Meetings: store.NewMeetingService(s.db), Plan: store.NewPlanService(s.db),
		Rights:   store.NewRightsService(s.db),
		Sessions: s.sessions, Health: health{s.db}, Logger: log, Now: time.Now,
		UserAdmin: s.users, Invites: s.invites, AdminHistory: s.audit, Holidays: s.referrals, NameLists: store.NewNameListService(s.db), Reference: s.reference,
		Credentials: s.credentials, Mail: s.mail,
		SSO: store.NewSSOService(s.db), SSOConnector: oidc.New(), SecurityKeys: store.NewSecurityKeyService(s.db),
		// The web server checks credentials only through these interfaces (internal/tropic).
		Passwords: auth.Passwords{Params: auth.DefaultParams}, TOTP: auth.TOTP{}}
}
