package store

import "time"

// UserRow is a row of the users table.
type UserRow struct {
	ID           int64
	Email        string
	Name         string
	Slug         string
	Role         string
	PasswordHash *string // nil: the user cannot sign in (e.g. created by an import)
	Disabled     bool
	TokenVersion int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName tells GORM the table.
func (UserRow) TableName() string { return "users" }

// SessionRow is one sign-in on one device.
type SessionRow struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	IP         string `gorm:"column:ip"`
	UserAgent  string
}

// TableName tells GORM the table.
func (SessionRow) TableName() string { return "sessions" }

// RefreshTokenRow is one refresh token of a session, by its SHA-256 hash.
type RefreshTokenRow struct {
	Hash      string `gorm:"primaryKey"`
	SessionID string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName tells GORM the table.
func (RefreshTokenRow) TableName() string { return "refresh_tokens" }

// APITokenRow is an API token for a frontend, by its SHA-256 hash.
type APITokenRow struct {
	ID         int64
	Name       string
	Scope      string
	Hash       string
	Prefix     string
	CreatedBy  *int64
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// TableName tells GORM the table.
func (APITokenRow) TableName() string { return "api_tokens" }

// AuditRow is one entry of the audit log.
type AuditRow struct {
	ID         int64
	UserID     *int64
	Actor      string // who, as they were called at the time (an email, or "system")
	Action     string // e.g. "post.update"
	RecordType string
	RecordID   *int64
	IP         string `gorm:"column:ip"`
	Details    string // JSON
	CreatedAt  time.Time
}

// TableName tells GORM the table.
func (AuditRow) TableName() string { return "audit_log" }

// EntryRow is an entry: a row of the entries table, which holds posts and
// case studies alike (the columns of the shared workflow, then each type's
// own, left empty for the other type), together with its row of
// entry_bodies (the Markdown and what it renders to), which the store reads
// and writes with it but keeps apart so that lists read small rows. JSON
// columns are kept as JSON text; the content package owns their shape.
type EntryRow struct {
	ID                 int64
	Type               string
	Slug               string
	Title              string
	Status             string
	PublishedAt        *time.Time
	AuthorID           *int64
	Featured           bool
	CoverImage         *string // JSON
	SEO                string  `gorm:"column:seo"` // JSON
	Excerpt            string
	AutoExcerpt        string
	WordCount          int
	ReadingTimeMinutes int
	Client             string
	Industry           string
	Services           string // JSON
	Technologies       string // JSON
	Summary            string
	Metrics            string  // JSON
	Testimonial        *string // JSON
	Logo               *string // JSON
	// TypeData is the type's own fields that no query filters, sorts or
	// searches on: a JSON object whose shape the type's spec owns (empty:
	// the column's default, {}).
	TypeData         string
	ParentID         *int64 // pages: the parent page
	MenuOrder        int    // pages: the place among its siblings
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	UpdatedBy        *int64
	FirstPublishedAt *time.Time
	TrashedAt        *time.Time

	BodyRow `gorm:"-"` // in entry_bodies; empty in lists
}

// TableName tells GORM the table.
func (EntryRow) TableName() string { return "entries" }

// BodyRow is the heavy part of an entry, a row of entry_bodies.
type BodyRow struct {
	EntryID       int64  `gorm:"primaryKey;autoIncrement:false"`
	Body          string `gorm:"column:body"`
	HTML          string `gorm:"column:html"`
	TOC           string `gorm:"column:toc"` // JSON
	PlainText     string // the visible text, for the search index
	Challenge     string
	ChallengeHTML string `gorm:"column:challenge_html"`
	Solution      string
	SolutionHTML  string `gorm:"column:solution_html"`
	Results       string
	ResultsHTML   string `gorm:"column:results_html"`
}

// TableName tells GORM the table.
func (BodyRow) TableName() string { return "entry_bodies" }

// RevisionRow is one saved state of an entry.
type RevisionRow struct {
	ID        int64
	EntryID   int64
	Version   int
	UserID    *int64
	Kind      string // create, save, autosave, restore, import, or an action such as publish
	Changed   string // JSON list of the fields that changed since the revision before
	Snapshot  string // JSON of the editable fields and the workflow state
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName tells GORM the table.
func (RevisionRow) TableName() string { return "revisions" }

// SlugAliasRow keeps an old slug of an entry working.
type SlugAliasRow struct {
	Type      string `gorm:"primaryKey"`
	Slug      string `gorm:"primaryKey"`
	EntryID   int64
	CreatedAt time.Time
}

// TableName tells GORM the table.
func (SlugAliasRow) TableName() string { return "slug_aliases" }

// TagRow is a row of the tags table.
type TagRow struct {
	ID        int64
	Slug      string
	Name      string
	CreatedAt time.Time
}

// TableName tells GORM the table.
func (TagRow) TableName() string { return "tags" }

// EntryTag is one tag of one entry, as loaded for display.
type EntryTag struct {
	EntryID int64
	TagID   int64
	Slug    string
	Name    string
}

// TagCount is a tag with the number of entries that count for it.
type TagCount struct {
	ID        int64
	Slug      string
	Name      string
	PostCount int
}

// MediaRow is one uploaded file.
type MediaRow struct {
	ID         int64
	SHA256     string `gorm:"column:sha256"`
	Filename   string // the uploader's name for it, for people only; never a path
	MIME       string `gorm:"column:mime"`
	Ext        string
	Type       string `gorm:"column:kind"` // image or document (media.TypeImage, media.TypeDocument)
	Size       int64
	Width      int
	Height     int
	Alt        string
	Caption    string
	Variants   string // JSON [{width, height, ext}]
	UploadedBy *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName tells GORM the table.
func (MediaRow) TableName() string { return "media" }

// MediaUse says that an entry uses a media item in a field.
type MediaUse struct {
	MediaID   int64
	EntryID   int64
	Field     string
	EntryType string // filled by MediaUses
	Title     string // filled by MediaUses
}

// WebhookRow is a receiver of events.
type WebhookRow struct {
	ID             int64
	Name           string
	URL            string `gorm:"column:url"`
	Events         string // JSON list of event names; ["*"] for all
	Secret         string
	Active         bool
	DisabledReason string
	CreatedBy      *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName tells GORM the table.
func (WebhookRow) TableName() string { return "webhooks" }

// WebhookEventRow is one event in the outbox.
type WebhookEventRow struct {
	ID        int64
	UID       string `gorm:"column:uid"`
	Event     string
	Payload   string
	CreatedAt time.Time
}

// TableName tells GORM the table.
func (WebhookEventRow) TableName() string { return "webhook_events" }

// DeliveryRow is one event on its way to one webhook.
type DeliveryRow struct {
	ID             int64
	WebhookID      int64
	EventID        int64
	Status         string // pending, delivered or failed
	Attempts       int
	NextAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	RedeliveryOf   *int64
	CreatedAt      time.Time
	CompletedAt    *time.Time
	LeaseOwner     *string    // the dispatcher sending it now, if any
	LeaseUntil     *time.Time // until when that lease holds
}

// TableName tells GORM the table.
func (DeliveryRow) TableName() string { return "webhook_deliveries" }

// Delivery is a delivery with what it carries: its event's name, unique id
// and body.
type Delivery struct {
	DeliveryRow `gorm:"embedded"`
	Event       string
	UID         string `gorm:"column:uid"`
	Payload     string
}

// AttemptRow is one try at a delivery.
type AttemptRow struct {
	ID              int64
	DeliveryID      int64
	Attempt         int
	StartedAt       time.Time
	DurationMS      int64 `gorm:"column:duration_ms"`
	StatusCode      int
	Error           string
	ResponseExcerpt string
}

// TableName tells GORM the table.
func (AttemptRow) TableName() string { return "webhook_attempts" }
