package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
	"tropic/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[options]", "Run the web service on TROPIC_DATABASE_URL. Staff must use multi-factor authentication.")
	addr := fs.String("addr", envOr(e, "TROPIC_ADDR", "127.0.0.1:8080"), "address to listen on (TROPIC_ADDR)")
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations at start (refuse to start instead)")
	name := fs.String("partnership", envOr(e, "TROPIC_PARTNERSHIP_NAME", "Anti-Slavery Partnership"), "the partnership's name, shown on every page (TROPIC_PARTNERSHIP_NAME)")
	tlsCert := fs.String("tls-cert", e.getenv("TROPIC_TLS_CERT"), "TLS certificate file; with --tls-key, serve HTTPS (TROPIC_TLS_CERT)")
	tlsKey := fs.String("tls-key", e.getenv("TROPIC_TLS_KEY"), "TLS key file (TROPIC_TLS_KEY)")
	secure := fs.Bool("secure-cookies", e.getenv("TROPIC_SECURE_COOKIES") == "1", "mark cookies Secure and send HSTS, for a TLS-terminating proxy in front (TROPIC_SECURE_COOKIES=1)")
	languages := fs.String("languages", e.getenv("TROPIC_LANGUAGES"), "comma-separated languages of the public pages, from "+strings.Join(web.ShippedLanguages(), ",")+"; empty: all of them; English is always on (TROPIC_LANGUAGES)")
	exitURL := fs.String("exit-url", envOr(e, "TROPIC_EXIT_URL", "https://www.bbc.co.uk/weather"), "the neutral site 'Exit this page' leads to (TROPIC_EXIT_URL)")
	leaverDays := fs.Int("leaver-days", envInt(e, "TROPIC_LEAVER_DAYS", 90), "staff not signed in for this many days are listed for an administrator to review as leavers (TROPIC_LEAVER_DAYS)")
	recoveryDays := fs.Int("recovery-days", envInt(e, "TROPIC_RECOVERY_DAYS", 30), "minimum NRM recovery period in days after a positive Reasonable Grounds decision (45 before 30 January 2023 stays) (TROPIC_RECOVERY_DAYS)")
	ipHeader := fs.String("client-ip-header", e.getenv("TROPIC_CLIENT_IP_HEADER"), "behind a reverse proxy, the header it writes the client's address into, e.g. X-Forwarded-For; rate limits need it (TROPIC_CLIENT_IP_HEADER)")
	proxies := fs.String("trusted-proxies", e.getenv("TROPIC_TRUSTED_PROXIES"), "comma-separated addresses or CIDR ranges of the reverse proxies whose --client-ip-header is believed; from any other peer it is ignored (TROPIC_TRUSTED_PROXIES)")
	metricsAddr := fs.String("metrics-addr", e.getenv("TROPIC_METRICS_ADDR"), "serve /metrics on this address of its own, e.g. 127.0.0.1:9090, instead of on the public listener (TROPIC_METRICS_ADDR)")
	hashSlots := fs.Int("hash-slots", envInt(e, "TROPIC_HASH_SLOTS", 4), "passwords checked at once (64 MiB each); sign-ins beyond them are asked to retry (TROPIC_HASH_SLOTS)")
	triageTargets := fs.String("triage-targets", envOr(e, "TROPIC_TRIAGE_TARGETS", tropic.DefaultTriageTargets.String()),
		"how soon triage should decide on a report, by urgency: a time (1h, 90m) or working days (5wd); reports past it are marked in the queue and counted on the triage hub's home (TROPIC_TRIAGE_TARGETS)")
	noticeFile := fs.String("public-notice", e.getenv("TROPIC_PUBLIC_NOTICE_FILE"), "a JSON file of what the privacy notice and accessibility statement say about this deployment: controller, DPO, lawful bases, accessibility (TROPIC_PUBLIC_NOTICE_FILE; example: internal/demo/public_notice.json)")
	ackTargets := fs.String("acknowledge-targets", envOr(e, "TROPIC_ACKNOWLEDGE_TARGETS", tropic.DefaultAcknowledgeTargets.String()),
		"how soon an agency should acknowledge a report passed to it, by urgency: a time (1h) or working days (2wd); reports past it are flagged to the triage hub (TROPIC_ACKNOWLEDGE_TARGETS)")
	sessionIdle := fs.String("session-idle", envOr(e, "TROPIC_SESSION_IDLE", tropic.DefaultSessionIdle.String()),
		"staff are signed out after this long without using Tropic, e.g. 30m (TROPIC_SESSION_IDLE)")
	sessionLifetime := fs.String("session-lifetime", envOr(e, "TROPIC_SESSION_LIFETIME", tropic.DefaultSessionLifetime.String()),
		"staff are signed out this long after signing in, however much they use Tropic, e.g. 12h (TROPIC_SESSION_LIFETIME)")
	retention := addRetentionFlag(fs, e)
	ssoConfig := fs.String("sso-config", e.getenv("TROPIC_SSO_CONFIG"),
		"JSON file of the agencies' OpenID Connect providers for single sign-on; see the README (TROPIC_SSO_CONFIG)")
	releaseSched := fs.String("release-schedule", envOr(e, releaseScheduleEnv, string(tropic.ReleaseQuarterly)),
		"publish the public statistics as a release after each closed month or quarter: monthly, quarterly or off ("+releaseScheduleEnv+")")
	mailFlags := addMailFlags(fs, e)
	keyFile := addAuditKeyFlag(fs, e)
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	schedule, err := parseReleaseSchedule(*releaseSched)
	retentionSched, err := retentionSchedule(*retention)
	if err != nil {
		return err
	}
	if err != nil {
		return err
	}
	sessions, err := parseSessionFlags(*sessionIdle, *sessionLifetime)
	if err != nil {
		return err
	}
	targets, err := tropic.ParseTriageTargets(*triageTargets)
	if err != nil {
		return usageError("--triage-targets (TROPIC_TRIAGE_TARGETS): " + err.Error())
	}
	acks, err := tropic.ParseTargets(*ackTargets, tropic.DefaultAcknowledgeTargets)
	if err != nil {
		return usageError("--acknowledge-targets (TROPIC_ACKNOWLEDGE_TARGETS): " + err.Error())
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return usageError("tropic serve: give both --tls-cert and --tls-key, or neither")
	}
	trusted, err := parseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	if *ipHeader != "" && len(trusted) == 0 {
		return usageError("--client-ip-header needs --trusted-proxies: the addresses of the proxies that write it (from anyone else it would let a client choose its own address)")
	}
	if *hashSlots < 1 || *hashSlots > 64 {
		return usageError("--hash-slots: give a number from 1 to 64")
	}
	mail, err := mailFlags.settings(listenBaseURL(*addr, *tlsCert != ""))
	if err != nil {
		return err
	}
	// No dev escape: a service whose audit chain anyone with the database could
	// rewrite is not run (decision 18). The demo makes its own key.
	keys, err := requireAuditKeys(e, *keyFile, "serve")
	if err != nil {
		return err
	}
	log := newLogger(e)
	db, err := openDB(ctx, databaseURL(e), !*noMigrate, store.Options{AuditKeys: keys})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db)
	svc.setRetention(retentionSched)
	mail.triageTargets = targets
	svc.useMailer(mail) // invitations from the administration pages
	svc.releaseSchedule = schedule
	stopJobs, err := startJobs(ctx, log, svc, mail) // notifications (jobs.go)
	if err != nil {
		return err
	}
	defer stopJobs() // after the HTTP server has shut down, before the database closes
	if *leaverDays < 7 || *leaverDays > 3650 {
		return usageError("--leaver-days: give a number of days from 7 to 3650")
	}
	if *recoveryDays < 1 || *recoveryDays > 365 {
		return usageError("--recovery-days: give a number of days from 1 to 365")
	}
	notice, err := readPublicNotice(*noticeFile)
	if err != nil {
		return err
	}
	recovery := tropic.RecoveryPeriod{Days: *recoveryDays, DaysBefore: tropic.DefaultRecoveryPeriod.DaysBefore, Change: tropic.DefaultRecoveryPeriod.Change}
	svc.referrals.SetRecoveryPeriod(recovery)
	svc.setSettingDefaults(tropic.Settings{TriageTargets: targets, AcknowledgeTargets: acks})
	providers, err := loadSSOProviders(ctx, e, *ssoConfig, svc.agencies)
	if err != nil {
		return err
	}
	cfg := web.Config{SSOProviders: providers, PartnershipName: *name, SecureCookies: *secure || *tlsCert != "", ExitURL: *exitURL, ClientIPHeader: *ipHeader, TrustedProxies: trusted,
		HashSlots: *hashSlots, MetricsToken: e.getenv("TROPIC_METRICS_TOKEN"), Recovery: recovery, BaseURL: mail.baseURL, Version: version,
		LeaverAfter:   time.Duration(*leaverDays) * 24 * time.Hour,
		TriageTargets: targets, AcknowledgeTargets: acks, SessionIdle: sessions.Idle, SessionLifetime: sessions.Lifetime, PublicNotice: notice,
		Retention: retentionSched, Languages: splitList(*languages)}
	return serve(ctx, e, log, svc, cfg, listeners{addr: *addr, metricsAddr: *metricsAddr, tlsCert: *tlsCert, tlsKey: *tlsKey}, func(url string) {
		fmt.Fprintf(e.stdout, "Tropic is running at %s (database: %s)\n", url, db.Dialect())
	})
}

// parseSessionFlags reads --session-idle and --session-lifetime; an error names the flag.
func parseSessionFlags(idle, lifetime string) (tropic.SessionLimits, error) {
	l, err := tropic.ParseSessionLimits(idle, lifetime)
	if err == nil {
		return l, nil
	}
	msg := tropic.ErrorMessage(err)
	if rest, ok := strings.CutPrefix(msg, "idle: "); ok {
		return l, usageError("--session-idle (TROPIC_SESSION_IDLE): " + rest)
	}
	return l, usageError("--session-lifetime (TROPIC_SESSION_LIFETIME): " + strings.TrimPrefix(msg, "lifetime: "))
}

// parseTrustedProxies reads a comma-separated list of addresses and CIDR ranges.
func parseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			return nil, usageError(fmt.Sprintf("--trusted-proxies: %q is not an IP address or CIDR range, like 10.0.0.5 or 10.0.0.0/24", f))
		}
	}
	return out, nil
}

// envInt reads a whole number from the environment, def when unset or not a number
// (the flag's own check then reports a bad value given on the command line).
func envInt(e *env, key string, def int) int {
	if n, err := strconv.Atoi(e.getenv(key)); err == nil {
		return n
	}
	return def
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(e *env) *slog.Logger {
	level := slog.LevelInfo
	if e.getenv("TROPIC_LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	} else if e.getenv("TROPIC_LOG_LEVEL") == "warn" {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// listeners are where serve listens: the service, and optionally the metrics on an
// address of their own (plain HTTP, for a scraper on a private network).
type listeners struct {
	addr, metricsAddr string
	tlsCert, tlsKey   string
}

// serve listens and serves until ctx ends, then shuts down gracefully, letting
// requests in flight finish for a few seconds.
func serve(ctx context.Context, e *env, log *slog.Logger, svc *services, cfg web.Config, l listeners, ready func(url string)) error {
	srv, err := web.New(cfg, svc.webDeps(log))
	if err != nil {
		return err
	}
	addr, tlsCert, tlsKey := l.addr, l.tlsCert, l.tlsKey
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if l.metricsAddr != "" {
		mln, err := net.Listen("tcp", l.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", l.metricsAddr, err)
		}
		ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go ms.Serve(mln)
		defer ms.Close()
		log.Info("metrics listening", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	scheme := "http"
	if tlsCert != "" {
		scheme = "https"
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go sweepSessions(ctx, log, svc)
	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- hs.ServeTLS(ln, tlsCert, tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	url := scheme + "://" + ln.Addr().String()
	log.Info("listening", "url", url, "database", string(svc.db.Dialect()), "version", version)
	ready(url)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Requests in flight get a few seconds to finish; connections that never sent a
	// request (browsers open spares) are then closed rather than waited for.
	shutCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
	} else if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweepSessions removes expired sessions now and then; any process may do it.
func sweepSessions(ctx context.Context, log *slog.Logger, svc *services) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.sessions.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				log.Warn("sweep sessions", "error", err.Error())
			} else if n > 0 {
				log.Info("swept expired sessions", "count", n)
			}
		}
	}
}

// readPublicNotice reads --public-notice: nil when none is given (the pages then say
// that the deployment has not stated it), a usage error naming the field when the
// file is wrong.
func readPublicNotice(file string) (*tropic.PublicNotice, error) {
	if file == "" {
		return nil, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, usageError(fmt.Sprintf("--public-notice: %v", err))
	}
	n, err := tropic.ParsePublicNotice(b)
	if err != nil {
		msg := tropic.ErrorMessage(err)
		fields := tropic.ErrorFields(err)
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			msg += fmt.Sprintf("\n  %s: %s", f, fields[f])
		}
		return nil, usageError(fmt.Sprintf("--public-notice %s: %s", file, msg))
	}
	return n, nil
}

// splitList reads a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
