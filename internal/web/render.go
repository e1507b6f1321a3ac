package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"tropic/internal/tropic"
)

//go:embed all:templates
var templateFS embed.FS

// Layout is what the page template needs; every page struct embeds it.
type Layout struct {
	Title         string // the page's own title, without the service name
	Partnership   string
	Nonce         string
	RequestID     string
	Public        bool         // public pages carry "Exit this page"
	User          *tropic.User // the signed-in member of staff, if any
	MFAWaived     bool
	Nav           string // the staff navigation item to mark as current
	SigningIn     bool   // the sign-in pages: staff chrome, though nobody is signed in yet
	Show999       bool   // a public page without its own 999 warning: the layout adds one
	ShowTriage    bool   // the user has the triage role: the navigation offers the triage queue
	ShowIntake    bool   // the user may record calls (intake, triage): the navigation offers the call handlers' page
	ShowCases     bool   // the user works cases: the navigation offers the cases and the NRM referrals
	ShowInbox     bool   // the user has an inbox of reports passed to their agency (tropic.MayReadInbox)
	ShowStats     bool   // the user is an analyst or administrator: the navigation offers statistics
	ShowCampaigns bool   // the user manages campaigns (analysts and administrators): the navigation offers them
	ShowNetwork   bool   // the user is an analyst: the navigation offers the partnership's network
	ShowApprovals bool   // the user is a supervisor: the navigation offers the approvals queue
	ShowAudit     bool   // the user is a data protection officer: the navigation offers the audit search
	ShowNotices   bool   // the navigation offers notifications, with Unread
	Unread        int    // the user's unread notifications, for the header
	ShowAdmin     bool   // the user is an agency or partnership administrator: the navigation offers administration
	ShowMeetings  bool   // meetings are kept: the navigation offers them to every member of staff
	ShowPlan      bool   // the partnership plan is kept: the navigation offers it to every member of staff
	PrintOnly     bool   // a page made to print (the referral summary): printed without the service's chrome
	Errors        []FieldError
	NoChooser     bool   // a page that must not be left for another language (the reference and code, shown once)
	ChooserForm   string // a page of answers: the chooser's buttons send this form again in the language chosen
	JourneyStart  bool   // the start page of the report journey: its footer is short like the journey's (decision 77)

	locales     *Locales
	lang        *Catalogue // the visitor's language (public pages)
	langInURL   bool       // public links carry ?lang=: it was chosen, or is not English
	englishOnly bool       // a public page written only in English (the statistics): no chooser
	chooserPath string     // where the chooser leads: this page, in the language chosen
}

// FieldMessage returns the error message for field, for inline errors.
func (l *Layout) FieldMessage(field string) string {
	for _, e := range l.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// FullTitle is the <title>, with "Error: " first when the page shows errors.
func (l *Layout) FullTitle() string {
	t := l.Title + " – " + l.Partnership
	if len(l.Errors) > 0 {
		t = l.T("common.error_title", "title", t)
	}
	return t
}

// pageData is implemented by every page struct through its embedded Layout.
type pageData interface{ layout() *Layout }

func (l *Layout) layout() *Layout { return l }

// parseTemplates parses the layout with each page once, at start.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"roleLabels": func(roles []tropic.Role) string {
			s := make([]string, len(roles))
			for i, r := range roles {
				s[i] = r.Label()
			}
			return strings.Join(s, ", ")
		},
		// displayDate shows a YYYY-MM-DD date as people write it: 1 September 2026.
		"displayDate": func(d string) string {
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				return d
			}
			return t.Format("2 January 2006")
		},
		"join": strings.Join,
		// dict passes named arguments to a shared form-field template.
		"dict": func(pairs ...any) (map[string]any, error) {
			if len(pairs)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(pairs)/2)
			for i := 0; i < len(pairs); i += 2 {
				k, ok := pairs[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
				}
				m[k] = pairs[i+1]
			}
			return m, nil
		},
	}
	pages, err := fs.Glob(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".tmpl")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/_*.tmpl", p)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		out[name] = t
	}
	return out, nil
}

// newLayout fills the parts of the layout every page shares.
func (s *Server) newLayout(r *http.Request, title string) Layout {
	lang, explicit := s.locales.fromRequest(r)
	chooser := chooserPathOf(r)
	return Layout{
		Title:         title,
		Partnership:   s.cfg.PartnershipName,
		Nonce:         cspNonce(r.Context()),
		RequestID:     requestID(r.Context()),
		User:          userFrom(r.Context()),
		MFAWaived:     s.cfg.MFAWaived,
		ShowTriage:    canTriage(userFrom(r.Context())),
		ShowIntake:    canTakeReports(userFrom(r.Context())),
		ShowCases:     canWorkCases(userFrom(r.Context())),
		ShowInbox:     canReadInbox(userFrom(r.Context())) && s.deps.Inbox != nil,
		ShowStats:     canAnalyse(userFrom(r.Context())) && s.deps.Stats != nil,
		ShowCampaigns: canAnalyse(userFrom(r.Context())) && s.deps.Campaigns != nil,
		ShowNetwork:   canSeeAnalystNetwork(userFrom(r.Context())) && s.deps.Matches != nil,
		ShowApprovals: canSupervise(userFrom(r.Context())) && len(s.deps.Approvals) > 0,
		ShowAudit:     canSearchAudit(userFrom(r.Context())) && s.deps.AuditSearch != nil,
		ShowNotices:   userFrom(r.Context()) != nil && s.deps.Notifications != nil,
		Unread:        s.unreadNotifications(r),
		ShowAdmin:     canAdminister(userFrom(r.Context())) && s.deps.UserAdmin != nil,
		ShowMeetings:  userFrom(r.Context()) != nil && s.deps.Meetings != nil,
		ShowPlan:      userFrom(r.Context()) != nil && s.deps.Plan != nil,
		locales:       s.locales,
		lang:          lang,
		langInURL:     explicit || lang.Tag != defaultLang,
		chooserPath:   chooser,
	}
}

// date is a date as the page's language writes it: 20 November 2026.
func (l *Layout) date(t time.Time) string {
	return l.T("date.format", "day", t.Day(), "month", l.T(fmt.Sprintf("month.%d", int(t.Month()))), "year", t.Year())
}

// publicLayout is the layout of a public page, its title the message titleID in the
// visitor's language.
func (s *Server) publicLayout(r *http.Request, titleID string) Layout {
	l := s.newLayout(r, "")
	l.Public = true
	l.Title = l.T(titleID)
	return l
}

// chooserPathOf is the address the language chooser leads to from r: the page
// itself, without its lang, for a GET; the start of the service otherwise.
func chooserPathOf(r *http.Request) string {
	if r.Method != http.MethodGet {
		return "/"
	}
	q := r.URL.Query()
	q.Del("lang")
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// signInLayout is the layout of the sign-in and MFA pages: they belong to the staff
// service, not the public one.
func (s *Server) signInLayout(r *http.Request, title string) Layout {
	l := s.newLayout(r, title)
	l.SigningIn = true
	return l
}

// pagesWith999 are the public pages whose own content opens with the 999 warning;
// every other public page gets a short line above its content (DESIGN.md §4 rule 6).
var pagesWith999 = map[string]bool{"home": true, "report_start": true, "report_self_start": true, "report_sent": true,
	"report_form": true, "followup": true, "followup_messages": true, "followup_messages_signin": true, "followup_done": true}

// render writes a page. It renders into a buffer first so that a template error
// becomes a clean 500, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	t, ok := s.templates[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	if l := data.layout(); l.Public && !pagesWith999[name] {
		l.Show999 = true
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	Layout
	Heading string
	Message string
	Status  int
}

// renderError writes an error page with a safe message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	p := &errorPage{Layout: s.newLayout(r, heading), Heading: heading, Message: message, Status: status}
	p.Public = userFrom(r.Context()) == nil
	p.Show999 = p.Public
	if p.Public {
		// The chooser leads to the start page: a missing page must read the same,
		// byte for byte, whatever address was asked for (notFound).
		p.chooserPath = "/"
		p.Heading, _ = p.publicProblem(heading)
		p.Message, _ = p.publicProblem(message)
		p.Title = p.Heading
	}
	t := s.templates["error"]
	var buf bytes.Buffer
	if t == nil || t.ExecuteTemplate(&buf, "layout", p) != nil {
		// The error page itself failed: fall back to plain text rather than recurse.
		http.Error(w, heading+". Request id "+requestID(r.Context()), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ShortFooter: a page of the report journey (its start pages, the forms, "Check your
// answers", the confirmation) keeps only the footer's accessibility and privacy links and its
// numbers, so that the journey is short on a phone (decision 77).
func (l *Layout) ShortFooter() bool {
	return l.Public && (l.ChooserForm != "" || l.NoChooser || l.JourneyStart)
}
