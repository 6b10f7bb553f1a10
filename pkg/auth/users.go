// Package auth owns accounts and access: users and roles, the permission
// table, password hashing, and the access tokens of the admin API.
package auth

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/slug"
	"github.com/folio-cms/folio/pkg/store"
)

// User is an account, without its password hash.
type User struct {
	ID          int64
	Email       string
	Name        string
	Slug        string
	Role        Role
	Disabled    bool
	HasPassword bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Principal is the caller of an admin request.
type Principal struct {
	User
}

// Scope returns how far the caller may use permission p.
func (p Principal) Scope(perm Permission) Scope { return ScopeOf(p.Role, perm) }

// Service manages accounts and signs people in.
type Service struct {
	Store  *store.Store
	Hasher *Hasher
	Tokens *Tokens
}

// Session is the result of a successful sign-in.
type Session struct {
	AccessToken string
	ExpiresIn   time.Duration
	User        User
}

var errBadCredentials = errs.New(errs.Unauthenticated, "invalid_credentials", "The email or password is not correct.")

// Login checks an email and password and issues an access token. A wrong
// password, an unknown email, a disabled user and a user without a password
// all get the same error after the same amount of work.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	row, err := s.Store.Read(ctx).UserByEmail(NormalizeEmail(email))
	if err != nil && !store.IsNotFound(err) {
		return Session{}, err
	}
	var hash *string
	if err == nil {
		hash = row.PasswordHash
	}
	if !s.Hasher.Check(hash, password) || row.Disabled {
		return Session{}, errBadCredentials
	}
	tok, ttl, err := s.Tokens.Issue(row.ID, 0)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: tok, ExpiresIn: ttl, User: userFromRow(row)}, nil
}

// Authenticate verifies a bearer access token and returns the caller, loaded
// fresh from the database so a disabled or deleted user is refused at once.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	claims, err := s.Tokens.Verify(token)
	if err != nil {
		return Principal{}, errs.Wrap(err, errs.Unauthenticated, "invalid_token", "The access token is missing, malformed, expired or not valid.")
	}
	id, _ := claims.UserID()
	row, err := s.Store.Read(ctx).User(id)
	if store.IsNotFound(err) || (err == nil && row.Disabled) {
		return Principal{}, errs.New(errs.Unauthenticated, "invalid_token", "The access token is missing, malformed, expired or not valid.")
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{User: userFromRow(row)}, nil
}

// User returns the user with the given id.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	row, err := s.Store.Read(ctx).User(id)
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

// UserByEmail returns the user with the given email.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	row, err := s.Store.Read(ctx).UserByEmail(NormalizeEmail(email))
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

// NewUser is what it takes to create a user.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string // empty with NoPassword: the user cannot sign in
	// NoPassword creates the user without a password (and disabled), as an
	// import does for authors it has not seen before.
	NoPassword bool
	Disabled   bool
}

// CreateUser validates and stores a new user.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	var f errs.Fields
	if !ValidEmail(in.Email) {
		f.Add("email", "must be a valid email address")
	}
	if in.Name == "" {
		in.Name = NameFromEmail(in.Email)
	}
	if len([]rune(in.Name)) > 100 {
		f.Add("name", "must be at most 100 characters")
	}
	if _, ok := ParseRole(string(in.Role)); !ok {
		f.Addf("role", "must be one of admin, editor, marketer, author")
	}
	var hash *string
	if !in.NoPassword {
		if msg := CheckPasswordStrength(in.Password, in.Email); msg != "" {
			f.Add("password", msg)
		} else {
			h, err := s.Hasher.Hash(in.Password)
			if err != nil {
				return User{}, err
			}
			hash = &h
		}
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	row := store.UserRow{Email: in.Email, Name: in.Name, Role: string(in.Role), PasswordHash: hash, Disabled: in.Disabled || in.NoPassword}
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		row.Slug, err = uniqueUserSlug(ctx, tx, in.Name, 0)
		if err != nil {
			return err
		}
		return tx.InsertUser(&row)
	})
	if store.IsUniqueViolation(err, "users.email") {
		return User{}, errs.New(errs.Conflict, "email_taken", "A user with this email already exists.")
	}
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

// EnsureAdmin creates the first admin when there is no user at all. It
// returns whether it created one and the password it used (generated when
// password is empty).
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (created bool, usedPassword string, err error) {
	n, err := s.Store.Read(ctx).CountUsers()
	if err != nil || n > 0 {
		return false, "", err
	}
	if password == "" {
		password = GeneratePassword()
	}
	if _, err := s.CreateUser(ctx, NewUser{Email: email, Name: "Administrator", Role: RoleAdmin, Password: password}); err != nil {
		return false, "", err
	}
	return true, password, nil
}

// EnsureAuthor returns the user with email, creating a disabled author
// without a password when there is none (an import names authors by email).
func (s *Service) EnsureAuthor(ctx context.Context, email string) (User, error) {
	u, err := s.UserByEmail(ctx, email)
	if !store.IsNotFound(err) {
		return u, err
	}
	u, err = s.CreateUser(ctx, NewUser{Email: email, Role: RoleAuthor, NoPassword: true})
	if errs.Is(err, errs.Conflict) { // created meanwhile
		return s.UserByEmail(ctx, email)
	}
	return u, err
}

func uniqueUserSlug(ctx context.Context, tx *store.Tx, name string, except int64) (string, error) {
	base := slug.Make(name)
	if base == "" {
		base = "user"
	}
	return slug.Unique(ctx, base, func(_ context.Context, s string) (bool, error) {
		return tx.UserSlugTaken(s, except)
	})
}

func userFromRow(r store.UserRow) User {
	return User{
		ID: r.ID, Email: r.Email, Name: r.Name, Slug: r.Slug, Role: Role(r.Role), Disabled: r.Disabled,
		HasPassword: r.PasswordHash != nil, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address (no display name) of at
// most 254 characters with a dot in its domain.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".")
}

// NameFromEmail makes a display name from an email's local part:
// "maya.chen@example.com" → "Maya Chen".
func NameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	if len(words) == 0 {
		return "User"
	}
	return strings.Join(words, " ")
}

// CheckPasswordStrength returns why password is not acceptable, or "".
func CheckPasswordStrength(password, email string) string {
	switch {
	case len([]rune(password)) < 10:
		return "must be at least 10 characters"
	case len(password) > MaxPasswordBytes:
		return "must be at most 72 bytes"
	case strings.EqualFold(password, email):
		return "must not be the email address"
	}
	return ""
}

// System is the principal of folio's own command-line tools: it may do
// everything, and owns nothing.
var System = Principal{User: User{Name: "system", Role: RoleAdmin}}
