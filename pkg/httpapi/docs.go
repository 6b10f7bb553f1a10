package httpapi

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gopkg.in/yaml.v3"

	"github.com/folio-cms/folio/pkg/markdown"
)

// The contract: api/openapi.yaml as a file, and as a readable page built
// from it once at start, bundled into the binary (no CDN, no script).

func (a *api) openapi(c *fiber.Ctx) error {
	if len(a.spec) == 0 {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(a.spec)
}

func (a *api) docs(c *fiber.Ctx) error {
	if a.docsPage == nil {
		return fiber.ErrNotFound
	}
	nonce := newNonce()
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'nonce-"+nonce+"'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
	return c.Send(bytes.ReplaceAll(a.docsPage, []byte(noncePlaceholder), []byte(nonce)))
}

type docOperation struct {
	Method, Path, Summary, ID string
	Description               template.HTML
	Secured                   bool
	Params                    []docParam
	Body                      string
	Responses                 []docResponse
}

type docParam struct {
	Name, In, Type, Description string
	Required                    bool
}

type docResponse struct{ Code, Description, Schema string }

type docSchema struct {
	Name        string
	Description template.HTML
	Props       []docProp
	Other       string // for schemas that are not objects with properties
}

type docProp struct {
	Name, Type, Description string
	Required                bool
}

type docTag struct {
	Name, Description string
	Ops               []docOperation
}

// renderDocs builds the reference page from the spec.
func renderDocs(spec []byte) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("parse api/openapi.yaml: %w", err)
	}
	comps := m(doc["components"])
	resolve := func(v any, kind string) map[string]any {
		obj := m(v)
		if ref, ok := obj["$ref"].(string); ok {
			return m(m(comps[kind])[strings.TrimPrefix(ref, "#/components/"+kind+"/")])
		}
		return obj
	}
	var tags []*docTag
	byName := map[string]*docTag{}
	for _, t := range list(doc["tags"]) {
		tag := &docTag{Name: str(m(t)["name"]), Description: str(m(t)["description"])}
		tags, byName[tag.Name] = append(tags, tag), tag
	}
	paths := m(doc["paths"])
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		item := m(paths[p])
		for _, method := range []string{"get", "post", "put", "patch", "delete"} {
			op := m(item[method])
			if op == nil {
				continue
			}
			o := docOperation{Method: strings.ToUpper(method), Path: p, Summary: str(op["summary"]), ID: str(op["operationId"]),
				Description: md(str(op["description"]))}
			for _, req := range list(op["security"]) {
				if _, ok := m(req)["bearer"]; ok {
					o.Secured = true
				}
			}
			for _, pv := range append(list(item["parameters"]), list(op["parameters"])...) {
				prm := resolve(pv, "parameters")
				o.Params = append(o.Params, docParam{Name: str(prm["name"]), In: str(prm["in"]), Type: typeOf(prm["schema"]),
					Description: str(prm["description"]), Required: prm["required"] == true})
			}
			if rb := resolve(op["requestBody"], "requestBodies"); rb != nil {
				for ct, media := range m(rb["content"]) {
					o.Body = ct + ": " + typeOf(m(media)["schema"])
					break
				}
			}
			codes := m(op["responses"])
			keys := make([]string, 0, len(codes))
			for k := range codes {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, code := range keys {
				r := resolve(codes[code], "responses")
				schema := ""
				for _, media := range m(r["content"]) {
					schema = typeOf(m(media)["schema"])
				}
				o.Responses = append(o.Responses, docResponse{Code: code, Description: str(r["description"]), Schema: schema})
			}
			tagName := "other"
			if ts := list(op["tags"]); len(ts) > 0 {
				tagName = str(ts[0])
			}
			if byName[tagName] == nil {
				byName[tagName] = &docTag{Name: tagName}
				tags = append(tags, byName[tagName])
			}
			byName[tagName].Ops = append(byName[tagName].Ops, o)
		}
	}
	var schemas []docSchema
	sch := m(comps["schemas"])
	snames := make([]string, 0, len(sch))
	for n := range sch {
		snames = append(snames, n)
	}
	sort.Strings(snames)
	for _, n := range snames {
		s := m(sch[n])
		ds := docSchema{Name: n, Description: md(str(s["description"]))}
		req := map[string]bool{}
		for _, r := range list(s["required"]) {
			req[str(r)] = true
		}
		props := m(s["properties"])
		pnames := make([]string, 0, len(props))
		for pn := range props {
			pnames = append(pnames, pn)
		}
		sort.Strings(pnames)
		for _, pn := range pnames {
			pv := m(props[pn])
			ds.Props = append(ds.Props, docProp{Name: pn, Type: typeOf(pv), Description: str(pv["description"]), Required: req[pn]})
		}
		if len(props) == 0 {
			ds.Other = typeOf(s)
		}
		schemas = append(schemas, ds)
	}
	info := m(doc["info"])
	var out bytes.Buffer
	err := docsTemplate.Execute(&out, map[string]any{
		"Title": str(info["title"]), "Version": str(info["version"]), "Description": md(str(info["description"])),
		"Tags": tags, "Schemas": schemas, "Nonce": noncePlaceholder,
	})
	return out.Bytes(), err
}

// typeOf describes a schema in a few words: a reference's name, a type,
// an enum, a list of something.
func typeOf(v any) string {
	s := m(v)
	if ref, ok := s["$ref"].(string); ok {
		return ref[strings.LastIndexByte(ref, '/')+1:]
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		if alts := list(s[k]); len(alts) > 0 {
			parts := make([]string, len(alts))
			for i, alt := range alts {
				parts[i] = typeOf(alt)
			}
			return strings.Join(parts, " | ")
		}
	}
	t := ""
	switch x := s["type"].(type) {
	case string:
		t = x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = str(p)
		}
		t = strings.Join(parts, " | ")
	}
	if strings.HasPrefix(t, "array") {
		return "array of " + typeOf(s["items"]) + strings.TrimPrefix(t, "array")
	}
	if e := list(s["enum"]); len(e) > 0 {
		parts := make([]string, len(e))
		for i, p := range e {
			parts[i] = fmt.Sprint(p)
		}
		return t + " (" + strings.Join(parts, ", ") + ")"
	}
	if f := str(s["format"]); f != "" {
		return t + " (" + f + ")"
	}
	if t == "" {
		return "any"
	}
	return t
}

func md(s string) template.HTML {
	if s == "" {
		return ""
	}
	r, err := markdown.Render(s)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(r.HTML) // safe: our renderer drops raw HTML and unsafe URLs
}

func m(v any) map[string]any { x, _ := v.(map[string]any); return x }
func list(v any) []any       { x, _ := v.([]any); return x }
func str(v any) string       { x, _ := v.(string); return x }

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} {{.Version}} reference</title>
<style nonce="{{.Nonce}}">
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 4rem}
nav{columns:2 14rem;font-size:.95rem}
h1{margin-top:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.op h3{margin:0;font-size:1rem;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.GET{color:#0b6b0b}.POST{color:#0645ad}.PUT,.PATCH{color:#8a4b00}.DELETE{color:#b00020}
.lock{font-size:.8rem;color:#555;margin-left:.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{text-align:left;border-bottom:1px solid #eee;padding:.25rem .5rem;vertical-align:top}
code,td.t{font-family:ui-monospace,monospace;font-size:.85rem}
a{color:#0645ad}:focus{outline:2px solid #0645ad;outline-offset:2px}
</style></head><body><main>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
{{.Description}}
<p>The machine-readable contract: <a href="/api/openapi.yaml">/api/openapi.yaml</a> (OpenAPI 3.1).</p>
<nav aria-label="Sections"><ul>{{range .Tags}}{{if .Ops}}<li><a href="#tag-{{.Name}}">{{.Name}}</a></li>{{end}}{{end}}<li><a href="#schemas">Schemas</a></li></ul></nav>
{{range .Tags}}{{if .Ops}}<section id="tag-{{.Name}}"><h2>{{.Name}}</h2>{{if .Description}}<p>{{.Description}}</p>{{end}}
{{range .Ops}}<div class="op" id="{{.ID}}"><h3><span class="m {{.Method}}">{{.Method}}</span>{{.Path}}{{if .Secured}}<span class="lock">(sign-in required)</span>{{end}}</h3>
<p><strong>{{.Summary}}</strong></p>{{.Description}}
{{if .Params}}<table><caption class="sr">Parameters</caption><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.In}}</td><td class="t">{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<p>Request body: <code>{{.Body}}</code></p>{{end}}
<table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>{{range .Responses}}<tr><td>{{.Code}}</td><td>{{.Description}}</td><td class="t">{{if .Schema}}<a href="#schema-{{.Schema}}">{{.Schema}}</a>{{end}}</td></tr>{{end}}</table>
</div>{{end}}</section>{{end}}{{end}}
<section id="schemas"><h2>Schemas</h2>
{{range .Schemas}}<div class="op" id="schema-{{.Name}}"><h3>{{.Name}}</h3>{{.Description}}
{{if .Props}}<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>{{range .Props}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td class="t">{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{else}}<p class="t">{{.Other}}</p>{{end}}
</div>{{end}}</section>
<p>* required</p>
</main></body></html>
`))
