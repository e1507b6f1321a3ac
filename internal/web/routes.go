package web

import "net/http"

// api registers an authenticated API route and remembers its pattern, so that a test
// can hold the OpenAPI document to the routes that exist.
func (s *Server) api(mux *http.ServeMux, pattern string, h http.Handler) {
	s.apiRoutes = append(s.apiRoutes, pattern)
	mux.Handle(pattern, s.requireToken(h))
}

// routes lists every route. Browser routes get sessions and cross-origin protection;
// API routes get bearer tokens and JSON only.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static := staticFiles()

	// Operations.
	mux.Handle("GET /healthz", s.handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /metrics", s.metrics.handler())

	// Assets.
	mux.Handle("GET /static/", handleStatic(static))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeFileFS(w, r, static, "favicon.ico")
	})

	// Public pages.
	mux.Handle("GET /{$}", s.browser(s.handlePublicPage("home", "Get help or report modern slavery")))
	mux.Handle("GET /accessibility", s.browser(s.handlePublicPage("accessibility", "Accessibility statement")))
	mux.Handle("GET /privacy", s.browser(s.handlePublicPage("privacy", "Privacy notice")))
	mux.Handle("GET /exit", s.browser(s.handleExit()))

	// Reporting a concern, and adding to a report.
	mux.Handle("GET /report", s.browser(s.handleReportStart()))
	mux.Handle("GET /report/new", s.browser(s.handleReportForm()))
	mux.Handle("POST /report/check", s.browser(s.handleReportCheck()))
	mux.Handle("POST /report/edit", s.browser(s.handleReportEdit()))
	mux.Handle("POST /report/submit", s.browser(s.handleReportSubmit()))
	mux.Handle("GET /report/follow-up", s.browser(s.handleFollowUpForm()))
	mux.Handle("POST /report/follow-up", s.browser(s.handleFollowUp()))
	mux.Handle("GET /report/follow-up/done", s.browser(s.handleFollowUpDone()))

	// Signing in.
	mux.Handle("GET /login", s.browser(s.handleLoginForm()))
	mux.Handle("POST /login", s.browser(s.handleLogin()))
	mux.Handle("GET /login/mfa/setup", s.browser(s.handleMFASetupForm()))
	mux.Handle("GET /login/mfa/qr.png", s.browser(s.handleMFAQRCode()))
	mux.Handle("POST /login/mfa/setup", s.browser(s.handleMFASetup()))
	mux.Handle("GET /login/mfa", s.browser(s.handleMFAForm()))
	mux.Handle("POST /login/mfa", s.browser(s.handleMFA()))
	mux.Handle("POST /logout", s.browser(s.handleLogout()))

	// Staff pages.
	mux.Handle("GET /staff", s.browser(s.requireUser(s.handleStaffHome())))

	// Triage (triage role only; anyone else gets the missing page).
	mux.Handle("GET /triage", s.triage(s.handleTriageQueue()))
	mux.Handle("GET /triage/reports/{ref}", s.triage(s.handleTriageReport()))
	mux.Handle("POST /triage/reports/{ref}/claim", s.triage(s.handleTriageClaim()))
	mux.Handle("POST /triage/reports/{ref}/notes", s.triage(s.handleTriageNote()))
	mux.Handle("POST /triage/reports/{ref}/urgency", s.triage(s.handleTriageUrgency()))
	mux.Handle("POST /triage/reports/{ref}/decision", s.triage(s.handleTriageDecision()))

	// JSON API.
	mux.Handle("GET /api/v1/openapi.json", s.handleOpenAPI())
	s.api(mux, "GET /api/v1/me", s.handleAPIMe())
	s.api(mux, "POST /api/v1/reports", s.handleAPICreateReport())
	s.api(mux, "GET /api/v1/reports", s.handleAPIListReports())
	s.api(mux, "GET /api/v1/reports/{reference}", s.handleAPIGetReport())
	mux.Handle("/api/", s.handleAPINotFound())

	// Everything else.
	mux.Handle("/", s.browser(http.HandlerFunc(s.notFound)))

	// secureHeaders is outermost so that the 500 page observe writes after a panic
	// carries the request's CSP nonce too.
	return s.secureHeaders(s.observe(recordRoute(mux)))
}
