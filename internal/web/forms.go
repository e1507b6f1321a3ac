package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"tropic/internal/tropic"
)

// Reading forms and reporting their problems, for every page: the body within its size
// limit, errors from the domain as the error summary and inline messages, choices.

// parseForm reads a form body within the size limit, answering 413 or 400 itself.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "What you sent is too large",
				fmt.Sprintf("The form can take up to %d kilobytes. Shorten what you typed and try again.", s.cfg.MaxFormBytes>>10))
			return false
		}
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read",
			"Your browser sent a form this service could not read ("+formProblem(err)+"). Go back, reload the page and try again.")
		return false
	}
	for _, vs := range r.PostForm {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "The form held text that is not valid UTF-8. Go back, check what you typed and try again.")
				return false
			}
		}
	}
	return true
}

// formProblem names what was wrong with a form without echoing its content.
func formProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "invalid semicolon"):
		return "a semicolon separated the fields"
	case strings.Contains(msg, "invalid URL escape"):
		return "a broken percent-encoding"
	case strings.Contains(msg, "mime"), strings.Contains(msg, "Content-Type"):
		return "an unexpected content type"
	}
	return "malformed form data"
}

// FieldError is one entry of the error summary, linking to its field.
type FieldError struct {
	Field   string // the id of the input to link to
	Message string
}

// errorsFrom turns a validation error into error-summary entries in the page's field order.
func errorsFrom(err error, order ...string) []FieldError {
	fields := tropic.ErrorFields(err)
	if len(fields) == 0 {
		if err == nil {
			return nil
		}
		return []FieldError{{Field: "", Message: tropic.ErrorMessage(err)}}
	}
	var out []FieldError
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := fields[f]; ok {
			out = append(out, FieldError{Field: f, Message: m})
			seen[f] = true
		}
	}
	for f, m := range fields {
		if !seen[f] {
			out = append(out, FieldError{Field: f, Message: m})
		}
	}
	return out
}

// fieldErrors turns a validation error into error-summary entries whose fields are
// the ids of a form's inputs: prefix plus the domain's field name.
func fieldErrors(err error, prefix string, order ...string) []FieldError {
	errs := errorsFrom(err, order...)
	for i := range errs {
		if errs[i].Field != "" {
			errs[i].Field = prefix + errs[i].Field
		}
	}
	return errs
}

// invalid is an EINVALID error for one field, for problems found at the edge.
func invalid(field, msg string) error {
	return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

// radioOptions gives radios ids: the first is the field's id, so that the error
// summary links to it; the others are numbered from 2 as GOV.UK Frontend does.
func radioOptions(id string, opts []selectOption) []selectOption {
	for i := range opts {
		opts[i].ID = id
		if i > 0 {
			opts[i].ID = id + "-" + strconv.Itoa(i+1)
		}
	}
	return opts
}
