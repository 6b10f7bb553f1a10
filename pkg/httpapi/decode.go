package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
)

// MaxJSONBody is the largest JSON request body accepted.
const MaxJSONBody = 1 << 20

// decodeJSON decodes the request body strictly into dst: the Content-Type
// must be JSON (415), the body at most MaxJSONBody (413), well-formed (400),
// without unknown fields (400), and values of the right types (422).
// With optional set, an empty body leaves dst untouched.
func decodeJSON(c *fiber.Ctx, dst any, optional bool) error {
	if optional {
		body, err := readBody(c)
		if err != nil {
			return err
		}
		if len(body) == 0 {
			return nil
		}
	}
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(body, dst)
}

// readBody reads the request body, at most MaxJSONBody bytes (413 beyond).
// The server streams request bodies (uploads must not be buffered), so the
// body is read here, through a limit, once.
func readBody(c *fiber.Ctx) ([]byte, error) {
	const max = MaxJSONBody
	if b, ok := c.Locals(keyBody).([]byte); ok {
		return b, nil
	}
	if n := c.Request().Header.ContentLength(); n > max {
		return nil, bodyTooLarge(c, "The request body", MaxJSONBody) // refused before reading it
	}
	b, err := io.ReadAll(io.LimitReader(requestBody(c), int64(max)+1))
	if err != nil {
		return nil, errs.Wrap(err, errs.Invalid, "bad_request", "The request body could not be read.")
	}
	if len(b) > max {
		return nil, bodyTooLarge(c, "The request body", MaxJSONBody)
	}
	c.Locals(keyBody, b)
	return b, nil
}

// requestBody is the body as a stream, whether or not the server streamed it.
func requestBody(c *fiber.Ctx) io.Reader {
	if s := c.Context().RequestBodyStream(); s != nil {
		return s
	}
	return bytes.NewReader(c.Request().Body())
}

// jsonBody returns the request body after checking its Content-Type (415),
// size (413) and that it is not empty (400).
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	if err := requireJSON(c); err != nil {
		return nil, err
	}
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errs.New(errs.Invalid, "invalid_json", "The request body is empty; send a JSON object.")
	}
	return body, nil
}

// decodeStrict decodes one JSON object into dst: unknown fields are refused
// (400), values of the wrong type are a 422 naming the field, and so is a
// null for a field not tagged `nullable:"true"` (the contract's
// [T, 'null']), at any depth: encoding/json would silently keep the zero
// value.
func decodeStrict(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.New(errs.Invalid, "invalid_json", "The request body has data after the JSON value.")
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return jsonError(err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return errNotObject
	}
	return refuseNulls(doc, reflect.TypeOf(dst), "")
}

var errNotObject = errs.New(errs.Invalid, "invalid_json", "The request body must be a JSON object.")

// refuseNulls walks a decoded JSON value alongside the Go type it was
// decoded into and refuses a null wherever that type does not allow one.
func refuseNulls(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case nil:
		return errs.Validationf(path, "must not be null")
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			fields := jsonFieldsOf(t)
			for k, child := range val {
				f, ok := fields[k]
				if !ok || (child == nil && f.nullable) {
					continue
				}
				if err := refuseNulls(child, f.typ, join(path, k)); err != nil {
					return err
				}
			}
		case reflect.Map:
			for k, child := range val {
				if err := refuseNulls(child, t.Elem(), join(path, k)); err != nil {
					return err
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, child := range val {
				if err := refuseNulls(child, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonField is what refuseNulls knows of a struct field.
type jsonField struct {
	typ      reflect.Type
	nullable bool
}

var jsonFieldCache sync.Map // reflect.Type → map[string]jsonField

// jsonFieldsOf maps the JSON names of a struct's fields (embedded structs'
// included) to their types and whether they take null.
func jsonFieldsOf(t reflect.Type) map[string]jsonField {
	if m, ok := jsonFieldCache.Load(t); ok {
		return m.(map[string]jsonField)
	}
	out := map[string]jsonField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			for k, v := range jsonFieldsOf(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{typ: f.Type, nullable: f.Tag.Get("nullable") == "true"}
	}
	jsonFieldCache.Store(t, out)
	return out
}

func requireJSON(c *fiber.Ctx) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || (mt != fiber.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return errs.New(errs.UnsupportedMedia, "unsupported_media_type", "Send the body as application/json.")
	}
	return nil
}

// jsonError classifies a decoding error: a value of the wrong type is a
// validation problem of that field; everything else is a malformed request.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return errNotObject
		}
		return errs.Validationf(field, "must be %s, not %s", describeType(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return errs.Newf(errs.Invalid, "invalid_json", "The request body is not valid JSON (at byte %d).", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errs.New(errs.Invalid, "invalid_json", "The request body is not valid JSON (it ends too early).")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		e := errs.Newf(errs.Invalid, "unknown_field", "The request body has a field this endpoint does not accept: %q.", name)
		e.Details = []errs.Detail{{Field: name, Message: "is not a field of this resource, or cannot be set"}}
		return e
	}
	return errs.Wrap(err, errs.Invalid, "invalid_json", fmt.Sprintf("The request body could not be read: %v.", err))
}

func describeType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a " + kind
}
