package content

import (
	"encoding/json"
	"fmt"

	"github.com/folio-cms/folio/pkg/markdown"
	"github.com/folio-cms/folio/pkg/store"
)

// toRow writes an entry's fields and derived data into a row (the fields of
// other types than the entry's are empty: normalize cleared them). Status,
// publication time, author and version are the workflow's and are set by
// the caller.
func toRow(row *store.EntryRow, t Type, f Fields, d Derived) error {
	row.Type = string(t)
	row.Slug = f.Slug
	row.Title = f.Title
	row.Featured = f.Featured
	row.Excerpt, row.Body = f.Excerpt, f.Body
	row.Client, row.Industry, row.Summary = f.Client, f.Industry, f.Summary
	row.Challenge, row.Solution, row.Results = f.Challenge, f.Solution, f.Results
	row.HTML, row.AutoExcerpt = d.HTML, d.AutoExcerpt
	row.WordCount, row.ReadingTimeMinutes = d.WordCount, d.ReadingTime
	row.ChallengeHTML, row.SolutionHTML, row.ResultsHTML = d.ChallengeHTML, d.SolutionHTML, d.ResultsHTML
	row.PlainText = d.PlainText
	var err error
	set := func(dst *string, v any) {
		if err == nil {
			*dst, err = jsonText(v)
		}
	}
	setNullable := func(dst **string, v any, isNil bool) {
		if isNil {
			*dst = nil
			return
		}
		var s string
		set(&s, v)
		*dst = &s
	}
	row.ParentID, row.MenuOrder = f.ParentID, f.MenuOrder
	row.TypeData = "{}"
	if k := specs[t]; k != nil && k.data != nil {
		set(&row.TypeData, k.data(f))
	}
	set(&row.SEO, f.SEO)
	set(&row.TOC, d.TOC)
	set(&row.Services, nonNil(f.Services))
	set(&row.Technologies, nonNil(f.Technologies))
	set(&row.Metrics, nonNil(f.Metrics))
	setNullable(&row.CoverImage, f.CoverImage, f.CoverImage == nil)
	setNullable(&row.Logo, f.Logo, f.Logo == nil)
	setNullable(&row.Testimonial, f.Testimonial, f.Testimonial == nil)
	return err
}

// fromRow turns a row into an entry, without tags and author (hydrate adds
// them). A list row lacks the heavy columns; their fields stay empty.
func fromRow(row store.EntryRow) (Entry, error) {
	e := Entry{
		ID: row.ID, Type: Type(row.Type), Status: Status(row.Status), PublishedAt: row.PublishedAt,
		Version: row.Version, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, TrashedAt: row.TrashedAt,
		FirstPublishedAt: row.FirstPublishedAt,
		Fields: Fields{
			Slug: row.Slug, Title: row.Title, Featured: row.Featured,
			Prose:      Prose{Excerpt: row.Excerpt, Body: row.Body},
			PageFields: PageFields{ParentID: row.ParentID, MenuOrder: row.MenuOrder},
			CaseStudyFields: CaseStudyFields{
				Client: row.Client, Industry: row.Industry, Summary: row.Summary,
				Challenge: row.Challenge, Solution: row.Solution, Results: row.Results,
			},
		},
		Derived: Derived{
			HTML: row.HTML, PlainText: row.PlainText, AutoExcerpt: row.AutoExcerpt, WordCount: row.WordCount, ReadingTime: row.ReadingTimeMinutes,
			ChallengeHTML: row.ChallengeHTML, SolutionHTML: row.SolutionHTML, ResultsHTML: row.ResultsHTML,
		},
	}
	var err error
	get := func(src string, dst any) {
		if err == nil && src != "" {
			err = json.Unmarshal([]byte(src), dst)
		}
	}
	getNullable := func(src *string, dst any) {
		if src != nil {
			get(*src, dst)
		}
	}
	get(row.SEO, &e.Fields.SEO)
	get(row.TOC, &e.Derived.TOC)
	get(row.Services, &e.Fields.Services)
	get(row.Technologies, &e.Fields.Technologies)
	get(row.Metrics, &e.Fields.Metrics)
	getNullable(row.CoverImage, &e.Fields.CoverImage)
	getNullable(row.Logo, &e.Fields.Logo)
	getNullable(row.Testimonial, &e.Fields.Testimonial)
	if k := specs[e.Type]; err == nil && k != nil && k.setData != nil && row.TypeData != "" {
		err = k.setData([]byte(row.TypeData), &e.Fields)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("entry %d: decode stored JSON: %w", row.ID, err)
	}
	if e.Derived.TOC == nil {
		e.Derived.TOC = []markdown.Heading{}
	}
	if k := specs[e.Type]; k != nil && k.loaded != nil {
		k.loaded(&e)
	}
	return e, nil
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
