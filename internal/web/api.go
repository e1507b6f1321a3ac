package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// apiError is the one JSON error shape of DESIGN.md §5.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, code, message string, fields map[string]string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tropic"`)
	}
	writeJSON(w, status, apiError{Error: apiErrorBody{Code: code, Message: message, Fields: fields}})
}

// requireToken authenticates API calls with "Authorization: Bearer <token>".
func (s *Server) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			writeJSONError(w, http.StatusUnauthorized, tropic.EUNAUTHORISED, "Send an API token in the Authorization header: Authorization: Bearer <token>.", nil)
			return
		}
		u, err := s.deps.Tokens.AuthenticateToken(r.Context(), tropic.HashSecret(strings.TrimSpace(secret)))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxJSONBytes)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxUser, u)))
	})
}

type meResponse struct {
	ID     int64         `json:"id"`
	Email  string        `json:"email"`
	Name   string        `json:"name"`
	Agency agencySummary `json:"agency"`
	Roles  []tropic.Role `json:"roles"`
}

type agencySummary struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) handleAPIMe() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		roles := u.Roles
		if roles == nil {
			roles = []tropic.Role{}
		}
		writeJSON(w, http.StatusOK, meResponse{ID: u.ID, Email: u.Email, Name: u.Name, Agency: agencySummary{ID: u.Agency.ID, Name: u.Agency.Name}, Roles: roles})
	})
}

func (s *Server) handleAPINotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, tropic.ENOTFOUND, "There is no such API endpoint. See /api/v1/openapi.json.", nil)
	})
}

// Helpers every JSON handler uses: paths, queries, versions and refusals.

func apiTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func apiInvalid(w http.ResponseWriter, field, problem string) {
	writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, problem, map[string]string{field: problem})
}

// apiCaseRef reads the case reference of the path as people type it; a malformed one
// answers as a missing case.
func apiCaseRef(w http.ResponseWriter, r *http.Request) (string, bool) {
	ref, err := tropic.ParseCaseReference(r.PathValue("reference"))
	if err != nil {
		apiNotFound(w)
		return "", false
	}
	return ref, true
}

// apiPathID reads a numeric id of the path; anything else answers as a missing record.
func apiPathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		apiNotFound(w)
		return 0, false
	}
	return id, true
}

func apiActor(r *http.Request) tropic.Actor { return tropic.ActorFor(userFrom(r.Context())) }

// apiRequireCaseWorker refuses the collection operations (list, create, search, tasks)
// to roles that do not work cases; single records answer as missing instead.
func (s *Server) apiRequireCaseWorker(w http.ResponseWriter, r *http.Request, actor tropic.Actor) bool {
	if !tropic.CaseWorker(actor) {
		s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only caseworkers and supervisors work cases."))
		return false
	}
	return true
}

func apiRequireVersion(w http.ResponseWriter, v *int) bool {
	if v == nil {
		apiInvalid(w, "version", "Give the version of the record you edited, from the last read.")
		return false
	}
	return true
}

// apiQueryInt reads a whole number of at least 0 from the query, with a default and a cap.
func apiQueryInt(q map[string][]string, name string, def, max int, bad *tropic.Problems) int {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = vs[0]
	}
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		bad.Add(name, "must be a whole number, 0 or more")
		return def
	}
	return min(n, max)
}

func apiQueryBool(q map[string][]string, name string, def bool, bad *tropic.Problems) bool {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return def
	}
	b, err := strconv.ParseBool(vs[0])
	if err != nil {
		bad.Add(name, "must be true or false")
		return def
	}
	return b
}

func apiBadQuery(w http.ResponseWriter, bad *tropic.Problems) bool {
	if err := bad.Err(); err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, tropic.EINVALID, "The query has problems; see fields.", tropic.ErrorFields(err))
		return true
	}
	return false
}

func apiOneOf(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func apiSet(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
