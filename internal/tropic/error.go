package tropic

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes: the one vocabulary of failure. The store maps driver errors to these,
// and the web layer maps these to HTTP statuses and pages or JSON (decision record 6).
//
// ENOTFOUND and EFORBIDDEN carry the rule of need to know: a record the actor may not
// know exists is ENOTFOUND, answered exactly as a missing one; EFORBIDDEN is only for
// a refusal that tells the actor nothing new (they see the record but may not do
// this, or their role may not do this whatever the record), and its message is shown.
const (
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden" // seen, or no record at stake, but not permitted: the reason is shown
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found" // missing, or hidden from the actor: the two answer alike
	EUNAUTHORISED = "unauthorised"
	ELOCKED       = "locked"       // an account locked after repeated failures
	ETOOMANY      = "rate_limited" // slow down: too many attempts in a short time
)

// Error is a domain error with a message that is safe to show to the user.
// Fields holds problems per input field (field name to message) for EINVALID.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("tropic error: code=%s message=%s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("tropic error: code=%s message=%s fields=[%s]", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; internal errors get a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side."
}

// ErrorFields returns the per-field problems of an EINVALID error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects validation problems per field, in the order they were found,
// so that forms can list them in the order of the page.
type Problems struct {
	order  []string
	fields map[string]string
}

// Add records a problem for field unless one is already recorded for it.
func (p *Problems) Add(field, message string) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, ok := p.fields[field]; ok {
		return
	}
	p.fields[field] = message
	p.order = append(p.order, field)
}

// Empty reports whether no problem was recorded.
func (p *Problems) Empty() bool { return len(p.order) == 0 }

// Err returns nil when there are no problems, else an EINVALID *Error carrying them.
func (p *Problems) Err() error {
	if p.Empty() {
		return nil
	}
	fields := make(map[string]string, len(p.fields))
	for k, v := range p.fields {
		fields[k] = v
	}
	msg := p.fields[p.order[0]]
	if len(p.order) > 1 {
		msg = fmt.Sprintf("%s (and %d more problems)", msg, len(p.order)-1)
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// Order returns the fields with problems in the order they were added.
func (p *Problems) Order() []string { return append([]string(nil), p.order...) }
