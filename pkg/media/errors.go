package media

import (
	"errors"
	"fmt"
)

// ErrKind classifies why an upload was refused. The HTTP layer maps each kind
// to one status code (see the constants).
type ErrKind int

// The kinds of refusal. The zero value is deliberately not a kind: an error
// without a kind is an internal failure, never the client's fault.
const (
	// Invalid means the upload is malformed, e.g. empty (400).
	Invalid ErrKind = iota + 1
	// TooLarge means the body is over Limits.MaxBytes (413).
	TooLarge
	// UnsupportedMedia means the bytes are not an accepted, well-formed,
	// harmless JPEG, PNG, GIF, WebP or PDF (415).
	UnsupportedMedia
	// TooManyPixels means the image is accepted by type but its pixel count
	// is over Limits.MaxPixels (422).
	TooManyPixels
)

// String returns the kind's name, e.g. "TooLarge".
func (k ErrKind) String() string {
	switch k {
	case Invalid:
		return "Invalid"
	case TooLarge:
		return "TooLarge"
	case UnsupportedMedia:
		return "UnsupportedMedia"
	case TooManyPixels:
		return "TooManyPixels"
	}
	return fmt.Sprintf("ErrKind(%d)", int(k))
}

// Error is an upload refused for a reason the uploader can act on. Msg is a
// complete sentence meant for the uploader; Err, when set, is the technical
// cause and belongs in logs only.
type Error struct {
	Kind ErrKind
	Msg  string
	Err  error
}

// Error returns Msg, followed by the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or 0 when there
// is none (an internal failure, such as a full disk or a cancelled context).
func KindOf(err error) ErrKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func refuse(kind ErrKind, msg string, cause error) *Error {
	return &Error{Kind: kind, Msg: msg, Err: cause}
}

// accepted ends every message about a refused type.
const accepted = "Upload PNG, JPEG, GIF, WebP or PDF."
