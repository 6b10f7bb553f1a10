package store

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Cond is a condition on entries for a list: all (or, with Any, any) of
// Kids, or, without Kids, one comparison of an allow-listed field. Values
// are always bound parameters; nothing from a request is pasted into SQL.
// The Ghost Content API's filters are translated into these.
type Cond struct {
	Any  bool
	Kids []Cond
	Not  bool // the leaf's comparison negated ("is none of")

	Field  string   // a key of condFields
	Op     string   // "=" (any of Values), or for times ">", ">=", "<", "<="
	Values []string // "=": any of these; featured: "true"/"false"; id: decimal
	Time   time.Time
}

// condFields are the fields a Cond may compare, each as SQL with one
// parameter (the values, or the time).
var condFields = map[string]string{
	"tag": "entries.id IN (SELECT et.entry_id FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE lower(t.slug) IN ?)",
	"primary_tag": `entries.id IN (SELECT et.entry_id FROM entry_tags et JOIN tags t ON t.id = et.tag_id
		WHERE lower(t.slug) IN ? AND et.position = (SELECT MIN(p.position) FROM entry_tags p WHERE p.entry_id = et.entry_id))`,
	"author":       "entries.author_id IN (SELECT u.id FROM users u WHERE lower(u.slug) IN ?)",
	"slug":         "lower(entries.slug) IN ?",
	"id":           "entries.id IN ?",
	"type":         "entries.type IN ?",
	"featured":     "entries.featured IN ?",
	"published_at": "entries.published_at %s ?",
}

// where adds c to q.
func (c Cond) where(q *gorm.DB) (*gorm.DB, error) {
	sql, args, err := c.sql()
	if err != nil {
		return nil, err
	}
	return q.Where(sql, args...), nil
}

func (c Cond) sql() (string, []any, error) {
	if len(c.Kids) > 0 {
		parts := make([]string, 0, len(c.Kids))
		var args []any
		for _, k := range c.Kids {
			s, a, err := k.sql()
			if err != nil {
				return "", nil, err
			}
			parts = append(parts, "("+s+")")
			args = append(args, a...)
		}
		join := " AND "
		if c.Any {
			join = " OR "
		}
		s := strings.Join(parts, join)
		if c.Not {
			s = "NOT (" + s + ")"
		}
		return s, args, nil
	}
	tmpl, ok := condFields[c.Field]
	if !ok {
		return "", nil, fmt.Errorf("store: unknown condition field %q", c.Field)
	}
	var s string
	var arg any
	switch {
	case c.Field == "published_at":
		if !strings.Contains(">,>=,<,<=,=", c.Op) || c.Op == "" {
			return "", nil, fmt.Errorf("store: unknown comparison %q", c.Op)
		}
		s, arg = fmt.Sprintf(tmpl, c.Op), c.Time.UTC()
	case c.Op != "=":
		return "", nil, fmt.Errorf("store: %s compares with = only", c.Field)
	case c.Field == "featured":
		vals := make([]bool, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v == "true"
		}
		s, arg = tmpl, vals
	case c.Field == "id" || c.Field == "type":
		s, arg = tmpl, c.Values
	default: // slugs: compared ignoring case
		lower := make([]string, len(c.Values))
		for i, v := range c.Values {
			lower[i] = strings.ToLower(v)
		}
		s, arg = tmpl, lower
	}
	if len(c.Values) == 0 && c.Field != "published_at" {
		if c.Not { // none of nothing: every entry
			return "1 = 1", nil, nil
		}
		return "1 = 0", nil, nil
	}
	if c.Not {
		if c.Field == "author" {
			s = "entries.author_id IS NULL OR NOT (" + s + ")"
		} else {
			s = "NOT (" + s + ")"
		}
	}
	return "(" + s + ")", []any{arg}, nil
}
