package contentfs

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/folio-cms/folio/pkg/content"
)

func TestPostRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	f := File{
		Type: content.Post, Status: content.Published, PublishedAt: &at, Author: "maya@example.com",
		Fields: content.Fields{
			Title: "Choosing a database: PostgreSQL?", Slug: "choosing-a-database", Featured: true, CoverImage: &content.Image{URL: "https://img.example.com/a.jpg", Alt: "A chart"}, SEO: content.SEO{MetaTitle: "Choosing", CanonicalURL: "https://example.com/x"}, Prose: content.Prose{Excerpt: "Short.", Body: "Intro.\n\n## Part\n\n```sql\nSELECT 1;\n```"}, PostFields: content.PostFields{Tags: []string{"Databases", "SQL"}},
		},
	}
	data, err := Format(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `---
title: 'Choosing a database: PostgreSQL?'
slug: choosing-a-database
status: published
published_at: 2026-03-10T09:00:00Z
author: maya@example.com
excerpt: Short.
tags:
    - Databases
    - SQL
featured: true
cover_image:
    url: https://img.example.com/a.jpg
    alt: A chart
seo:
    meta_title: Choosing
    canonical_url: https://example.com/x
---

Intro.

## Part

` + "```sql\nSELECT 1;\n```\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Format (-want +got):\n%s", diff)
	}
	back, err := Parse(content.Post, data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, back); diff != "" {
		t.Errorf("Parse(Format(f)) (-want +got):\n%s", diff)
	}
}

func TestCaseStudySections(t *testing.T) {
	src := "---\ntitle: T\nslug: t\nstatus: draft\nmetrics:\n    - label: Speed\n      value: \"3\"\n---\n\n" +
		"## Challenge\n\nHard.\n\n### Sub\n\n```md\n## Solution inside a fence\n```\n\n## Solution\n\nBuilt.\n\n## Results\n\nGood.\n"
	f, err := Parse(content.CaseStudy, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Fields.Challenge != "Hard.\n\n### Sub\n\n```md\n## Solution inside a fence\n```" || f.Fields.Solution != "Built." || f.Fields.Results != "Good." {
		t.Errorf("sections = %q / %q / %q", f.Fields.Challenge, f.Fields.Solution, f.Fields.Results)
	}
	if diff := cmp.Diff([]content.Metric{{Label: "Speed", Value: "3"}}, f.Fields.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	out, err := Format(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != src {
		t.Errorf("Format(Parse(src)) differs:\n%s", out)
	}
	// A missing section is empty, and comes back as an empty heading.
	f, err = Parse(content.CaseStudy, []byte("---\ntitle: T\nslug: t\nstatus: draft\n---\n\n## Results\n\nOnly results.\n"))
	if err != nil || f.Fields.Challenge != "" || f.Fields.Results != "Only results." {
		t.Fatalf("missing sections: %+v, %v", f.Fields, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, typ, src, want string
	}{
		{"no front matter", "post", "Hello\n", "must start with a front matter block"},
		{"unclosed front matter", "post", "---\ntitle: x\n", "not closed"},
		{"unknown key", "post", "---\ntitle: x\nslug: x\nstatus: draft\nauthr: a@b.c\n---\n", "authr"},
		{"bad yaml", "post", "---\ntitle: [x\n---\n", "front matter"},
		{"case-study field on a post", "post", "---\ntitle: x\nslug: x\nstatus: draft\nclient: Acme\n---\n", "client"},
		{"text before the sections", "case_study", "---\ntitle: x\nslug: x\nstatus: draft\n---\n\nIntro\n\n## Challenge\n\nx\n", "before"},
		{"unknown section", "case_study", "---\ntitle: x\nslug: x\nstatus: draft\n---\n\n## Challenge\n\nx\n\n## Approach\n\ny\n", "Approach"},
		{"sections out of order", "case_study", "---\ntitle: x\nslug: x\nstatus: draft\n---\n\n## Results\n\nx\n\n## Challenge\n\ny\n", "order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(content.Type(tt.typ), []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParseAcceptsCRLFAndBOM(t *testing.T) {
	src := "\ufeff---\r\ntitle: Windows\r\nslug: windows\r\nstatus: draft\r\n---\r\n\r\nLine one.\r\nLine two.\r\n"
	f, err := Parse(content.Post, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Fields.Title != "Windows" || f.Fields.Body != "Line one.\nLine two." {
		t.Errorf("got %+v", f.Fields)
	}
}
