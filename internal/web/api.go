package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

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
