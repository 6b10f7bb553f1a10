package contentfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
)

// SiteFile is where a content directory keeps the site settings.
const SiteFile = "site.yml"

// siteYAML is site.yml: the site settings that mean the same in every
// installation. The logo and the icon are media library items, whose ids
// mean nothing elsewhere, so they are not in the file.
type siteYAML struct {
	Title       string     `yaml:"title,omitempty"`
	Description string     `yaml:"description,omitempty"`
	Language    string     `yaml:"language,omitempty"`
	Navigation  []siteLink `yaml:"navigation,omitempty"`
	Social      []social   `yaml:"social,omitempty"`
}

type siteLink struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
}

type social struct {
	Network string `yaml:"network"`
	URL     string `yaml:"url"`
}

// FormatSite writes the site settings as site.yml (nil when none of its
// settings is set).
func FormatSite(s content.Site) ([]byte, error) {
	y := siteYAML{Title: s.Title, Description: s.Description, Language: s.Language}
	for _, l := range s.Navigation {
		y.Navigation = append(y.Navigation, siteLink(l))
	}
	for _, l := range s.Social {
		y.Social = append(y.Social, social(l))
	}
	if y.Title == "" && y.Description == "" && y.Language == "" && len(y.Navigation) == 0 && len(y.Social) == 0 {
		return nil, nil
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(4)
	if err := enc.Encode(y); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ParseSite reads site.yml into a change of the site settings: every
// setting the file can hold is set, to what the file says or to nothing,
// and the logo and icon are left as they are.
func ParseSite(data []byte) (content.SitePatch, error) {
	var y siteYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
		return content.SitePatch{}, fmt.Errorf("site settings: %w", err)
	}
	nav := make([]content.NavLink, len(y.Navigation))
	for i, l := range y.Navigation {
		nav[i] = content.NavLink(l)
	}
	soc := make([]content.SocialLink, len(y.Social))
	for i, l := range y.Social {
		soc[i] = content.SocialLink(l)
	}
	return content.SitePatch{Title: &y.Title, Description: &y.Description, Language: &y.Language, Navigation: &nav, Social: &soc}, nil
}

// readSite reads dir's site.yml; ok is false when there is none.
func readSite(dir string) (p content.SitePatch, ok bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, SiteFile))
	if errors.Is(err, fs.ErrNotExist) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	p, err = ParseSite(data)
	if err == nil {
		err = content.CheckSite(p)
	}
	return p, err == nil, err
}

// importSite stores the settings of site.yml and says whether that changed
// them: created when none of them was set before.
func (s *Sync) importSite(ctx context.Context, p content.SitePatch) (content.Outcome, error) {
	before, err := s.Content.Site(ctx)
	if err != nil {
		return "", err
	}
	after, err := s.Content.UpdateSite(ctx, auth.System, p)
	if err != nil {
		return "", err
	}
	a, _ := FormatSite(after)
	b, _ := FormatSite(before)
	switch {
	case bytes.Equal(a, b):
		return content.Unchanged, nil
	case b == nil:
		return content.Created, nil // none of these settings was set
	}
	return content.Updated, nil
}

// exportSite writes dir/site.yml when any of its settings is set.
func (s *Sync) exportSite(ctx context.Context, dir string) (content.Outcome, bool, error) {
	site, err := s.Content.Site(ctx)
	if err != nil {
		return "", false, err
	}
	data, err := FormatSite(site)
	if err != nil || data == nil {
		return "", false, err
	}
	outcome, err := writeIfChanged(filepath.Join(dir, SiteFile), data)
	return outcome, true, err
}
