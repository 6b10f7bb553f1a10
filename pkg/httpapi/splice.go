package httpapi

import (
	"encoding/json"
	"hash/crc32"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
)

// A splice is a change to a long text sent as what changed: keep Start
// bytes from the beginning and End bytes from the end of the text it is
// based on, and put Insert between them; CRC32 (IEEE, of the UTF-8 result)
// proves that both sides started from the same text. An autosave of a
// 50,000-word post sends a few hundred bytes instead of 360 KB, and its
// answer returns the rendered HTML the same way (issue 16, item 10).
type splice struct {
	Start  *int    `json:"start"`
	End    *int    `json:"end"`
	Insert *string `json:"insert"`
	CRC32  *uint32 `json:"crc32"`
}

// spliceOf is the splice that turns from into to: their common beginning and
// end are kept (whole characters only), the middle replaced.
func spliceOf(from, to string) spliceJSON {
	start := 0
	for start < len(from) && start < len(to) && from[start] == to[start] {
		start++
	}
	for start > 0 && start < len(from) && !utf8.RuneStart(from[start]) {
		start--
	}
	end := 0
	for end < len(from)-start && end < len(to)-start && from[len(from)-1-end] == to[len(to)-1-end] {
		end++
	}
	for end > 0 && !utf8.RuneStart(from[len(from)-end]) {
		end--
	}
	return spliceJSON{Start: start, End: end, Insert: to[start : len(to)-end], CRC32: crc32.ChecksumIEEE([]byte(to))}
}

// spliceJSON is a splice in an answer.
type spliceJSON struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Insert string `json:"insert"`
	CRC32  uint32 `json:"crc32"`
}

func badSplice(field, msg string) error {
	e := errs.Newf(errs.Invalid, "invalid_splice", "The splice of %q is not valid: it %s.", field, msg)
	e.Details = []errs.Detail{{Field: "splice." + field, Message: msg}}
	return e
}

// takeSplices removes "splice" from a merge patch and reads it: for each
// of the type's Markdown fields it names, a complete splice, and not also
// the field itself.
func takeSplices(patch map[string]any, markdown map[string]string) (map[string]splice, error) {
	raw, ok := patch["splice"]
	if !ok {
		return nil, nil
	}
	delete(patch, "splice")
	b, _ := json.Marshal(raw)
	var in map[string]json.RawMessage
	if err := json.Unmarshal(b, &in); err != nil || in == nil {
		return nil, errs.New(errs.Invalid, "invalid_splice", `"splice" must be an object of fields, such as {"body": {"start": 0, "end": 0, "insert": "…", "crc32": 0}}.`)
	}
	out := make(map[string]splice, len(in))
	for field, v := range in {
		if _, ok := markdown[field]; !ok {
			return nil, badSplice(field, "names no Markdown field of this type")
		}
		if _, both := patch[field]; both {
			return nil, badSplice(field, "comes with the field itself: send one or the other")
		}
		var s splice
		if err := decodeStrict(v, &s); err != nil || s.Start == nil || s.End == nil || s.Insert == nil || s.CRC32 == nil || *s.Start < 0 || *s.End < 0 {
			return nil, badSplice(field, "needs start and end (bytes, 0 or more), insert and crc32")
		}
		out[field] = s
	}
	return out, nil
}

// apply splices base; a splice that does not fit it (another base) is a
// 409 splice_mismatch: send the whole text instead.
func (s splice) apply(field, base string) (string, error) {
	start, end := *s.Start, *s.End
	if start+end > len(base) || (start < len(base) && !utf8.RuneStart(base[start])) || (end > 0 && !utf8.RuneStart(base[len(base)-end])) {
		return "", spliceMismatch(field)
	}
	out := base[:start] + *s.Insert + base[len(base)-end:]
	if crc32.ChecksumIEEE([]byte(out)) != *s.CRC32 {
		return "", spliceMismatch(field)
	}
	return out, nil
}

func spliceMismatch(field string) error {
	e := errs.Newf(errs.Conflict, "splice_mismatch", "The change to %q does not fit the text saved: send the whole text.", field)
	e.Details = []errs.Detail{{Field: "splice." + field, Message: "does not fit the saved text"}}
	return e
}

// sendSpliced answers a spliced PATCH with the entry, leaving out the long
// texts the client has (spliced fields, and their HTML) and giving instead
// their splices: from the text the client sent to the text stored (usually
// nothing), and from the HTML before to the HTML now.
func sendSpliced(c *fiber.Ctx, x entryAPI, sent, before map[string]string, full any) error {
	b, err := json.Marshal(full)
	if err != nil {
		return err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	splices := map[string]spliceJSON{}
	for field, text := range sent {
		html := x.markdown[field]
		stored, _ := out[field].(string)
		newHTML, _ := out[html].(string)
		splices[field] = spliceOf(text, stored)
		splices[html] = spliceOf(before[html], newHTML)
		delete(out, field)
		delete(out, html)
	}
	out["splices"] = splices
	return c.JSON(itemJSON{Data: out})
}
