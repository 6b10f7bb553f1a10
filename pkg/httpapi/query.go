package httpapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
)

// Query parameters are read through these functions only, so that every
// endpoint is as strict as the contract: a parameter is either left out
// (its default applies) or given once with a value it accepts; an empty
// value, an unknown one or a repeated parameter is a 400 naming the
// parameter, and the message of an enum parameter lists exactly the values
// it accepts.

// queryValue returns a query parameter's value and whether it was given.
// Given twice is an error: which one would count is a guess.
func queryValue(c *fiber.Ctx, name string) (string, bool, error) {
	args := c.Context().QueryArgs()
	if !args.Has(name) {
		return "", false, nil
	}
	if len(args.PeekMulti(name)) > 1 {
		return "", true, badParam(name, "must be given once")
	}
	return string(args.Peek(name)), true, nil
}

// queryEnum reads a parameter that takes one of values; "" when left out.
func queryEnum(c *fiber.Ctx, name string, values ...string) (string, error) {
	v, given, err := queryValue(c, name)
	if err != nil || !given {
		return "", err
	}
	if !slices.Contains(values, v) {
		return "", badParam(name, "must be one of "+strings.Join(values, ", ")+" (or left out)")
	}
	return v, nil
}

// flagValues are what a yes/no parameter (mine, permanent, force,
// preview) accepts.
var flagValues = []string{"1", "0", "true", "false"}

// queryFlag reads a yes/no parameter: 1 or true, 0 or false; false when
// left out.
func queryFlag(c *fiber.Ctx, name string) (bool, error) {
	v, err := queryEnum(c, name, flagValues...)
	return v == "1" || v == "true", err
}

// queryList reads a comma-separated list of values (each one of values,
// when values are given); nil when left out. An empty list is an error.
func queryList(c *fiber.Ctx, name string, values ...string) ([]string, error) {
	v, given, err := queryValue(c, name)
	if err != nil || !given {
		return nil, err
	}
	items := splitComma(v)
	if len(items) == 0 {
		if len(values) == 0 {
			return nil, badParam(name, "must not be empty (or left out)")
		}
		return nil, badParam(name, "must be one or more of "+strings.Join(values, ", ")+", separated by commas (or left out)")
	}
	for _, it := range items {
		if len(values) > 0 && !slices.Contains(values, it) {
			return nil, badParam(name, "must be one or more of "+strings.Join(values, ", ")+", separated by commas (or left out)")
		}
	}
	return items, nil
}

// queryText reads a free-text parameter (trimmed); "" when left out. Given
// empty is taken as left out: a search box sent empty means no filter.
func queryText(c *fiber.Ctx, name string) (string, error) {
	v, _, err := queryValue(c, name)
	return strings.TrimSpace(v), err
}

// intParam reads a whole number from lo to hi; def when left out.
func intParam(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	s, given, err := queryValue(c, name)
	if err != nil || !given {
		return def, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}

// idQuery reads an optional positive id; nil when left out.
func idQuery(c *fiber.Ctx, name string) (*int64, error) {
	s, given, err := queryValue(c, name)
	if err != nil || !given {
		return nil, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return nil, badParam(name, "must be a positive whole number")
	}
	return &n, nil
}

func badParam(name, msg string) error {
	e := errs.Newf(errs.Invalid, "invalid_parameter", "The query parameter %q is not valid: it %s.", name, msg)
	e.Details = []errs.Detail{{Field: name, Message: msg}}
	return e
}
