package contentfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/errs"
)

// Sync imports and exports content directories.
type Sync struct {
	Content *content.Service
	Auth    *auth.Service
}

// Report counts what an import or export did, per outcome.
type Report struct {
	Counts map[content.Outcome]int
	Files  int
}

func (r Report) String() string {
	return fmt.Sprintf("%d files: %d created, %d updated, %d unchanged",
		r.Files, r.Counts[content.Created], r.Counts[content.Updated], r.Counts[content.Unchanged])
}

// FileError is a problem with one content file.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + errs.Describe(e.Err) }

func (e *FileError) Unwrap() error { return e.Err }

// parsedFile is one content file, parsed and checked.
type parsedFile struct {
	path string
	file File
}

// parseFiles parses and checks the files of type t matching pattern, in
// name order; a file that fails is added to problems and left out.
func parseFiles(t content.Type, pattern string, problems *[]error) ([]parsedFile, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []parsedFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		f, err := Parse(t, data)
		if err == nil {
			err = content.Check(t, f.Fields)
		}
		if err != nil {
			*problems = append(*problems, &FileError{Path: p, Err: err})
			continue
		}
		out = append(out, parsedFile{p, f})
	}
	return out, nil
}

// Import reads each type's files (dir/posts/*.md, dir/case-studies/*.md,
// dir/pages/*.md) and the site settings (dir/site.yml, when there is one),
// and stores each entry, matched by slug: importing the same
// directory again changes nothing. A page comes after its parent.
// Authors are matched by email; an unknown one becomes a disabled author
// without a password. Every file is parsed before anything is stored, so a
// broken file stops the import before it has written anything.
func (s *Sync) Import(ctx context.Context, dir string) (Report, error) {
	var items []parsedFile
	var working []workingFile
	var problems []error
	for _, t := range content.Types {
		wfiles, err := parseFiles(t, filepath.Join(dir, Dir(t), workingDir, "*.md"), &problems)
		if err != nil {
			return Report{}, err
		}
		for _, w := range wfiles {
			working = append(working, workingFile{path: w.path, Of: strings.TrimSuffix(filepath.Base(w.path), ".md"), file: w.file})
		}
		files, err := parseFiles(t, filepath.Join(dir, Dir(t), "*.md"), &problems)
		if err != nil {
			return Report{}, err
		}
		items = append(items, files...)
	}
	site, hasSite, err := readSite(dir)
	if err != nil {
		problems = append(problems, &FileError{Path: filepath.Join(dir, SiteFile), Err: err})
	}
	if len(problems) > 0 {
		return Report{}, errors.Join(problems...)
	}
	if len(items) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return Report{}, err
		}
	}
	// A file below another (a page's parent) is stored after it, so that
	// its parent's id is known.
	order, err := parentsFirst(len(items), func(i int) (content.Type, string, string) {
		return items[i].file.Type, items[i].file.Fields.Slug, items[i].file.Parent
	})
	if err != nil {
		return Report{}, err
	}
	ids := map[content.Type]map[string]int64{}
	rep := Report{Counts: map[content.Outcome]int{}}
	for _, i := range order {
		it := items[i]
		if p := it.file.Parent; p != "" {
			id := ids[it.file.Type][p]
			it.file.Fields.ParentID = &id
		}
		rec := content.Record{Fields: it.file.Fields, Status: it.file.Status, PublishedAt: it.file.PublishedAt}
		if it.file.Author != "" {
			u, err := s.Auth.EnsureAuthor(ctx, it.file.Author)
			if err != nil {
				return rep, &FileError{Path: it.path, Err: fmt.Errorf("author %q: %w", it.file.Author, err)}
			}
			rec.AuthorID = &u.ID
		}
		outcome, e, err := s.Content.Upsert(ctx, auth.System, it.file.Type, rec)
		if err != nil {
			return rep, &FileError{Path: it.path, Err: err}
		}
		if ids[e.Type] == nil {
			ids[e.Type] = map[string]int64{}
		}
		ids[e.Type][e.Fields.Slug] = e.ID
		rep.Counts[outcome]++
		rep.Files++
	}
	for _, w := range working {
		if err := s.importWorking(ctx, w, ids, &rep); err != nil {
			return rep, err
		}
	}
	if hasSite {
		outcome, err := s.importSite(ctx, site)
		if err != nil {
			return rep, &FileError{Path: filepath.Join(dir, SiteFile), Err: err}
		}
		rep.Counts[outcome]++
		rep.Files++
	}
	return rep, nil
}

// workingDir is the folder, inside a type's folder, of the working copies
// of live entries with unpublished changes, each named after its entry's
// live slug (posts/working/launch.md is the working copy of
// posts/launch.md).
const workingDir = "working"

// workingFile is the working copy of the live entry with slug Of.
type workingFile struct {
	path string
	Of   string
	file File
}

// importWorking stores the working copy in w beside the live version of
// the entry this import stored at its slug.
func (s *Sync) importWorking(ctx context.Context, w workingFile, ids map[content.Type]map[string]int64, rep *Report) error {
	t := w.file.Type
	id, ok := ids[t][w.Of]
	if !ok {
		return &FileError{Path: w.path, Err: fmt.Errorf("a working copy of %q, but no %s file has that slug", w.Of, content.SpecOf(t).Noun)}
	}
	if p := w.file.Parent; p != "" {
		pid, ok := ids[t][p]
		if !ok {
			return &FileError{Path: w.path, Err: fmt.Errorf("parent %q: no file has that slug", p)}
		}
		w.file.Fields.ParentID = &pid
	}
	var author *int64
	if w.file.Author != "" {
		u, err := s.Auth.EnsureAuthor(ctx, w.file.Author)
		if err != nil {
			return &FileError{Path: w.path, Err: fmt.Errorf("author %q: %w", w.file.Author, err)}
		}
		author = &u.ID
	}
	if _, err := s.Content.ImportWorkingCopy(ctx, auth.System, t, id, w.file.Fields, author); err != nil {
		return &FileError{Path: w.path, Err: err}
	}
	rep.Counts[content.Updated]++
	rep.Files++
	return nil
}

// Export writes every entry of every type to dir in the import format, one
// file per entry named after its slug, and the site settings to site.yml
// (when any is set). Files already there are overwritten; files of entries
// that no longer exist are left alone.
func (s *Sync) Export(ctx context.Context, dir string) (Report, error) {
	rep := Report{Counts: map[content.Outcome]int{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, err
	}
	if outcome, wrote, err := s.exportSite(ctx, dir); err != nil {
		return rep, err
	} else if wrote {
		rep.Counts[outcome]++
		rep.Files++
	}
	for _, t := range content.Types {
		entries, err := s.Content.All(ctx, t)
		if err != nil {
			return rep, err
		}
		working, err := s.Content.Working(ctx, t)
		if err != nil {
			return rep, err
		}
		sub := filepath.Join(dir, Dir(t))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return rep, err
		}
		slugs := make(map[int64]string, len(entries))
		for _, e := range entries {
			slugs[e.ID] = e.Fields.Slug
		}
		liveSlug := make(map[int64]string, len(working))
		for _, e := range working {
			liveSlug[e.ID] = slugs[e.ID]
		}
		if len(working) > 0 {
			if err := os.MkdirAll(filepath.Join(sub, workingDir), 0o755); err != nil {
				return rep, err
			}
		}
		for i, e := range append(entries, working...) {
			// Media library ids mean nothing to another installation: an image
			// from the library is exported by its URL.
			e.Fields.CoverImage, e.Fields.Logo = portable(e.Fields.CoverImage, e.Cover), portable(e.Fields.Logo, e.Logo)
			f := File{Type: t, Fields: e.Fields, Status: e.Status, PublishedAt: e.PublishedAt}
			if p := e.Fields.ParentID; p != nil {
				f.Parent, f.Fields.ParentID = slugs[*p], nil
			}
			if e.Author != nil && content.SpecOf(t).HasAuthor {
				f.Author = e.Author.Email
			}
			data, err := Format(f)
			if err != nil {
				return rep, fmt.Errorf("%s %s: %w", t, e.Fields.Slug, err)
			}
			path := filepath.Join(sub, e.Fields.Slug+".md")
			if i >= len(entries) { // a working copy, by its entry's live slug
				path = filepath.Join(sub, workingDir, liveSlug[e.ID]+".md")
			}
			outcome, err := writeIfChanged(path, data)
			if err != nil {
				return rep, err
			}
			rep.Counts[outcome]++
			rep.Files++
		}
	}
	return rep, nil
}

// parentsFirst orders n files so that each comes after the file of its
// parent (same type, by slug), keeping their order otherwise. A parent
// that no file has, or files that are each other's parents, are errors.
func parentsFirst(n int, file func(i int) (t content.Type, slug, parent string)) ([]int, error) {
	type key struct {
		t    content.Type
		slug string
	}
	index := make(map[key]int, n)
	for i := range n {
		t, slug, _ := file(i)
		index[key{t, slug}] = i
	}
	state := make([]int, n) // 0 new, 1 being placed, 2 placed
	order := make([]int, 0, n)
	var place func(i int) error
	place = func(i int) error {
		switch state[i] {
		case 2:
			return nil
		case 1:
			_, slug, _ := file(i)
			return fmt.Errorf("%s: its parents lead back to it", slug)
		}
		state[i] = 1
		if t, slug, parent := file(i); parent != "" {
			j, ok := index[key{t, parent}]
			if !ok {
				return fmt.Errorf("%s: parent %q: no file of that slug among the %s", slug, parent, Dir(t))
			}
			if err := place(j); err != nil {
				return err
			}
		}
		state[i] = 2
		order = append(order, i)
		return nil
	}
	for i := range n {
		if err := place(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// portable is img as a file records it: a media item as its URL.
func portable(img *content.Image, resolved *content.Picture) *content.Image {
	if img == nil || img.MediaID == 0 || resolved == nil {
		return img
	}
	return &content.Image{URL: resolved.URL, Alt: img.Alt}
}

// writeIfChanged writes data to path through a temporary file and a rename,
// unless path already holds exactly data.
func writeIfChanged(path string, data []byte) (content.Outcome, error) {
	old, err := os.ReadFile(path)
	switch {
	case err == nil && string(old) == string(data):
		return content.Unchanged, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	outcome := content.Updated
	if err != nil {
		outcome = content.Created
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	return outcome, os.Rename(tmp.Name(), path)
}
