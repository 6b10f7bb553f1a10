package store

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"github.com/folio-cms/folio/pkg/errs"
)

// ErrConstraint is the cause of a Conflict returned for a UNIQUE violation;
// Constraint tells which columns clashed.
type ErrConstraint struct {
	// Columns is what SQLite names, e.g. "entries.type, entries.slug".
	Columns string
}

func (e *ErrConstraint) Error() string { return "unique constraint failed: " + e.Columns }

// translate turns driver errors into *errs.Error once, here, so no other
// package needs to know SQLite's codes. We do this ourselves rather than with
// GORM's TranslateError because the driver's translator drops which
// constraint failed, and callers need that to say which field clashed.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errs.Wrap(err, errs.NotFound, "not_found", "Not found.")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return errs.Wrap(&ErrConstraint{Columns: pgUniqueColumns(pe)}, errs.Conflict, "conflict", "A record with the same unique value already exists.")
		case "23503": // foreign_key_violation
			return errs.Wrap(err, errs.Conflict, "conflict", "The change refers to a record that does not exist or is still in use.")
		case "22021", "22P05": // a NUL byte (or a character the database's encoding lacks) in text
			return errs.Validationf("text", "must not contain the character U+0000 (NUL)")
		}
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			cols := strings.TrimPrefix(se.Error(), "UNIQUE constraint failed: ")
			return errs.Wrap(&ErrConstraint{Columns: cols}, errs.Conflict, "conflict", "A record with the same unique value already exists.")
		case sqlite3.ErrConstraintForeignKey:
			return errs.Wrap(err, errs.Conflict, "conflict", "The change refers to a record that does not exist or is still in use.")
		}
	}
	return err
}

// pgKey finds the columns in PostgreSQL's detail of a unique violation:
// Key (type, slug)=(post, hello) already exists.
var pgKey = regexp.MustCompile(`^Key \(([^)]*)\)=`)

// pgUniqueColumns names the columns of a unique violation as SQLite does
// ("entries.type, entries.slug"), so callers ask one question of both.
func pgUniqueColumns(pe *pgconn.PgError) string {
	m := pgKey.FindStringSubmatch(pe.Detail)
	if m == nil {
		return pe.TableName + "." + pe.ConstraintName
	}
	cols := strings.Split(m[1], ", ")
	for i, c := range cols {
		cols[i] = pe.TableName + "." + strings.Trim(c, `"`)
	}
	return strings.Join(cols, ", ")
}

// IsUniqueViolation reports whether err is a UNIQUE violation on columns
// (as SQLite names them, e.g. "users.email").
func IsUniqueViolation(err error, columns string) bool {
	var c *ErrConstraint
	return errors.As(err, &c) && c.Columns == columns
}
