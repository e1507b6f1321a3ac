package web

import (
	"context"
	"net/http"

	"tropic/internal/tropic"
)

// The one mapping from domain errors to HTTP: fail for pages, apiFail for the API.
// Every handler answers a domain error through one of them; none decides a status
// of its own for a refusal (decision record 6).
//
// The store, not the handler, decides what the actor may learn, and says it with the
// code:
//
//	ENOTFOUND      missing, or hidden from this actor: 404, exactly the answer of any
//	               missing address (the store's message is never shown), so that
//	               nobody learns what exists behind a refusal (DESIGN.md §4 rule 1)
//	EFORBIDDEN     the actor may know the record exists (or no record is at stake:
//	               the role may not do this at all) but may not do this: 403 with the
//	               store's reason
//	EINVALID       422, with the problem of each field
//	ECONFLICT      409 (a stale version, a claim taken, a decision already made)
//	EUNAUTHORISED  401
//	ELOCKED, ETOOMANY  429
//	anything else  500, logged with the request id, never shown

// statusFor is the HTTP status of a domain error code, for pages and API alike.
func statusFor(code string) int {
	switch code {
	case tropic.ENOTFOUND:
		return http.StatusNotFound
	case tropic.EFORBIDDEN:
		return http.StatusForbidden
	case tropic.EINVALID:
		return http.StatusUnprocessableEntity
	case tropic.ECONFLICT:
		return http.StatusConflict
	case tropic.EUNAUTHORISED:
		return http.StatusUnauthorized
	case tropic.ELOCKED, tropic.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// fail answers a domain error with a page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch code := tropic.ErrorCode(err); code {
	case tropic.EINTERNAL, "":
		if err == nil {
			err = errNilFailure
		}
		s.serverError(w, r, err)
	case tropic.ENOTFOUND:
		s.notFound(w, r)
	case tropic.EFORBIDDEN:
		s.renderError(w, r, http.StatusForbidden, "You cannot do this", tropic.ErrorMessage(err))
	default:
		s.renderError(w, r, statusFor(code), "There is a problem", tropic.ErrorMessage(err))
	}
}

// apiFail answers a domain error as JSON, the problems named as the API names its
// fields (apiDomainFieldNames).
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	s.apiFailNamed(w, r, err, nil)
}

// apiFailNamed is apiFail where one call names some fields differently; names take
// precedence over apiDomainFieldNames.
func (s *Server) apiFailNamed(w http.ResponseWriter, r *http.Request, err error, names map[string]string) {
	switch code := tropic.ErrorCode(err); code {
	case tropic.EINTERNAL, "":
		if err == nil {
			err = errNilFailure
		}
		s.serverError(w, r, err)
	case tropic.ENOTFOUND:
		apiNotFound(w)
	default:
		writeJSONError(w, statusFor(code), code, tropic.ErrorMessage(err), apiNamedProblems(err, names))
	}
}

// errNilFailure is what a handler that failed with no error is logged as.
var errNilFailure = tropic.Errorf(tropic.EINTERNAL, "a handler failed without an error")

// apiDomainFieldNames maps the domain's field names to the API's JSON names where the two differ.
var apiDomainFieldNames = map[string]string{
	"exploitation": "exploitation_types",
	"agency":       "agency_id",
	"assignee":     "agency_id",
	"person":       "person_id",
	"report":       "reference",
	// A share's agreement from the register, or why none applies.
	"agreement":        "agreement_id",
	"agreement_reason": "no_agreement_reason",
}

// apiNamedProblems names the problems of err by JSON name; names, when given, take
// precedence for the one call.
func apiNamedProblems(err error, names map[string]string) map[string]string {
	fields := tropic.ErrorFields(err)
	if fields == nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if n, ok := names[k]; ok {
			k = n
		} else if n, ok := apiDomainFieldNames[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

// apiNotFound is the API's answer for anything missing or hidden.
func apiNotFound(w http.ResponseWriter) {
	writeJSONError(w, http.StatusNotFound, tropic.ENOTFOUND, "Not found.", nil)
}

// notFound answers a missing page, and, identically, a page the user may not see:
// byte for byte the page of any missing address, which is served without a session
// user, so it never carries the user's navigation either.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		apiNotFound(w)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), ctxUser, (*tropic.User)(nil)))
	s.renderError(w, r, http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.")
}

// serverError logs an internal error with the request id and shows a safe page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "request_id", requestID(r.Context()), "error", err.Error())
	if isAPI(r) {
		writeJSONError(w, http.StatusInternalServerError, tropic.EINTERNAL, "Something went wrong on our side. Quote request id "+requestID(r.Context())+" if you report it.", nil)
		return
	}
	s.renderError(w, r, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later. If you contact the partnership's administrator about this, quote request id "+requestID(r.Context())+".")
}
