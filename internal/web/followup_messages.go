package web

import (
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// Messages about a report, for its reporter: with the reference and follow-up code
// they read the messages the partnership sent and the report's broad status, and
// reply. Nothing is kept in the browser: each page is the answer to a form that
// carries the reference and code (hidden on the thread page, which is never cached),
// so closing the page or using "Exit this page" leaves nothing to come back to. The
// reply form carries a key made when the page was drawn, so that a form sent again
// (a refresh, the back button) posts the reply once.

// reporterThreadPage is the sign-in form and, after the right code, the thread. It
// keeps what was typed, the code too, on every error.
type reporterThreadPage struct {
	Layout
	Reference string
	Code      string
	Thread    *tropic.ReporterThread
	Messages  []reporterMessageView
	CanReply  bool
	Reply     string
	Key       string
	Sent      bool // the reply just sent (or sent before under the same key)
}

type reporterMessageView struct {
	FromReporter bool
	When         string
	Paragraphs   []string
}

func (s *Server) newReporterPage(r *http.Request, title string) *reporterThreadPage {
	p := &reporterThreadPage{Layout: s.newLayout(r, title)}
	p.Public = true
	return p
}

// withThread fills the page with the thread the reporter reads.
func (p *reporterThreadPage) withThread(th *tropic.ReporterThread) {
	p.Thread, p.Messages, p.Reference = th, nil, th.Reference
	for _, m := range th.Messages {
		p.Messages = append(p.Messages, reporterMessageView{FromReporter: m.FromReporter, When: displayDateTime(m.At), Paragraphs: paragraphs(m.Text)})
	}
	p.CanReply = th.MayReply() == nil
	if p.Key == "" || p.Sent {
		p.Key = tropic.NewFormKey()
	}
}

func (s *Server) handleReporterSignInForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "followup_messages_signin", s.newReporterPage(r, "Messages about your report"))
	})
}

// readCredentials reads the reference and code from the posted form into p, and
// checks them; it answers the sign-in page with the problems and returns "" when they
// are not right.
func (s *Server) readCredentials(w http.ResponseWriter, r *http.Request, p *reporterThreadPage) (string, bool) {
	p.Reference = strings.TrimSpace(r.PostForm.Get("reference"))
	p.Code = strings.TrimSpace(r.PostForm.Get("code"))
	var problems tropic.Problems
	ref := checkReporterCredentials(&p.Layout, &problems, p.Reference, p.Code)
	if err := problems.Err(); err != nil {
		p.Errors = errorsFrom(err, "reference", "code")
		s.render(w, r, http.StatusUnprocessableEntity, "followup_messages_signin", p)
		return "", false
	}
	return ref, true
}

// denyReporter answers a wrong reference or code with the sign-in page.
func (s *Server) denyReporter(w http.ResponseWriter, r *http.Request, p *reporterThreadPage, err error) {
	status, errs := s.reporterDenied(w, r, &p.Layout, err)
	p.Title, p.Thread, p.Reply = "Messages about your report", nil, ""
	p.Errors = errs
	s.render(w, r, status, "followup_messages_signin", p)
}

// handleReporterThread shows the thread to the reporter with the right code.
func (s *Server) handleReporterThread() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := s.newReporterPage(r, "Messages about your report")
		ref, ok := s.readCredentials(w, r, p)
		if !ok {
			return
		}
		th, err := s.deps.Messages.FindReporterThread(r.Context(), ref, tropic.HashFollowUpCode(p.Code))
		switch tropic.ErrorCode(err) {
		case "":
			p.withThread(th)
			s.render(w, r, http.StatusOK, "followup_messages", p)
		case tropic.EUNAUTHORISED:
			s.denyReporter(w, r, p, err)
		default:
			s.serverError(w, r, err)
		}
	})
}

// handleReporterReply adds the reporter's reply and shows the thread again, with the
// reply. A problem with the reply shows the thread with the problem and the reply as
// typed.
func (s *Server) handleReporterReply() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := s.newReporterPage(r, "Messages about your report")
		ref, ok := s.readCredentials(w, r, p)
		if !ok {
			return
		}
		p.Reply, p.Key = r.PostForm.Get("reply"), r.PostForm.Get("key")
		codeHash := tropic.HashFollowUpCode(p.Code)
		th, _, err := s.deps.Messages.ReplyToReport(r.Context(), ref, codeHash, p.Reply, p.Key)
		switch code := tropic.ErrorCode(err); code {
		case "":
			p.Sent, p.Reply = true, ""
			p.withThread(th)
			s.render(w, r, http.StatusOK, "followup_messages", p)
		case tropic.EUNAUTHORISED:
			s.denyReporter(w, r, p, err)
		case tropic.EINVALID, tropic.ETOOMANY:
			// The reply was not sent: show the thread (the code is checked again) with
			// the problem by the reply, and the reply as typed.
			th, terr := s.deps.Messages.FindReporterThread(r.Context(), ref, codeHash)
			if tropic.ErrorCode(terr) == tropic.EUNAUTHORISED {
				s.denyReporter(w, r, p, terr)
				return
			} else if terr != nil {
				s.serverError(w, r, terr)
				return
			}
			p.withThread(th)
			p.Errors = errorsFrom(err, "reply", "key")
			s.render(w, r, statusFor(code), "followup_messages", p)
		default:
			s.serverError(w, r, err)
		}
	})
}
