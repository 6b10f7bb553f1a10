// Package auth owns accounts and access: users and roles, the permission
// table, passwords, sessions and access tokens, API tokens for frontends,
// and the audit log of admin writes.
package auth

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/paging"
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
	// The public profile of an author: all optional.
	Bio       string
	AvatarID  *int64 // a media item
	Website   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Principal is the caller of an admin request: who, from where, in which
// session.
type Principal struct {
	User
	IP        string
	SessionID string
}

// System is the principal of folio's own command-line tools and background
// jobs: it may do everything, and owns nothing.
var System = Principal{User: User{Name: "system", Role: RoleAdmin}}

// Service manages accounts, sessions and tokens.
type Service struct {
	Store  *store.Store
	Hasher *Hasher
	Tokens *Tokens
	Now    func() time.Time // nil: time.Now

	apiTokenUse apiTokenUse
}

// User returns the user with the given id.
func (s *Service) User(ctx context.Context, actor Principal, id int64) (User, error) {
	if err := Check(actor, PermUsersManage, NoRecord); err != nil {
		return User{}, err
	}
	row, err := s.Store.Read(ctx).User(id)
	if store.IsNotFound(err) {
		return User{}, errUserNotFound
	}
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

var errUserNotFound = errs.NotFoundf("No user with that id.")

// userByEmail returns the user with the given email.
func (s *Service) userByEmail(ctx context.Context, email string) (User, error) {
	row, err := s.Store.Read(ctx).UserByEmail(NormalizeEmail(email))
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

// Users returns a page of users (email or name containing q).
func (s *Service) Users(ctx context.Context, actor Principal, q string, page, perPage int) (paging.Page[User], error) {
	if err := Check(actor, PermUsersManage, NoRecord); err != nil {
		return paging.Page[User]{}, err
	}
	rows, total, err := s.Store.Read(ctx).Users(strings.TrimSpace(q), (page-1)*perPage, perPage)
	if err != nil {
		return paging.Page[User]{}, err
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = userFromRow(r)
	}
	return paging.Page[User]{Items: out, Total: total, Page: page, PerPage: perPage}, nil
}

// NewUser is what it takes to create a user.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
	// NoPassword creates the user without a password (and disabled), as an
	// import does for authors it has not seen before.
	NoPassword bool
	Disabled   bool
}

// CreateUser validates and stores a new user on behalf of actor.
func (s *Service) CreateUser(ctx context.Context, actor Principal, in NewUser) (User, error) {
	if err := Check(actor, PermUsersManage, NoRecord); err != nil {
		return User{}, err
	}
	u, _, err := s.createUser(ctx, actor, in, nil)
	return u, err
}

// createUser checks and stores a new user. When unless is set, it runs in
// the write transaction first, and the user is created only if it answers
// false (created reports which).
func (s *Service) createUser(ctx context.Context, actor Principal, in NewUser, unless func(tx *store.Tx) (bool, error)) (u User, created bool, err error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = NameFromEmail(in.Email)
	}
	var f errs.Fields
	checkEmail(&f, in.Email)
	checkName(&f, in.Name)
	checkRole(&f, in.Role)
	var hash *string
	if !in.NoPassword {
		h, ok := s.checkAndHash(&f, "password", in.Password, in.Email, in.Name)
		if ok {
			hash = &h
		}
	}
	if err := f.Err(); err != nil {
		return User{}, false, err
	}
	row := store.UserRow{Email: in.Email, Name: in.Name, Role: string(in.Role), PasswordHash: hash, Disabled: in.Disabled || in.NoPassword}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if unless != nil {
			skip, err := unless(tx)
			if err != nil || skip {
				return err
			}
		}
		var err error
		if row.Slug, err = uniqueUserSlug(ctx, tx, in.Name, 0); err != nil {
			return err
		}
		if err := tx.InsertUser(&row); err != nil {
			return err
		}
		created = true
		return Audit(tx, actor, "user.create", "user", row.ID, map[string]any{"email": row.Email, "role": row.Role})
	})
	if store.IsUniqueViolation(err, "users.email") {
		return User{}, false, errEmailTaken
	}
	if err != nil || !created {
		return User{}, false, err
	}
	return userFromRow(row), true, nil
}

var errEmailTaken = errs.New(errs.Conflict, "email_taken", "A user with this email already exists.")

// UserPatch changes some fields of a user; nil fields stay as they are.
type UserPatch struct {
	Email    *string
	Name     *string
	Role     *Role
	Disabled *bool
	Password *string // an admin resetting the password
	Profile
}

// UpdateUser changes a user (admins only). A new password, role or status
// ends the user's sessions; the last active admin cannot be disabled or
// demoted.
func (s *Service) UpdateUser(ctx context.Context, actor Principal, id int64, p UserPatch) (User, error) {
	if err := Check(actor, PermUsersManage, Record{}); err != nil {
		return User{}, err
	}
	var row store.UserRow
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		row, err = tx.User(id)
		if store.IsNotFound(err) {
			return errUserNotFound
		}
		if err != nil {
			return err
		}
		var f errs.Fields
		changed := map[string]any{}
		endAll := false
		if p.Email != nil && NormalizeEmail(*p.Email) != row.Email {
			row.Email = NormalizeEmail(*p.Email)
			checkEmail(&f, row.Email)
			changed["email"] = row.Email
		}
		if p.Name != nil && strings.TrimSpace(*p.Name) != row.Name {
			row.Name = strings.TrimSpace(*p.Name)
			checkName(&f, row.Name)
			if row.Name == "" {
				f.Add("name", "must not be empty")
			}
			changed["name"] = row.Name
		}
		if p.Role != nil && string(*p.Role) != row.Role {
			checkRole(&f, *p.Role)
			changed["role"] = *p.Role
			if row.Role == string(RoleAdmin) && !row.Disabled {
				if err := lastAdmin(tx, row.ID, "demote"); err != nil {
					return err
				}
			}
			row.Role, endAll = string(*p.Role), true
		}
		if p.Disabled != nil && *p.Disabled != row.Disabled {
			changed["disabled"] = *p.Disabled
			if *p.Disabled && row.Role == string(RoleAdmin) {
				if err := lastAdmin(tx, row.ID, "disable"); err != nil {
					return err
				}
			}
			if !*p.Disabled && row.PasswordHash == nil && p.Password == nil {
				f.Add("disabled", "the user has no password yet: set one to enable them")
			}
			row.Disabled, endAll = *p.Disabled, true
		}
		if p.Password != nil {
			if h, ok := s.checkAndHash(&f, "password", *p.Password, row.Email, row.Name); ok {
				row.PasswordHash = &h
			}
			changed["password"] = "reset"
			endAll = true
		}
		if err := applyProfile(tx, &f, &row, p.Profile, changed); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if endAll {
			if err := endSessions(tx, &row); err != nil {
				return err
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if err := tx.UpdateUser(&row); err != nil {
			return err
		}
		return Audit(tx, actor, "user.update", "user", row.ID, changed)
	})
	if store.IsUniqueViolation(err, "users.email") {
		return User{}, errEmailTaken
	}
	if err != nil {
		return User{}, err
	}
	return userFromRow(row), nil
}

// DeleteUser removes a user (admins only); the last active admin cannot be
// deleted. Their posts stay, without an author.
func (s *Service) DeleteUser(ctx context.Context, actor Principal, id int64) error {
	if err := Check(actor, PermUsersManage, Record{}); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.User(id)
		if store.IsNotFound(err) {
			return errUserNotFound
		}
		if err != nil {
			return err
		}
		if row.Role == string(RoleAdmin) && !row.Disabled {
			if err := lastAdmin(tx, row.ID, "delete"); err != nil {
				return err
			}
		}
		if err := tx.DeleteUser(id); err != nil {
			return err
		}
		return Audit(tx, actor, "user.delete", "user", id, map[string]any{"email": row.Email})
	})
}

// lastAdmin refuses to remove the last active admin.
func lastAdmin(tx *store.Tx, id int64, verb string) error {
	n, err := tx.ActiveAdminsExcept(id)
	if err != nil || n > 0 {
		return err
	}
	return errs.Newf(errs.Conflict, "last_admin", "This is the last active admin: you cannot %s them. Make another user an admin first.", verb)
}

// MePatch is what users may change about themselves.
type MePatch struct {
	Name            *string
	Password        *string
	CurrentPassword *string
	Profile
}

// UpdateMe changes the caller's own name, password or public profile. A new password needs
// the current one (403 if wrong), ends every session of the user, and
// starts a new one for this client, returned as a Session.
func (s *Service) UpdateMe(ctx context.Context, actor Principal, p MePatch, from Client) (User, *Session, error) {
	if err := Check(actor, PermSignedIn, NoRecord); err != nil {
		return User{}, nil, err
	}
	var f errs.Fields
	if p.Password != nil {
		cur, err := s.Store.Read(ctx).User(actor.ID)
		if err != nil {
			return User{}, nil, err
		}
		if p.CurrentPassword == nil || !s.Hasher.Check(cur.PasswordHash, *p.CurrentPassword) {
			return User{}, nil, errs.New(errs.Forbidden, "wrong_password", "The current password is not correct.")
		}
	}
	var row store.UserRow
	var sess *Session
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = tx.User(actor.ID); err != nil {
			return err
		}
		changed := map[string]any{}
		if p.Name != nil && strings.TrimSpace(*p.Name) != row.Name {
			row.Name = strings.TrimSpace(*p.Name)
			if row.Name == "" {
				f.Add("name", "must not be empty")
			}
			checkName(&f, row.Name)
			changed["name"] = row.Name
		}
		if p.Password != nil {
			if h, ok := s.checkAndHash(&f, "password", *p.Password, row.Email, row.Name); ok {
				row.PasswordHash = &h
			}
			changed["password"] = "changed"
		}
		if err := applyProfile(tx, &f, &row, p.Profile, changed); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		if p.Password != nil {
			if err := endSessions(tx, &row); err != nil {
				return err
			}
		}
		if err := tx.UpdateUser(&row); err != nil {
			return err
		}
		if p.Password != nil {
			s, err := s.startSession(tx, row, from)
			if err != nil {
				return err
			}
			sess = &s
		}
		return Audit(tx, actor, "user.update_self", "user", row.ID, changed)
	})
	if err != nil {
		return User{}, nil, err
	}
	return userFromRow(row), sess, nil
}

// EnsureAdmin creates the first admin when there is no user at all. It
// returns whether it created one and the password it used (generated when
// password is empty). Several processes starting at once on one database
// create one admin between them: the count is checked again in the write
// transaction that inserts (one writer at a time), and the others find a
// user there and create none.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (created bool, usedPassword string, err error) {
	n, err := s.Store.Read(ctx).CountUsers()
	if err != nil || n > 0 {
		return false, "", err
	}
	if password == "" {
		password = GeneratePassword()
	}
	_, created, err = s.createUser(ctx, System, NewUser{Email: email, Name: "Administrator", Role: RoleAdmin, Password: password},
		func(tx *store.Tx) (bool, error) {
			n, err := tx.CountUsers()
			return n > 0, err
		})
	if err != nil || !created {
		return false, "", err
	}
	return true, password, nil
}

// EnsureAuthor returns the user with email, creating a disabled author
// without a password when there is none (an import names authors by email).
func (s *Service) EnsureAuthor(ctx context.Context, email string) (User, error) {
	u, err := s.userByEmail(ctx, email)
	if !store.IsNotFound(err) {
		return u, err
	}
	u, err = s.CreateUser(ctx, System, NewUser{Email: email, Role: RoleAuthor, NoPassword: true})
	if errs.Is(err, errs.Conflict) { // created meanwhile
		return s.userByEmail(ctx, email)
	}
	return u, err
}

func (s *Service) checkAndHash(f *errs.Fields, field, password, email, name string) (string, bool) {
	if msg := CheckPasswordStrength(password, email, name); msg != "" {
		f.Add(field, msg)
		return "", false
	}
	h, err := s.Hasher.Hash(password)
	if err != nil {
		f.Add(field, err.Error())
		return "", false
	}
	return h, true
}

func checkEmail(f *errs.Fields, email string) {
	if !ValidEmail(email) {
		f.Add("email", "must be a valid email address")
	}
}

func checkName(f *errs.Fields, name string) {
	if len([]rune(name)) > 100 {
		f.Add("name", "must be at most 100 characters")
	}
}

func checkRole(f *errs.Fields, r Role) {
	if _, ok := ParseRole(string(r)); !ok {
		f.Add("role", "must be one of admin, editor, marketer, author")
	}
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
		HasPassword: r.PasswordHash != nil, Bio: r.Bio, AvatarID: r.AvatarID, Website: r.Website,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
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
