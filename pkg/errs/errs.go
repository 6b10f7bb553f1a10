// Package errs defines Folio's one error type: a Kind that decides the HTTP
// status, a stable snake_case Code for programs, a Message for people and
// optional per-field Details.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error; the HTTP layer maps each Kind to one status code.
type Kind int

// The kinds of domain error. Internal is the zero value on purpose: an error
// nobody classified is treated as an internal failure, never as bad input.
const (
	Internal             Kind = iota // a bug or an infrastructure failure (500)
	Invalid                          // malformed request: bad JSON, unknown field, bad query parameter (400)
	Unauthenticated                  // missing or bad credentials (401)
	Forbidden                        // authenticated but not allowed (403)
	NotFound                         // no such resource, or not visible to the caller (404)
	MethodNotAllowed                 // route exists, method does not (405)
	Conflict                         // stale version, duplicate, or a state that forbids the action (409)
	PreconditionFailed               // If-Match given and did not match (412)
	TooLarge                         // body over its limit (413)
	RangeNotSatisfiable              // a byte range outside the file (416)
	UnsupportedMedia                 // wrong Content-Type or refused file type (415)
	Validation                       // well-formed but breaks a rule (422)
	PreconditionRequired             // a required precondition such as a version is missing (428)
	RateLimited                      // too many attempts (429)
	Unavailable                      // a dependency is down, e.g. the database in /readyz (503)
)

// Detail explains what is wrong with one field (or one query parameter).
type Detail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a classified error. Services return it for every failure a caller
// can act on; anything else reaching the HTTP layer becomes a generic 500.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Details []Detail
	// Meta carries extra machine-readable facts, e.g. the current version in a
	// conflict. It is serialised next to code and message when not empty.
	Meta map[string]any
	Err  error
}

// Error returns the message, followed by the wrapped cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// New returns an Error of the given kind, code and message.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Newf is New with a formatted message.
func Newf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error that keeps err as its cause.
func Wrap(err error, kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: err}
}

// With returns a copy of e that carries one more meta value.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Meta = make(map[string]any, len(e.Meta)+1)
	for k, v := range e.Meta {
		c.Meta[k] = v
	}
	c.Meta[key] = value
	return &c
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, kind Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == kind
}

// NotFoundf returns a NotFound error with code "not_found".
func NotFoundf(format string, args ...any) *Error {
	return Newf(NotFound, "not_found", format, args...)
}

// Fields collects field-level validation problems and turns them into one
// Validation error. The zero value is ready to use.
type Fields struct {
	list []Detail
}

// Add records a problem with field.
func (f *Fields) Add(field, message string) {
	f.list = append(f.list, Detail{Field: field, Message: message})
}

// Addf records a problem with field, with a formatted message.
func (f *Fields) Addf(field, format string, args ...any) {
	f.Add(field, fmt.Sprintf(format, args...))
}

// Has reports whether a problem has been recorded for field.
func (f *Fields) Has(field string) bool {
	for _, d := range f.list {
		if d.Field == field {
			return true
		}
	}
	return false
}

// Empty reports whether no problem has been recorded.
func (f *Fields) Empty() bool { return len(f.list) == 0 }

// Err returns nil when nothing was recorded, otherwise a 422-kind error with
// code "validation_failed" and every recorded detail.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	return &Error{Kind: Validation, Code: "validation_failed", Message: "Some fields are not valid.", Details: f.list}
}

// Validationf returns a Validation error about a single field.
func Validationf(field, format string, args ...any) *Error {
	var f Fields
	f.Addf(field, format, args...)
	return f.Err().(*Error)
}

// Describe returns a one-line description of err for a terminal: the field
// details of a validation error ("title must not be empty; slug …"), or
// the error's text.
func Describe(err error) string {
	var e *Error
	if errors.As(err, &e) && len(e.Details) > 0 {
		parts := make([]string, len(e.Details))
		for i, d := range e.Details {
			parts[i] = d.Field + " " + d.Message
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}
