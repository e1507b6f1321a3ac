package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// triState is an answer given as true, false, null, or "yes", "no", "not_sure".
type triState tropic.YesNoUnsure

func (t *triState) UnmarshalJSON(b []byte) error {
	switch s := string(bytes.TrimSpace(b)); s {
	case "true":
		*t = triState(tropic.AnswerYes)
	case "false":
		*t = triState(tropic.AnswerNo)
	case "null":
		*t = ""
	default:
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return errors.New(`give true, false, "yes", "no" or "not_sure"`)
		}
		*t = triState(v)
	}
	return nil
}

// reportBody is the JSON form of a report, for intake and for reading back.
type reportBody struct {
	Reference         string          `json:"reference,omitempty"`
	Channel           string          `json:"channel,omitempty"`
	ReceivedAt        *time.Time      `json:"received_at,omitempty"`
	Description       string          `json:"description"`
	Location          tropic.Location `json:"location"`
	SeenOn            string          `json:"seen_on,omitempty"`
	SeenWhen          string          `json:"seen_when,omitempty"`
	InDanger          triState        `json:"in_danger,omitempty"`
	ExploitationTypes []string        `json:"exploitation_types"`
	ExploitationLabel string          `json:"exploitation_label,omitempty"`
	CountyLines       bool            `json:"county_lines,omitempty"`
	Indicators        []string        `json:"indicators"`
	People            struct {
		Count            int      `json:"count,omitempty"`
		ChildrenInvolved triState `json:"children_involved,omitempty"`
		Description      string   `json:"description,omitempty"`
	} `json:"people"`
	Vehicles   []tropic.Vehicle `json:"vehicles"`
	Phones     []string         `json:"phones"`
	PhonesE164 []string         `json:"phones_e164,omitempty"`
	Businesses []string         `json:"businesses"`
	Reporter   tropic.Reporter  `json:"reporter"`
	HowHeard   string           `json:"how_heard,omitempty"`
	Language   string           `json:"language,omitempty"`
	// FormLanguage is read only: the language of the public form the report was sent in.
	FormLanguage string `json:"form_language,omitempty"`

	// Read back only.
	Urgency       string           `json:"urgency,omitempty"`
	UrgencyReason string           `json:"urgency_reason,omitempty"`
	Status        string           `json:"status,omitempty"`
	Timeline      []timelineEntity `json:"timeline,omitempty"`
	// Handoffs: each passing to an agency, oldest first. ReporterContactWithheld: the
	// reporter gave contact details the reader may not see (the hub did not pass them on).
	Handoffs                []*tropic.Handoff `json:"handoffs,omitempty"`
	ReporterContactWithheld bool              `json:"reporter_contact_withheld,omitempty"`
}

type timelineEntity struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"`
	User   string    `json:"user,omitempty"`
	Agency string    `json:"agency,omitempty"`
	Text   string    `json:"text"`
}

func (b *reportBody) report() *tropic.Report {
	r := &tropic.Report{
		Channel: tropic.Channel(b.Channel), Description: b.Description, Location: b.Location, SeenOn: b.SeenOn, SeenWhen: b.SeenWhen,
		InDanger: tropic.YesNoUnsure(b.InDanger), Vehicles: b.Vehicles, Businesses: b.Businesses, Reporter: b.Reporter,
		HowHeard: b.HowHeard, Language: b.Language,
	}
	r.Exploitation.CountyLines = b.CountyLines
	for _, t := range b.ExploitationTypes {
		r.Exploitation.Types = append(r.Exploitation.Types, tropic.ExploitationType(t))
	}
	for _, i := range b.Indicators {
		r.Indicators = append(r.Indicators, tropic.Indicator(i))
	}
	r.People.Count, r.People.ChildrenInvolved, r.People.Description = b.People.Count, tropic.YesNoUnsure(b.People.ChildrenInvolved), b.People.Description
	for _, p := range b.Phones {
		r.Phones = append(r.Phones, tropic.Phone{Number: p})
	}
	for i := range r.Vehicles {
		r.Vehicles[i].Normalised = "" // computed, never taken from input
	}
	return r
}

func reportBodyFrom(r *tropic.Report) *reportBody {
	received := r.ReceivedAt
	b := &reportBody{
		Reference: r.Reference, Channel: string(r.Channel), ReceivedAt: &received, Description: r.Description, Location: r.Location,
		SeenOn: r.SeenOn, SeenWhen: r.SeenWhen, InDanger: triState(r.InDanger), ExploitationTypes: []string{},
		ExploitationLabel: r.Exploitation.Label(), CountyLines: r.Exploitation.CountyLines, Indicators: []string{},
		Vehicles: r.Vehicles, Phones: []string{}, Businesses: r.Businesses, Reporter: r.Reporter, HowHeard: r.HowHeard,
		Language: r.Language, FormLanguage: r.FormLanguage, Urgency: string(r.Urgency), UrgencyReason: r.UrgencyReason, Status: string(r.Status),
		Handoffs: r.Handoffs, ReporterContactWithheld: r.ContactWithheld,
	}
	for _, t := range r.Exploitation.Types {
		b.ExploitationTypes = append(b.ExploitationTypes, string(t))
	}
	for _, i := range r.Indicators {
		b.Indicators = append(b.Indicators, string(i))
	}
	b.People.Count, b.People.ChildrenInvolved, b.People.Description = r.People.Count, triState(r.People.ChildrenInvolved), r.People.Description
	for _, p := range r.Phones {
		b.Phones = append(b.Phones, p.Number)
		b.PhonesE164 = append(b.PhonesE164, p.E164)
	}
	if b.Vehicles == nil {
		b.Vehicles = []tropic.Vehicle{}
	}
	if b.Businesses == nil {
		b.Businesses = []string{}
	}
	for _, n := range r.Notes {
		b.Timeline = append(b.Timeline, timelineEntity{At: n.At, Source: n.Source, User: n.User, Agency: n.Agency, Text: n.Text})
	}
	// Messages with the reporter are part of the timeline, by time.
	for _, m := range r.Messages {
		e := timelineEntity{At: m.At, Source: "message_to_reporter", User: m.User, Agency: m.Agency, Text: m.Text}
		if m.FromReporter {
			e.Source = "message_from_reporter"
		}
		b.Timeline = append(b.Timeline, e)
	}
	sort.SliceStable(b.Timeline, func(i, j int) bool { return b.Timeline[i].At.Before(b.Timeline[j].At) })
	return b
}

// apiFieldNames maps the form's field names, which validation uses, to JSON paths.
var apiFieldNames = map[string]string{
	"address": "location.address", "postcode": "location.postcode", "district": "location.district",
	"exploitation": "exploitation_types", "people_count": "people.count", "children_involved": "people.children_involved",
	"people_description": "people.description", "reporter_name": "reporter.name", "reporter_contact": "reporter.contact",
	"reporter_relationship": "reporter.relationship",
}

var indexedField = regexp.MustCompile(`^(vehicle|phone|business)_(\d+)(?:_(\w+))?$`)

func apiFieldName(f string) string {
	if n, ok := apiFieldNames[f]; ok {
		return n
	}
	if m := indexedField.FindStringSubmatch(f); m != nil {
		i, _ := strconv.Atoi(m[2])
		list := map[string]string{"vehicle": "vehicles", "phone": "phones", "business": "businesses"}[m[1]]
		path := fmt.Sprintf("%s[%d]", list, i-1)
		if m[3] != "" {
			path += "." + m[3]
		}
		return path
	}
	return f
}

func apiProblems(err error) map[string]string {
	fields := tropic.ErrorFields(err)
	if fields == nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[apiFieldName(k)] = v
	}
	return out
}

// decodeJSON reads a JSON request body strictly: JSON content type, text only (see
// rewrittenJSONField), one object, no unknown fields. It answers the client itself
// and returns false on failure.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSONError(w, http.StatusUnsupportedMediaType, tropic.EINVALID, "Send JSON with Content-Type: application/json.", nil)
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err == nil {
		if field := rewrittenJSONField(body); field != "" {
			writeJSONError(w, http.StatusBadRequest, tropic.EINVALID, "The body is not all text: JSON must be UTF-8, with no unpaired surrogate escapes.",
				map[string]string{field: "must be valid UTF-8 text"})
			return false
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			err = errors.New("unexpected data after the JSON object")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		writeJSONError(w, http.StatusRequestEntityTooLarge, tropic.EINVALID, fmt.Sprintf("The body is larger than %d bytes.", tooBig.Limit), nil)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "A field has the wrong type.", map[string]string{field: "must be " + jsonTypeName(typeErr.Type.Kind().String())})
	case errors.As(err, &syntaxErr):
		writeJSONError(w, http.StatusBadRequest, tropic.EINVALID, fmt.Sprintf("The body is not valid JSON (at byte %d).", syntaxErr.Offset), nil)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The body has a field this API does not know.", map[string]string{name: "unknown field"})
	case strings.Contains(err.Error(), "give true, false"):
		writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "A yes/no answer has the wrong form.", map[string]string{"body": err.Error()})
	default:
		writeJSONError(w, http.StatusBadRequest, tropic.EINVALID, "The body could not be read as one JSON object: "+err.Error(), nil)
	}
	return false
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}

type reportCreated struct {
	Reference     string `json:"reference"`
	Urgency       string `json:"urgency"`
	UrgencyReason string `json:"urgency_reason"`
	FollowUpCode  string `json:"follow_up_code"`
}

// handleAPICreateReport takes a report from a call handler or a partner system. An
// Idempotency-Key header makes a retried request return the first report, with the
// same follow-up code, instead of making a second; the key sent again with another
// body answers 422 naming the header, and the first report stays as it was.
func (s *Server) handleAPICreateReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		actor := tropic.ActorFor(u)
		if !tropic.CanTakeReports(actor) {
			s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only triage and intake staff may enter reports."))
			return
		}
		var body reportBody
		if !s.decodeJSON(w, r, &body) {
			return
		}
		rep := body.report()
		if rep.Channel == "" {
			rep.Channel = tropic.ChannelHelpline
		}
		if rep.Channel.Valid() && !rep.Channel.TakenByStaff() { // the public form's; an unknown one is Validate's
			writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The web channel is for the public form.", map[string]string{"channel": "must be " + staffChannelList()})
			return
		}
		key, keyHash := strings.TrimSpace(r.Header.Get("Idempotency-Key")), ""
		code := tropic.NewFollowUpCode()
		if key != "" {
			if len(key) > 200 || tropic.HasControlChars(key) {
				writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The Idempotency-Key header is too long.", map[string]string{"Idempotency-Key": "at most 200 characters"})
				return
			}
			// Keys are scoped to the user, so one client cannot replay another's report.
			scoped := fmt.Sprintf("api:%d:%s", u.ID, key)
			keyHash, code = tropic.HashFormKey(scoped), tropic.FollowUpCode(scoped)
		}
		rep.FollowUpHash = tropic.HashFollowUpCode(code)
		sent, err := s.deps.Reports.CreateReport(r.Context(), actor, rep, keyHash)
		if err != nil {
			if fields := tropic.ErrorFields(err); fields["form_key"] != "" {
				writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The Idempotency-Key was used before for a report with a different body; the first report is unchanged.",
					map[string]string{"Idempotency-Key": "was used before with a different body: send a new key for a new report, or the same body to get the first report again"})
				return
			}
			if tropic.ErrorCode(err) == tropic.EINVALID {
				writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The report has problems; see fields.", apiProblems(err))
				return
			}
			s.apiFail(w, r, err)
			return
		}
		status := http.StatusCreated
		if sent != tropic.ReportStored {
			status = http.StatusOK
		}
		w.Header().Set("Location", "/api/v1/reports/"+rep.Reference)
		writeJSON(w, status, reportCreated{Reference: rep.Reference, Urgency: string(rep.Urgency), UrgencyReason: rep.UrgencyReason, FollowUpCode: code})
	})
}

func (s *Server) handleAPIGetReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := s.deps.Reports.FindReportByReference(r.Context(), tropic.ActorFor(userFrom(r.Context())), r.PathValue("reference"))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, reportBodyFrom(rep))
	})
}

type reportList struct {
	Total   int           `json:"total"`
	Reports []*reportBody `json:"reports"`
}

// handleAPIListReports is the triage queue as JSON.
func (s *Server) handleAPIListReports() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := tropic.ActorFor(userFrom(r.Context()))
		if !actor.Has(tropic.RoleTriage) {
			s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only triage staff may list reports."))
			return
		}
		q := r.URL.Query()
		f := tropic.ReportFilter{District: q.Get("district"), Exploitation: tropic.ExploitationType(q.Get("exploitation_type")),
			Channel: tropic.Channel(q.Get("channel")), Reference: q.Get("reference")}
		for _, st := range q["status"] {
			f.Statuses = append(f.Statuses, tropic.ReportStatus(st))
		}
		var bad tropic.Problems
		for _, p := range []struct {
			name string
			dst  *time.Time
		}{{"received_from", &f.From}, {"received_to", &f.To}} {
			if v := q.Get(p.name); v != "" {
				t, err := time.Parse(time.DateOnly, v)
				if err != nil {
					bad.Add(p.name, "must be a date like 2026-11-20")
				}
				*p.dst = t
			}
		}
		f.Limit, f.Offset = apiPaging(q, &bad)
		if err := bad.Err(); err != nil {
			writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The query has problems; see fields.", tropic.ErrorFields(err))
			return
		}
		if !f.To.IsZero() {
			f.To = f.To.AddDate(0, 0, 1)
		}
		reports, total, err := s.deps.Reports.FindReports(r.Context(), actor, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := reportList{Total: total, Reports: []*reportBody{}}
		for _, rep := range reports {
			out.Reports = append(out.Reports, reportBodyFrom(rep))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// staffChannelList names the channels staff may enter reports through, for a problem.
func staffChannelList() string {
	names := make([]string, len(tropic.StaffChannels))
	for i, c := range tropic.StaffChannels {
		names[i] = string(c)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// apiPaging reads a list's limit and offset from the query, adding a problem for each
// that is not a whole number, 0 or more.
func apiPaging(q url.Values, bad *tropic.Problems) (limit, offset int) {
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &limit}, {"offset", &offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				bad.Add(p.name, "must be a whole number, 0 or more")
			}
			*p.dst = n
		}
	}
	return limit, offset
}
