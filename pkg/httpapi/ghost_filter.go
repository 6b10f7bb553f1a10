package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

// The Ghost Content API's filter parameter: the subset of NQL that Ghost
// frontends use, parsed into a content.Cond.
//
//	filter := or
//	or     := and ("," and)*
//	and    := term ("+" term)*
//	term   := "(" or ")" | field ":" ["-"] value
//	value  := "[" atom ("," atom)* "]" | [">" | ">=" | "<" | "<="] atom
//	atom   := 'quoted' | "quoted" | bare
//
// Fields are mapped by the resource (ghostPostFields for posts and pages);
// anything else is refused with Ghost's 400 BadRequestError.

// ghostField is how a filter field of one resource maps onto a
// content.Cond field.
type ghostField struct {
	field string // the content.Cond field
	kind  byte   // 's' slugs/strings, 'b' true/false, 'i' Ghost ids, 't' times
}

// ghostPostFields are the filter fields of posts and pages.
var ghostPostFields = map[string]ghostField{
	"tag": {"tag", 's'}, "tags": {"tag", 's'}, "tags.slug": {"tag", 's'},
	"primary_tag": {"primary_tag", 's'}, "primary_tag.slug": {"primary_tag", 's'},
	"author": {"author", 's'}, "authors": {"author", 's'}, "authors.slug": {"author", 's'},
	"primary_author": {"author", 's'}, "primary_author.slug": {"author", 's'},
	"featured": {"featured", 'b'}, "slug": {"slug", 's'}, "id": {"id", 'i'},
	"published_at": {"published_at", 't'},
}

// ghostTagFields and ghostAuthorFields are the filter fields of tags and
// authors, matched in memory (see condMatches).
var (
	ghostTagFields    = map[string]ghostField{"slug": {"slug", 's'}, "id": {"id", 'i'}, "name": {"name", 's'}, "visibility": {"visibility", 's'}}
	ghostAuthorFields = map[string]ghostField{"slug": {"slug", 's'}, "id": {"id", 'i'}}
)

type nqlParser struct {
	src    string
	pos    int
	fields map[string]ghostField
}

// parseGhostFilter parses a Ghost filter; a bad one is Ghost's 400
// "Error parsing filter" with where and why as its context.
func parseGhostFilter(src string, fields map[string]ghostField) (content.Cond, error) {
	p := &nqlParser{src: src, fields: fields}
	c, err := p.or()
	if err == nil && p.peek() != 0 {
		err = p.fail("unexpected %q", p.src[p.pos:p.pos+1])
	}
	if err != nil {
		return content.Cond{}, err
	}
	return c, nil
}

func (p *nqlParser) fail(format string, a ...any) error {
	ctx := fmt.Sprintf("Query Error: "+format+" at character %d of the filter", append(a, p.pos+1)...)
	e := errs.New(errs.Invalid, "ghost_filter", "Error parsing filter")
	e.Details = []errs.Detail{{Field: "filter", Message: ctx}}
	return e
}

func (p *nqlParser) skip() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *nqlParser) peek() byte {
	p.skip()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *nqlParser) or() (content.Cond, error) {
	return p.list(',', true, p.and)
}

func (p *nqlParser) and() (content.Cond, error) {
	return p.list('+', false, p.term)
}

// list parses items separated by sep; one item stands for itself.
func (p *nqlParser) list(sep byte, any bool, item func() (content.Cond, error)) (content.Cond, error) {
	first, err := item()
	if err != nil {
		return first, err
	}
	kids := []content.Cond{first}
	for p.peek() == sep {
		p.pos++
		next, err := item()
		if err != nil {
			return next, err
		}
		kids = append(kids, next)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return content.Cond{Any: any, Kids: kids}, nil
}

func (p *nqlParser) term() (content.Cond, error) {
	switch p.peek() {
	case '(':
		p.pos++
		c, err := p.or()
		if err != nil {
			return c, err
		}
		if p.peek() != ')' {
			return c, p.fail("expected )")
		}
		p.pos++
		return c, nil
	case 0:
		return content.Cond{}, p.fail("unexpected end")
	}
	start := p.pos
	for p.pos < len(p.src) && isNQLName(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return content.Cond{}, p.fail("unexpected %q", p.src[p.pos:p.pos+1])
	}
	f, ok := p.fields[name]
	if !ok {
		p.pos = start
		return content.Cond{}, p.fail("the field %q can't be filtered on here", name)
	}
	if p.peek() != ':' {
		return content.Cond{}, p.fail("expected : after %s", name)
	}
	p.pos++
	c := content.Cond{Field: f.field, Op: "="}
	if p.peek() == '-' {
		p.pos++
		c.Not = true
	}
	switch p.peek() {
	case '>', '<':
		c.Op = p.src[p.pos : p.pos+1]
		p.pos++
		if p.pos < len(p.src) && p.src[p.pos] == '=' {
			c.Op += "="
			p.pos++
		}
		if f.kind != 't' || c.Not {
			return c, p.fail("%s can't be compared with %s", name, c.Op)
		}
	case '~':
		return c, p.fail("~ (contains) is not supported")
	}
	var atoms []string
	if p.peek() == '[' {
		if c.Op != "=" || f.kind == 't' {
			return c, p.fail("%s can't be compared with a list", name)
		}
		p.pos++
		for {
			a, err := p.atom()
			if err != nil {
				return c, err
			}
			atoms = append(atoms, a)
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if p.peek() != ']' {
				return c, p.fail("expected ] or ,")
			}
			p.pos++
			break
		}
	} else {
		a, err := p.atom()
		if err != nil {
			return c, err
		}
		atoms = []string{a}
	}
	for _, a := range atoms {
		switch f.kind {
		case 'b':
			if a != "true" && a != "false" {
				return c, p.fail("%s is true or false, not %q", name, a)
			}
			c.Values = append(c.Values, a)
		case 'i':
			c.Values = append(c.Values, strconv.FormatInt(ghostIDValue(a), 10))
		case 't':
			if c.Not {
				return c, p.fail("%s compares with one time", name)
			}
			t, ok := parseGhostTime(a)
			if !ok {
				return c, p.fail("%q is not a time such as '2026-05-01 10:00:00'", a)
			}
			c.Time = t
		default:
			c.Values = append(c.Values, a)
		}
	}
	return c, nil
}

func isNQLName(b byte) bool {
	return b == '_' || b == '.' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// atom reads a quoted or bare value.
func (p *nqlParser) atom() (string, error) {
	switch q := p.peek(); q {
	case '\'', '"':
		p.pos++
		var b strings.Builder
		for p.pos < len(p.src) {
			ch := p.src[p.pos]
			p.pos++
			switch {
			case ch == '\\' && p.pos < len(p.src):
				b.WriteByte(p.src[p.pos])
				p.pos++
			case ch == q:
				return b.String(), nil
			default:
				b.WriteByte(ch)
			}
		}
		return "", p.fail("unterminated quote")
	case 0:
		return "", p.fail("expected a value")
	}
	start := p.pos
	for p.pos < len(p.src) && !strings.ContainsRune(" \t'\"()[],+:", rune(p.src[p.pos])) {
		p.pos++
	}
	if start == p.pos {
		return "", p.fail("expected a value")
	}
	return p.src[start:p.pos], nil
}

// parseGhostTime reads the times Ghost filters take: '2026-05-01',
// '2026-05-01 10:00:00', or RFC 3339.
func parseGhostTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ghostID shows a Folio id as a Ghost id: 24 hex characters, like the
// ObjectIDs Ghost's own ids are.
func ghostID(id int64) string { return fmt.Sprintf("%024x", id) }

// ghostIDValue reads a Ghost id back; anything else is -1, which no record
// has.
func ghostIDValue(s string) int64 {
	if len(s) != 24 {
		return -1
	}
	n, err := strconv.ParseInt(s, 16, 64)
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

// mentionsTag reports whether c asks for (not against) a tag with slug.
func mentionsTag(c content.Cond, slug string) bool {
	for _, k := range c.Kids {
		if mentionsTag(k, slug) {
			return true
		}
	}
	if (c.Field == "tag" || c.Field == "primary_tag") && !c.Not {
		for _, v := range c.Values {
			if strings.EqualFold(v, slug) {
				return true
			}
		}
	}
	return false
}

// asTypeTag rewrites the conditions on the tag slug into "is of type t,
// or has the other tags": an internal tag that stands for an entry type.
func asTypeTag(c content.Cond, slug string, t content.Type) content.Cond {
	for i, k := range c.Kids {
		c.Kids[i] = asTypeTag(k, slug, t)
	}
	if c.Field != "tag" && c.Field != "primary_tag" {
		return c
	}
	var rest []string
	found := false
	for _, v := range c.Values {
		if strings.EqualFold(v, slug) {
			found = true
		} else {
			rest = append(rest, v)
		}
	}
	if !found {
		return c
	}
	return content.Cond{Any: true, Not: c.Not, Kids: []content.Cond{
		{Field: "type", Op: "=", Values: []string{string(t)}},
		{Field: c.Field, Op: "=", Values: rest},
	}}
}

// condMatches evaluates c in memory over a record whose fields get gives
// (tags and authors: short lists).
func condMatches(c content.Cond, get func(field string) string) bool {
	if len(c.Kids) > 0 {
		m := !c.Any
		for _, k := range c.Kids {
			if condMatches(k, get) == c.Any {
				m = c.Any
				break
			}
		}
		return m != c.Not
	}
	v, m := get(c.Field), false
	for _, want := range c.Values {
		if strings.EqualFold(v, want) {
			m = true
		}
	}
	return m != c.Not
}
