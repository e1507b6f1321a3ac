package web

import (
	"net/http"
	"time"

	"tropic/internal/tropic"
)

// The API of handoffs: the triage hub's decision on a report, and the receiving
// agency's inbox, acknowledgement, acceptance and return. The rules are the store's,
// as on the pages; the page and the API name the same fields.

// decisionBody is a triage decision as the API takes it.
type decisionBody struct {
	Decision               string `json:"decision"` // pass_to_agency, no_further_action, duplicate, create_case, add_to_case
	AgencyID               int64  `json:"agency_id,omitempty"`
	CaseReference          string `json:"case_reference,omitempty"`
	CaseTitle              string `json:"case_title,omitempty"`
	DuplicateOf            string `json:"duplicate_of,omitempty"`
	Reason                 string `json:"reason,omitempty"`
	IncludeReporterContact bool   `json:"include_reporter_contact,omitempty"`
}

// decisionResult is where the report stands after a decision or an inbox action.
type decisionResult struct {
	Reference     string          `json:"reference"`
	Status        string          `json:"status"`
	CaseReference string          `json:"case_reference,omitempty"`
	Handoff       *tropic.Handoff `json:"handoff,omitempty"`
}

// apiDecisions maps the API's decisions to the report's outcome.
var apiDecisions = map[string]tropic.ReportStatus{
	"pass_to_agency": tropic.ReportPassedToAgency, "no_further_action": tropic.ReportNoFurtherAction,
	"duplicate": tropic.ReportDuplicate, "create_case": tropic.ReportLinkedToCase, "add_to_case": tropic.ReportLinkedToCase,
}

// handleAPIDecideReport records the triage hub's decision on a report. Anyone but the
// hub's triage users gets "not found", as on the triage pages. Passing the report to
// the agency that has it already changes nothing; another decision while an agency
// has it is a conflict.
func (s *Server) handleAPIDecideReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, actor := r.Context(), actorOf(r)
		ref, err := tropic.ParseReference(r.PathValue("reference"))
		if err != nil || !actor.InTriageHub() {
			apiNotFound(w)
			return
		}
		var b decisionBody
		if !s.decodeJSON(w, r, &b) {
			return
		}
		status, ok := apiDecisions[b.Decision]
		if !ok {
			writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "Choose a decision.",
				map[string]string{"decision": "must be pass_to_agency, no_further_action, duplicate, create_case or add_to_case"})
			return
		}
		res := decisionResult{Reference: ref}
		switch b.Decision {
		case "create_case", "add_to_case":
			res.CaseReference, err = s.acceptReport(r, actor, ref, b.Decision, b.CaseTitle, b.CaseReference)
			if err == nil && b.Reason != "" {
				err = s.deps.Reports.AddReportNote(ctx, actor, ref, "Decision: linked to case "+res.CaseReference+". "+b.Reason)
			}
		default:
			d := tropic.ReportDecision{Status: status, Reason: b.Reason, DuplicateOf: b.DuplicateOf, AgencyID: b.AgencyID,
				IncludeReporterContact: b.IncludeReporterContact}
			err = s.deps.Reports.DecideReport(ctx, actor, ref, d)
		}
		if err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"case_title": "case_title"})
			return
		}
		s.writeDecision(w, r, res)
	})
}

// writeDecision answers with the report's status and latest handoff as the actor reads them.
func (s *Server) writeDecision(w http.ResponseWriter, r *http.Request, res decisionResult) {
	rep, err := s.deps.Reports.FindReportByReference(r.Context(), actorOf(r), res.Reference)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	res.Status, res.Handoff = string(rep.Status), rep.LatestHandoff()
	if res.Handoff != nil && res.CaseReference == "" {
		res.CaseReference = res.Handoff.CaseReference
	}
	writeJSON(w, http.StatusOK, res)
}

// inboxEntity is one report in an agency's inbox, as the API lists it.
type inboxEntity struct {
	Reference             string         `json:"reference"`
	Urgency               string         `json:"urgency"`
	ReceivedAt            time.Time      `json:"received_at"`
	District              string         `json:"district,omitempty"`
	Status                string         `json:"status"`
	Handoff               tropic.Handoff `json:"handoff"`
	AcknowledgeBy         time.Time      `json:"acknowledge_by"`
	NotAcknowledgedInTime bool           `json:"not_acknowledged_in_time"`
}

// handleAPIInbox lists the reports passed to the user's agency: waiting (the default),
// accepted or all; overdue=1 keeps those not acknowledged in time.
func (s *Server) handleAPIInbox() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, actor := r.Context(), actorOf(r)
		if !tropic.MayReadInbox(actor) {
			s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only caseworkers, supervisors and triage users outside the hub have an inbox."))
			return
		}
		q := r.URL.Query()
		var f tropic.InboxFilter
		var bad tropic.Problems
		switch q.Get("show") {
		case "", "waiting":
		case "accepted":
			f.States = []tropic.HandoffState{tropic.HandoffAccepted}
		case "all":
			f.States = []tropic.HandoffState{tropic.HandoffPassed, tropic.HandoffAcknowledged, tropic.HandoffAccepted}
		default:
			bad.Add("show", "must be waiting, accepted or all")
		}
		f.Limit, f.Offset = apiPaging(q, &bad)
		if err := bad.Err(); err != nil {
			writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The query has problems; see fields.", tropic.ErrorFields(err))
			return
		}
		cal, err := s.triageCalendar(ctx)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		if q.Get("overdue") == "1" {
			f.AckOverdue = tropic.AcknowledgeOverdueCuts(cal.Acknowledge, s.now().In(partnershipZone), cal.Calendar)
		}
		items, total, err := s.deps.Inbox.FindInbox(ctx, actor, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		now := s.now()
		out := struct {
			Total   int           `json:"total"`
			Reports []inboxEntity `json:"reports"`
		}{Total: total, Reports: []inboxEntity{}}
		for _, it := range items {
			out.Reports = append(out.Reports, inboxEntity{Reference: it.Reference, Urgency: string(it.Urgency), ReceivedAt: it.ReceivedAt,
				District: it.District, Status: string(it.Status), Handoff: it.Handoff, AcknowledgeBy: s.ackDue(it.Urgency, it.PassedAt, cal).UTC(),
				NotAcknowledgedInTime: s.ackOverdue(&it.Handoff, it.Urgency, now, cal) != ""})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAPIAcknowledgeReport records that the user's agency has the report in hand;
// sent again, it answers the same.
func (s *Server) handleAPIAcknowledgeReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, err := s.deps.Inbox.AcknowledgeReport(r.Context(), actorOf(r), r.PathValue("reference"))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.writeDecision(w, r, decisionResult{Reference: r.PathValue("reference"), Handoff: h})
	})
}

// handleAPIAcceptReport accepts the report into a new case of the user's agency, or
// into one of its cases (case_reference). A second acceptance is a conflict.
func (s *Server) handleAPIAcceptReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, err := tropic.ParseReference(r.PathValue("reference"))
		if err != nil {
			apiNotFound(w)
			return
		}
		var b struct {
			CaseReference string `json:"case_reference,omitempty"`
			CaseTitle     string `json:"case_title,omitempty"`
		}
		if !s.decodeJSON(w, r, &b) {
			return
		}
		how := "create_case"
		if b.CaseReference != "" {
			how = "add_to_case"
		}
		caseRef, err := s.acceptReport(r, actorOf(r), ref, how, b.CaseTitle, b.CaseReference)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.writeDecision(w, r, decisionResult{Reference: ref, CaseReference: caseRef})
	})
}

// handleAPIReturnReport gives the report back to the triage hub with a reason.
func (s *Server) handleAPIReturnReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			Reason string `json:"reason"`
		}
		if !s.decodeJSON(w, r, &b) {
			return
		}
		h, err := s.deps.Inbox.ReturnReport(r.Context(), actorOf(r), r.PathValue("reference"), b.Reason)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		// The agency no longer reads the report: the answer is the handoff alone.
		writeJSON(w, http.StatusOK, decisionResult{Reference: r.PathValue("reference"), Status: string(tropic.ReportNew), Handoff: h})
	})
}
