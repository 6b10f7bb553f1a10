package httpapi

import "github.com/folio-cms/folio/pkg/content"

// The JSON types of the Ghost Content API (Ghost 5), checked against the
// schemas in api/ghost/.

// ghostPostJSON is a Ghost post or page. Tags and authors (and the primary
// ones) are there when included; html and plaintext when asked for.
type ghostPostJSON struct {
	ID                  string             `json:"id"`
	UUID                string             `json:"uuid"`
	Title               string             `json:"title"`
	Slug                string             `json:"slug"`
	HTML                *string            `json:"html,omitempty"`
	Plaintext           *string            `json:"plaintext,omitempty"`
	CommentID           string             `json:"comment_id"`
	FeatureImage        *string            `json:"feature_image"`
	FeatureImageAlt     *string            `json:"feature_image_alt"`
	FeatureImageCaption *string            `json:"feature_image_caption"`
	Featured            bool               `json:"featured"`
	Visibility          string             `json:"visibility"`
	CreatedAt           string             `json:"created_at"`
	UpdatedAt           string             `json:"updated_at"`
	PublishedAt         *string            `json:"published_at"`
	CustomExcerpt       *string            `json:"custom_excerpt"`
	CodeinjectionHead   *string            `json:"codeinjection_head"`
	CodeinjectionFoot   *string            `json:"codeinjection_foot"`
	CustomTemplate      *string            `json:"custom_template"`
	CanonicalURL        *string            `json:"canonical_url"`
	Tags                *[]ghostTagJSON    `json:"tags,omitempty"`
	Authors             *[]ghostAuthorJSON `json:"authors,omitempty"`
	PrimaryAuthor       **ghostAuthorJSON  `json:"primary_author,omitempty"`
	PrimaryTag          **ghostTagJSON     `json:"primary_tag,omitempty"`
	URL                 string             `json:"url"`
	Excerpt             string             `json:"excerpt"`
	ReadingTime         int                `json:"reading_time"`
	Access              bool               `json:"access"`
	Comments            bool               `json:"comments"`
	OGImage             *string            `json:"og_image"`
	OGTitle             *string            `json:"og_title"`
	OGDescription       *string            `json:"og_description"`
	TwitterImage        *string            `json:"twitter_image"`
	TwitterTitle        *string            `json:"twitter_title"`
	TwitterDescription  *string            `json:"twitter_description"`
	MetaTitle           *string            `json:"meta_title"`
	MetaDescription     *string            `json:"meta_description"`
	Folio               *ghostFolioJSON    `json:"folio,omitempty"`
}

// ghostFolioJSON carries what a Ghost post has no field for: a case
// study's own fields, as Folio's public API answers them.
type ghostFolioJSON struct {
	Type      content.Type `json:"type"`
	CaseStudy any          `json:"case_study"`
}

type ghostTagJSON struct {
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	Slug               string          `json:"slug"`
	Description        *string         `json:"description"`
	FeatureImage       *string         `json:"feature_image"`
	Visibility         string          `json:"visibility"`
	OGImage            *string         `json:"og_image"`
	OGTitle            *string         `json:"og_title"`
	OGDescription      *string         `json:"og_description"`
	TwitterImage       *string         `json:"twitter_image"`
	TwitterTitle       *string         `json:"twitter_title"`
	TwitterDescription *string         `json:"twitter_description"`
	MetaTitle          *string         `json:"meta_title"`
	MetaDescription    *string         `json:"meta_description"`
	CodeinjectionHead  *string         `json:"codeinjection_head"`
	CodeinjectionFoot  *string         `json:"codeinjection_foot"`
	CanonicalURL       *string         `json:"canonical_url"`
	AccentColor        *string         `json:"accent_color"`
	URL                string          `json:"url"`
	Count              *ghostCountJSON `json:"count,omitempty"`
}

type ghostAuthorJSON struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Slug            string          `json:"slug"`
	ProfileImage    *string         `json:"profile_image"`
	CoverImage      *string         `json:"cover_image"`
	Bio             *string         `json:"bio"`
	Website         *string         `json:"website"`
	Location        *string         `json:"location"`
	Facebook        *string         `json:"facebook"`
	Twitter         *string         `json:"twitter"`
	MetaTitle       *string         `json:"meta_title"`
	MetaDescription *string         `json:"meta_description"`
	URL             string          `json:"url"`
	Count           *ghostCountJSON `json:"count,omitempty"`
}

type ghostCountJSON struct {
	Posts int `json:"posts"`
}

type ghostMetaJSON struct {
	Pagination ghostPaginationJSON `json:"pagination"`
}

// ghostPaginationJSON: limit is a number, or "all"; next and prev are
// page numbers or null.
type ghostPaginationJSON struct {
	Page  int   `json:"page"`
	Limit any   `json:"limit"`
	Pages int   `json:"pages"`
	Total int64 `json:"total"`
	Next  any   `json:"next"`
	Prev  any   `json:"prev"`
}

type ghostNavJSON struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

type ghostSettingsJSON struct {
	Title               string         `json:"title"`
	Description         *string        `json:"description"`
	Logo                *string        `json:"logo"`
	Icon                *string        `json:"icon"`
	AccentColor         *string        `json:"accent_color"`
	CoverImage          *string        `json:"cover_image"`
	Facebook            *string        `json:"facebook"`
	Twitter             *string        `json:"twitter"`
	Lang                string         `json:"lang"`
	Locale              string         `json:"locale"`
	Timezone            string         `json:"timezone"`
	CodeinjectionHead   *string        `json:"codeinjection_head"`
	CodeinjectionFoot   *string        `json:"codeinjection_foot"`
	Navigation          []ghostNavJSON `json:"navigation"`
	SecondaryNavigation []ghostNavJSON `json:"secondary_navigation"`
	MetaTitle           *string        `json:"meta_title"`
	MetaDescription     *string        `json:"meta_description"`
	OGImage             *string        `json:"og_image"`
	OGTitle             *string        `json:"og_title"`
	OGDescription       *string        `json:"og_description"`
	TwitterImage        *string        `json:"twitter_image"`
	TwitterTitle        *string        `json:"twitter_title"`
	TwitterDescription  *string        `json:"twitter_description"`
	URL                 string         `json:"url"`
}

type ghostSettingsAnswer struct {
	Settings ghostSettingsJSON `json:"settings"`
	Meta     struct{}          `json:"meta"`
}
