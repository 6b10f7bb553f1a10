package httpapi

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// allowTable answers which methods a path takes, for the Allow header a
// 405 must carry (RFC 9110 §15.5.6). It is built from the route table.
type allowTable []struct {
	segments []string
	methods  []string
}

func newAllowTable(routes []route) allowTable {
	var t allowTable
	add := func(path string, methods ...string) {
		segs := strings.Split(strings.Trim(path, "/"), "/")
		for i := range t {
			if slices.Equal(t[i].segments, segs) {
				for _, m := range methods {
					if !slices.Contains(t[i].methods, m) {
						t[i].methods = append(t[i].methods, m)
					}
				}
				return
			}
		}
		t = append(t, struct {
			segments []string
			methods  []string
		}{segs, methods})
	}
	for _, r := range routes {
		switch {
		case r.method == fiber.MethodGet:
			add(r.path, fiber.MethodGet, fiber.MethodHead)
		default:
			add(r.path, r.method)
		}
		if r.deliver {
			add(r.path, fiber.MethodOptions)
		}
	}
	return t
}

// methods returns the methods path takes, comma-separated, in a stable order.
func (t allowTable) methods(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var out []string
	for _, r := range t {
		if matchSegments(r.segments, segs) {
			for _, m := range r.methods {
				if !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	order := []string{fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete, fiber.MethodOptions}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	return strings.Join(out, ", ")
}

// matchSegments matches a path against a route pattern the way Fiber does
// for ours: ":name" takes one segment, "*" the rest; case does not matter.
func matchSegments(pattern, path []string) bool {
	for i, p := range pattern {
		if p == "*" {
			return true
		}
		if i >= len(path) || (path[i] == "" && p != "") {
			return false
		}
		if !strings.HasPrefix(p, ":") && !strings.EqualFold(p, path[i]) {
			return false
		}
	}
	return len(pattern) == len(path)
}
