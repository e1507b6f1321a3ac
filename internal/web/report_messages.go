package web

import (
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// Messages to a report's reporter, from the report's pages (triage and inbox) and the
// API. Who may write is the store's to decide (tropic.MayMessageReporter); the form
// carries a key made when the page was drawn, so that a form sent twice posts once.

// messageTitle is how a message is headed in the report's timeline, for staff.
func messageTitle(m tropic.ReportMessage) string {
	switch {
	case m.FromReporter:
		return "The reporter replied to a message"
	case m.User != "" && m.Agency != "":
		return "Message to the reporter from " + m.User + ", " + m.Agency
	case m.User != "":
		return "Message to the reporter from " + m.User
	}
	return "Message to the reporter"
}

// messageSentFlash is the success message of a staff message, sent or replayed.
func messageSentFlash(sent tropic.ReportMessageSent) string {
	if sent.Replay {
		return "This message had already been sent. It was not sent again."
	}
	return "Your message has been sent. The reporter reads it on the follow-up page with their reference and code."
}

// handleTriageMessage writes to the reporter from the triage page.
func (s *Server) handleTriageMessage() http.Handler {
	return s.triageAction(
		func(r *http.Request) (triageForms, []string) {
			return triageForms{Message: r.PostFormValue("message"), MessageKey: r.PostFormValue("message_key")}, []string{"message", "key"}
		},
		func(r *http.Request, actor tropic.Actor, ref string, f triageForms) (string, error) {
			sent, err := s.deps.Messages.SendReportMessage(r.Context(), actor, ref, f.Message, f.MessageKey)
			return messageSentFlash(sent), err
		})
}

// handleInboxMessage writes to the reporter from the inbox page of the agency the
// report was passed to.
func (s *Server) handleInboxMessage() http.Handler {
	return s.inboxAction(func(r *http.Request, actor tropic.Actor, ref string, f inboxForms) (inboxDone, error) {
		sent, err := s.deps.Messages.SendReportMessage(r.Context(), actor, ref, f.Message, f.MessageKey)
		return inboxDone{next: inboxReportPath(ref) + "#messages", msg: messageSentFlash(sent)}, err
	})
}

// messages serves h when the store offers messages; otherwise the route is missing.
func (s *Server) messages(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Messages == nil {
			if isAPI(r) {
				apiNotFound(w)
			} else {
				s.notFound(w, r)
			}
			return
		}
		h.ServeHTTP(w, r)
	})
}

type messageList struct {
	Messages []tropic.ReportMessage `json:"messages"`
}

type messageSent struct {
	Message tropic.ReportMessage `json:"message"`
	Replay  bool                 `json:"replay"`
}

// handleAPIReportMessages lists the messages with the report's reporter.
func (s *Server) handleAPIReportMessages() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ms, err := s.deps.Messages.FindReportMessages(r.Context(), actorOf(r), r.PathValue("reference"))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, messageList{Messages: ms})
	})
}

// handleAPISendReportMessage writes to the report's reporter. An Idempotency-Key sent
// again returns the first message (200, replay true) and sends nothing.
func (s *Server) handleAPISendReportMessage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			Text string `json:"text"`
		}
		if !s.decodeJSON(w, r, &b) {
			return
		}
		key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
		sent, err := s.deps.Messages.SendReportMessage(r.Context(), actorOf(r), r.PathValue("reference"), b.Text, key)
		if err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"message": "text", "key": "Idempotency-Key"})
			return
		}
		status := http.StatusCreated
		if sent.Replay {
			status = http.StatusOK
		}
		writeJSON(w, status, messageSent{Message: sent.Message, Replay: sent.Replay})
	})
}
