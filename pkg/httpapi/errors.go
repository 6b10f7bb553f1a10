package httpapi

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
)

// statusOf is THE table from error kind to HTTP status.
var statusOf = map[errs.Kind]int{
	errs.Internal:             fiber.StatusInternalServerError,
	errs.Invalid:              fiber.StatusBadRequest,
	errs.Unauthenticated:      fiber.StatusUnauthorized,
	errs.Forbidden:            fiber.StatusForbidden,
	errs.NotFound:             fiber.StatusNotFound,
	errs.MethodNotAllowed:     fiber.StatusMethodNotAllowed,
	errs.Conflict:             fiber.StatusConflict,
	errs.PreconditionFailed:   fiber.StatusPreconditionFailed,
	errs.TooLarge:             fiber.StatusRequestEntityTooLarge,
	errs.RangeNotSatisfiable:  fiber.StatusRequestedRangeNotSatisfiable,
	errs.UnsupportedMedia:     fiber.StatusUnsupportedMediaType,
	errs.Validation:           fiber.StatusUnprocessableEntity,
	errs.PreconditionRequired: fiber.StatusPreconditionRequired,
	errs.RateLimited:          fiber.StatusTooManyRequests,
	errs.Unavailable:          fiber.StatusServiceUnavailable,
}

// fiberErrors maps the errors Fiber and fasthttp produce themselves.
var fiberErrors = map[int]*errs.Error{
	fiber.StatusNotFound:                    errs.New(errs.NotFound, "not_found", "No such resource."),
	fiber.StatusMethodNotAllowed:            errs.New(errs.MethodNotAllowed, "method_not_allowed", "This method is not allowed on this resource."),
	fiber.StatusRequestEntityTooLarge:       errs.New(errs.TooLarge, "payload_too_large", "The request body is too large."),
	fiber.StatusRequestHeaderFieldsTooLarge: errs.New(errs.TooLarge, "headers_too_large", "The request headers are too large."),
	fiber.StatusRequestTimeout:              errs.New(errs.Invalid, "request_timeout", "The request took too long to arrive."),
	fiber.StatusBadRequest:                  errs.New(errs.Invalid, "bad_request", "The request is malformed."),
}

var errInternal = errs.New(errs.Internal, "internal", "Something went wrong on our side. It has been logged; please try again, and tell us the request id if it keeps happening.")

// writeError turns any error into the one JSON error shape,
// {"error":{"code","message","details":[…]}} plus any meta of the error. Unknown errors
// become a generic 500: the cause is logged with the request id, never sent.
func (a *api) writeError(c *fiber.Ctx, err error) error {
	var e *errs.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &fe):
		if mapped, ok := fiberErrors[fe.Code]; ok {
			e = mapped
		} else if fe.Code >= 400 && fe.Code < 500 {
			e = errs.New(errs.Invalid, "bad_request", fe.Message)
		}
	}
	if e == nil || e.Kind == errs.Internal {
		a.log.Error("request failed", "request_id", requestIDOf(c), "method", c.Method(), "path", c.Path(), "error", err)
		e = errInternal
	} else if e.Kind == errs.Unavailable && e.Err != nil {
		a.log.Warn("request failed: a dependency is unavailable", "request_id", requestIDOf(c), "method", c.Method(), "path", c.Path(), "code", e.Code, "error", e.Err)
	}
	status := statusOf[e.Kind]
	if requestIDOf(c) == "" {
		// fasthttp refused the request before any middleware ran (e.g. a body
		// over the server's limit): still give it an id and a log line.
		id := newRequestID()
		c.Set(fiber.HeaderXRequestID, id)
		a.log.Info("request refused", "request_id", id, "method", c.Method(), "path", c.Path(), "status", status, "ip", c.IP())
	}
	if e.Kind == errs.MethodNotAllowed && a.allow != nil {
		c.Set(fiber.HeaderAllow, a.allow.methods(c.Path()))
	}
	if e.Kind == errs.Unauthenticated {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="folio"`)
	}
	if s, ok := e.Meta["retry_after_seconds"].(int); ok && (e.Kind == errs.RateLimited || e.Kind == errs.Unavailable) {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(s))
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	if strings.HasPrefix(c.Path(), ghostBase+"/") {
		return c.Send(a.ghostErrorJSON(c, e))
	}
	return c.Send(errorJSON(e))
}

// ghostErrorTypes are Ghost's names of the error kinds.
var ghostErrorTypes = map[errs.Kind]string{
	errs.Invalid: "BadRequestError", errs.Validation: "ValidationError", errs.Unauthenticated: "UnauthorizedError",
	errs.Forbidden: "NoPermissionError", errs.NotFound: "NotFoundError", errs.MethodNotAllowed: "MethodNotAllowedError",
	errs.RateLimited: "TooManyRequestsError", errs.TooLarge: "RequestEntityTooLargeError", errs.Unavailable: "InternalServerError",
	errs.Internal: "InternalServerError",
}

// ghostErrorJSON is an error as the Ghost Content API answers it:
// {"errors":[{"message","context","type",…}]}. Ghost's own messages for
// a missing or unknown key, so Ghost frontends recognise them.
func (a *api) ghostErrorJSON(c *fiber.Ctx, e *errs.Error) []byte {
	typ, ok := ghostErrorTypes[e.Kind]
	if !ok {
		typ = "BadRequestError"
	}
	msg, ctx := e.Message, (*string)(nil)
	if len(e.Details) > 0 {
		ctx = &e.Details[0].Message
	}
	switch e.Code {
	case "invalid_api_token":
		msg, ctx = "Unknown Content API Key", &e.Message
	case "api_token_required":
		// Ghost answers a missing key with a 403.
		c.Status(fiber.StatusForbidden)
		c.Response().Header.Del(fiber.HeaderWWWAuthenticate)
		typ, msg, ctx = "NoPermissionError", "Authorization failed", &e.Message
	}
	b, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message": msg, "context": ctx, "type": typ, "details": nil, "property": nil, "help": nil,
		"code": strings.ToUpper(e.Code), "id": requestIDOf(c), "ghostErrorCode": nil,
	}}})
	return b
}

// errorJSON encodes {"error":{"code","message","details",…meta}} with its
// keys in that order.
func errorJSON(e *errs.Error) []byte {
	details := e.Details
	if details == nil {
		details = []errs.Detail{}
	}
	b, _ := json.Marshal(struct {
		Code    string        `json:"code"`
		Message string        `json:"message"`
		Details []errs.Detail `json:"details"`
	}{e.Code, e.Message, details})
	keys := make([]string, 0, len(e.Meta))
	for k := range e.Meta {
		if k != "code" && k != "message" && k != "details" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	b = b[:len(b)-1]
	for _, k := range keys {
		v, err := json.Marshal(e.Meta[k])
		if err != nil {
			continue
		}
		kb, _ := json.Marshal(k)
		b = append(append(append(append(b, ','), kb...), ':'), v...)
	}
	return append(append([]byte(`{"error":`), b...), "}}"...)
}
