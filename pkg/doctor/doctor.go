// Package doctor checks a Folio installation: its configuration, the data
// dir's permissions, the database's integrity and migrations, and the media
// files. Every problem is a Finding with a severity and a sentence saying
// how to fix it.
//
// Doctor only reads. It opens the database read-only and never migrates it,
// so it is safe to run beside a serving folio, on a copy, or on a data dir
// that a newer folio left behind. (SQLite may create the empty -wal and
// -shm files beside a WAL database that has none; the database itself is
// not changed.)
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/folio-cms/folio/pkg/media"
)

// Severity says how bad a finding is.
type Severity int

// Severities, from good to bad.
const (
	// OK: the check passed.
	OK Severity = iota
	// Warning: folio works, but something needs attention (pending
	// migrations, orphaned files, loose permissions, missing variants).
	Warning
	// Error: folio cannot start, or data is damaged or missing (invalid
	// configuration, a damaged database, a database newer than this
	// folio, missing original media files).
	Error
)

func (s Severity) String() string {
	switch s {
	case OK:
		return "ok"
	case Warning:
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity as ok, warning or error.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is the result of one check.
type Finding struct {
	Check    string   `json:"check"` // config, data dir, database, migrations, media, tmp
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`   // what to do; empty when OK
	Items    []string `json:"items,omitempty"` // the files or rows concerned
}

// Options says what to check.
type Options struct {
	DataDir string
	// DatabaseURL is the PostgreSQL database folio uses (FOLIO_DATABASE_URL);
	// empty: the SQLite file in the data dir.
	DatabaseURL string
	// ConfigErr is what loading the configuration complained of, if anything.
	ConfigErr error
	// SecretConfigured is true when FOLIO_JWT_SECRET is set, so the data
	// dir's jwt_secret file is not used.
	SecretConfigured bool
	// Media is the media store to check (nil: the data dir's media/).
	Media media.Storage
	// MediaUnknown says that the media store's settings are invalid, so
	// its files are not checked.
	MediaUnknown bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Settle is how old a file under media/ must be to count as orphaned
	// (an upload writes its files just before its row); 0 means 15 minutes.
	Settle time.Duration
	// StaleTmp is how old a file under tmp/ must be to count as left
	// over; 0 means 24 hours.
	StaleTmp time.Duration
}

// Report is what Run found.
type Report struct {
	DataDir  string    `json:"data_dir"`
	Findings []Finding `json:"findings"`
}

// Worst returns the most severe finding's severity (OK when there are none).
func (r *Report) Worst() Severity {
	worst := OK
	for _, f := range r.Findings {
		worst = max(worst, f.Severity)
	}
	return worst
}

// Count returns how many findings have severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }

// Run runs every check and returns what they found.
func Run(ctx context.Context, opt Options) *Report {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Settle <= 0 {
		opt.Settle = 15 * time.Minute
	}
	if opt.StaleTmp <= 0 {
		opt.StaleTmp = 24 * time.Hour
	}
	r := &Report{DataDir: opt.DataDir}
	checkConfig(r, opt)
	if !checkDataDir(r, opt) {
		return r
	}
	db := checkDatabase(ctx, r, opt)
	if db != nil {
		defer db.Close()
		if checkMigrations(ctx, r, db) {
			checkMedia(ctx, r, opt, db)
		}
	}
	checkTmp(r, opt)
	return r
}

func checkConfig(r *Report, opt Options) {
	if opt.ConfigErr != nil {
		r.add(Finding{Check: "config", Severity: Error,
			Message: "the configuration is invalid: " + strings.ReplaceAll(opt.ConfigErr.Error(), "\n", "; "),
			Fix:     "Correct the FOLIO_* environment variables or flags named above (see README, Configuration); folio serve refuses to start until then."})
		return
	}
	r.add(Finding{Check: "config", Severity: OK, Message: "the configuration is valid"})
}

// WriteText prints the report for people: one line per check, then the
// items concerned (at most maxItems each; 0 means all) and the fix.
func (r *Report) WriteText(w io.Writer, maxItems int) {
	fmt.Fprintf(w, "folio doctor: %s\n\n", r.DataDir)
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%-8s %-11s %s\n", f.Severity, f.Check, f.Message)
		items := f.Items
		if maxItems > 0 && len(items) > maxItems {
			items = items[:maxItems]
		}
		for _, it := range items {
			fmt.Fprintf(w, "%21s- %s\n", "", it)
		}
		if len(items) < len(f.Items) {
			fmt.Fprintf(w, "%21s… and %d more (folio doctor --json lists them all)\n", "", len(f.Items)-len(items))
		}
		if f.Fix != "" {
			fmt.Fprintf(w, "%21sfix: %s\n", "", f.Fix)
		}
	}
	errs, warns := r.Count(Error), r.Count(Warning)
	fmt.Fprintln(w)
	switch {
	case errs == 0 && warns == 0:
		fmt.Fprintln(w, "All checks passed.")
	default:
		fmt.Fprintf(w, "%s, %s.\n", plural(errs, "error"), plural(warns, "warning"))
	}
}

// WriteJSON prints the report as JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
