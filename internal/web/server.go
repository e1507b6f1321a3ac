// Package web serves Tropic over HTTP: the public pages, the staff pages behind a
// session with multi-factor authentication, and the JSON API behind bearer tokens.
// Every route is listed in routes.go.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/prometheus/client_golang/prometheus"

	"tropic/internal/tropic"
)

// Config is what the server needs to know about its deployment.
type Config struct {
	PartnershipName string        // shown in the header, e.g. "Hertfordshire Anti-Slavery Partnership"
	SecureCookies   bool          // cookies marked Secure and HSTS sent; set when served over TLS
	MFAWaived       bool          // demo only: staff sign in without a second factor, and every staff page says so
	ExitURL         string        // the neutral site that "Exit this page" leads to
	Version         string        // shown in /healthz
	StatsThreshold  int           // published counts below this show as "fewer than N"; default 5
	ResearchK       int           // k of the research export's k-anonymity; default 11
	SessionIdle     time.Duration // idle expiry of staff sessions; 30 minutes by default
	SessionLifetime time.Duration // how long a staff session lasts however much it is used; 12 hours by default
	LoginPolicy     tropic.LoginPolicy
	BaseURL         string                // the public address of the service, for links shared outside it
	ClientIPHeader  string                // behind a reverse proxy: the header holding the client's address, e.g. X-Forwarded-For
	TrustedProxies  []netip.Prefix        // the proxies whose ClientIPHeader is believed; from any other peer it is ignored
	HashSlots       int                   // password checks (argon2id, 64 MiB each by default) run at once; beyond them sign-in answers 503; default 4
	MetricsToken    string                // the bearer token /metrics asks for; empty: no /metrics here (serve it with MetricsHandler on another listener)
	Recovery        tropic.RecoveryPeriod // the NRM recovery period; the zero value is the default
	MaxFormBytes    int64                 // largest form body accepted
	MaxJSONBytes    int64                 // largest API body accepted
	ReportRateLimit int                   // reports one client address may send per 10 minutes: 0 for the default (10), below 0 for no limit (benchmarks)
	TriageTargets   tropic.TriageTargets  // how soon triage should review a report, by urgency; the zero value is tropic.DefaultTriageTargets
	LeaverAfter     time.Duration         // a user not signed in for this long is listed for review as a possible leaver; default 90 days
	ReauthWindow    time.Duration         // how recently a user must have proved who they are for a sensitive action; default 15 minutes
	SSOProviders    []tropic.SSOProvider  // the agencies' OpenID providers (AgencyID and ClientSecret filled in); none: password sign-in only
	// PublicNotice is what the deployment states on its privacy notice and
	// accessibility statement (controller, DPO, lawful bases, accessibility); nil: the
	// pages say that it has not been stated.
	PublicNotice *tropic.PublicNotice
	// AcknowledgeTargets: how soon an agency should acknowledge a report passed to it, by
	// urgency; the zero value is tropic.DefaultAcknowledgeTargets.
	AcknowledgeTargets tropic.TriageTargets
	// Retention is the retention schedule in force, stated on the privacy notice and
	// the retention page; the zero value is tropic.DefaultRetention.
	Retention tropic.RetentionSchedule
	// Languages are the public service's languages, by tag (see ShippedLanguages);
	// none: every shipped language. English is always on.
	Languages []string
}

// setDefaults fills in what the deployment left out.
func (d *Deps) setDefaults() {
	if ib, ok := d.Reports.(tropic.InboxService); ok && d.Inbox == nil {
		d.Inbox = ib // the store's report service keeps the inbox too
	}
}

func (c *Config) setDefaults() {
	if c.PartnershipName == "" {
		c.PartnershipName = "Anti-Slavery Partnership"
	}
	if c.ResearchK < 2 {
		c.ResearchK = 11 // the CTDC's k (DOMAIN.md)
	}
	if c.StatsThreshold < 2 {
		c.StatsThreshold = tropic.DefaultDisclosureThreshold
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://127.0.0.1:8080"
	}
	if c.ExitURL == "" {
		c.ExitURL = "https://www.bbc.co.uk/weather"
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = tropic.DefaultSessionIdle
	}
	if c.SessionLifetime <= 0 {
		c.SessionLifetime = tropic.DefaultSessionLifetime
	}
	if c.HashSlots < 1 {
		c.HashSlots = defaultHashSlots
	}
	if c.LoginPolicy == (tropic.LoginPolicy{}) {
		c.LoginPolicy = tropic.DefaultLoginPolicy
	}
	if c.MaxFormBytes == 0 {
		c.MaxFormBytes = 64 << 10
	}
	if c.MaxJSONBytes == 0 {
		c.MaxJSONBytes = 1 << 20
	}
	if c.TriageTargets == (tropic.TriageTargets{}) {
		c.TriageTargets = tropic.DefaultTriageTargets
	}
	if c.AcknowledgeTargets == (tropic.TriageTargets{}) {
		c.AcknowledgeTargets = tropic.DefaultAcknowledgeTargets
	}
	if c.LeaverAfter <= 0 {
		c.LeaverAfter = tropic.DefaultLeaverAfter
	}
	if c.ReauthWindow <= 0 {
		c.ReauthWindow = defaultReauthWindow
	}
	if c.ReportRateLimit == 0 {
		c.ReportRateLimit = reportLimit
	}
}

// Health reports on the database for /readyz.
type Health interface {
	Ping(ctx context.Context) error
	// Current reports whether the schema is at the version this binary knows.
	SchemaCurrent(ctx context.Context) (bool, error)
}

// Deps are the services the server calls.
type Deps struct {
	Agencies tropic.AgencyService
	Users    tropic.UserService
	Tokens   tropic.TokenService
	Audit    tropic.AuditService
	Reports  tropic.ReportService
	Inbox    tropic.InboxService // reports passed to an agency; nil: no inbox
	// Messages between staff and reporters; nil: no messages offered, anywhere.
	Messages tropic.ReportMessageService
	Cases    tropic.CaseService
	// Corrections changes and removes what a case holds; nil: no correction routes.
	Corrections tropic.CaseCorrections
	Links       tropic.LinkService  // exact links between records; nil: no links shown
	Matches     tropic.MatchService // person matches, networks and report matches; nil: none shown
	Referrals   tropic.ReferralService
	Stats       tropic.StatsService    // the statistics; nil: no statistics pages
	Releases    tropic.ReleaseStore    // the published statistics releases; nil: none
	Campaigns   tropic.CampaignService // campaigns and their effect; nil: no campaign pages
	Posters     tropic.PosterService   // campaigns' posters; nil with Campaigns set: none kept
	Meetings    tropic.MeetingService  // multi-agency meetings and their actions; nil: no meeting pages
	Plan        tropic.PlanService     // the partnership plan; nil: no plan pages
	Rights      tropic.RightsService   // rights requests (subject access and others); nil: no rights pages
	Exports     tropic.ExportService   // the research export's records; nil: no export
	Phones      tropic.PhoneParser     // normalises phone numbers in reports
	Passwords   tropic.PasswordChecker // checks passwords at sign-in (internal/auth, wired in cmd/tropic)
	TOTP        tropic.TOTPAuthenticator
	Sessions    tropic.SessionService
	// Notifications lists, counts and marks a user's notifications, and their e-mail
	// choice; nil: no notifications pages and no count in the header.
	Notifications tropic.NotificationCenter
	// Approvals are the sources of the supervisors' approvals queue (share, access and
	// role change requests; case closures join as one more source); none: no queue.
	Approvals []tropic.ApprovalSource
	// AuditSearch is the data protection officer's audit search (nil: no audit pages).
	AuditSearch tropic.AuditSearcher
	// Misuse is the data protection officers' queue of misuse alerts (nil: none).
	Misuse tropic.MisuseService
	// Retention is the supervisors' retention review queue (nil: no retention pages).
	Retention tropic.RetentionService
	Access    tropic.AccessRequestService // access requests; nil: none offered
	// Reveals keeps analysts' requests to reveal people of the partnership network;
	// nil: none offered.
	Reveals tropic.NetworkRevealService
	// Agreements is the register of data sharing agreements that shares cite; nil: no
	// register (shares then record why no agreement applies).
	Agreements tropic.AgreementService
	// The administration pages: accounts, invitations and their history; nil: none.
	UserAdmin    tropic.UserAdmin
	Invites      tropic.InviteService
	AdminHistory tropic.AdminHistoryService
	Holidays     tropic.HolidayService  // the one-off bank holidays; nil: no page for them
	NameLists    tropic.NameListService // administrators' entries in the name lists person matching reads; nil: no page
	// Reference is the reference data edited in the browser (settings, "how did you
	// hear" options); nil: the settings are the Config's and the options the built-in ones.
	Reference tropic.ReferenceDataService
	// Credentials keeps forgotten-password links and recovery codes.
	Credentials tropic.CredentialService
	// Mail sends invitations and forgotten-password links; nil: e-mail is not set up, no
	// invitation can be sent, and the forgotten-password page says to ask an administrator.
	Mail tropic.Mailer
	// SSO and SSOConnector sign staff in through their agency's OpenID provider;
	// required when Config.SSOProviders names any.
	SSO          tropic.SSOService
	SSOConnector tropic.SSOConnector
	SecurityKeys tropic.SecurityKeyService // WebAuthn keys as a second factor; nil: none
	Health       Health
	Logger       *slog.Logger
	Now          func() time.Time
}

// defaultHashSlots is how many passwords are checked at once unless configured: with
// the default argon2id cost, 256 MiB at most.
const defaultHashSlots = 4

// addressLimit failed sign-ins from one client address within addressLimitWindow
// block that address (docs/decisions.md record 3).
const (
	addressLimit       = 20
	addressLimitWindow = 15 * time.Minute
)

// Server holds the handlers' shared dependencies. It keeps no package-level state.
type Server struct {
	cfg       Config
	deps      Deps
	log       *slog.Logger
	now       func() time.Time
	sessions  *scs.SessionManager
	templates map[string]*template.Template
	locales   *Locales // the public service's enabled languages
	metrics   *metrics
	limiter   *limiter // failed sign-ins, per client address
	hashing   slots    // password checks running
	handler   http.Handler
	apiRoutes []string // "METHOD /path" of every authenticated API route
	// publicAPIRoutes are the API routes open without a token (the published statistics).
	publicAPIRoutes []string

	routePatterns []string // every pattern registered, for tests that walk the routes

	reportLimiter   *limiter // reports sent, per client address
	followUpLimiter *limiter // wrong follow-up codes, per client address

	resetClientLimiter  *limiter           // forgotten-password requests, per client address
	resetAddressLimiter *limiter           // forgotten-password requests, per e-mail address asked for
	background          sync.WaitGroup     // work done after a response (sending a reset link)
	webauthn            *webauthn.WebAuthn // the relying party for security keys; nil: off (see newWebAuthn)
}

// New builds a server; templates are parsed once here.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg.setDefaults()
	deps.setDefaults()
	if deps.Passwords == nil || deps.TOTP == nil || deps.Credentials == nil {
		return nil, errors.New("web.New: Deps.Passwords, Deps.TOTP and Deps.Credentials are required")
	}
	if len(cfg.SSOProviders) > 0 && (deps.SSO == nil || deps.SSOConnector == nil) {
		return nil, errors.New("web.New: single sign-on providers need Deps.SSO and Deps.SSOConnector")
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger, now: deps.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.locales, err = newLocales(cfg.Languages); err != nil {
		return nil, err
	}
	if s.templates, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.sessions = scs.New()
	s.sessions.Store = sessionStore{svc: deps.Sessions, codec: s.sessions.Codec, lim: cfg.sessionLimits()}
	s.sessions.IdleTimeout = cfg.SessionIdle
	s.sessions.Lifetime = cfg.SessionLifetime
	s.sessions.Cookie.Name = "tropic_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = cfg.SecureCookies
	s.sessions.Cookie.Persist = false
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.serverError(w, r, err) }
	s.metrics = newMetrics(prometheus.NewRegistry())
	s.limiter = newLimiter(s.now, addressLimit, addressLimitWindow)
	s.hashing = make(slots, cfg.HashSlots)
	s.reportLimiter = newLimiter(s.now, max(cfg.ReportRateLimit, 1), reportLimitWindow)
	s.followUpLimiter = newLimiter(s.now, followUpLimit, followUpLimitWindow)
	s.resetClientLimiter = newLimiter(s.now, resetPerClient, resetLimitWindow)
	s.resetAddressLimiter = newLimiter(s.now, resetPerAddress, resetLimitWindow)
	if wa, err := newWebAuthn(cfg); err != nil {
		s.log.Warn("security keys are off", "error", err.Error())
	} else {
		s.webauthn = wa
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves every route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Wait waits for the work begun after responses (e-mail being sent) to end.
func (s *Server) Wait() { s.background.Wait() }
