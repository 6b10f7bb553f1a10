package auth

import (
	"slices"

	"github.com/folio-cms/folio/pkg/errs"
)

// Role is what a user may do in the admin.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"    // everything: users, tokens, audit, settings, permanent deletes
	RoleEditor   Role = "editor"   // all posts and case studies, media
	RoleMarketer Role = "marketer" // case studies; reads posts; media
	RoleAuthor   Role = "author"   // drafts own posts, cannot publish; uploads media
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleEditor, RoleMarketer, RoleAuthor}

// ParseRole returns the role named s and whether it exists.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Permission names one thing a caller may do. Every admin route declares
// exactly one.
type Permission string

// The permissions. Content permissions exist per type so that a role can be
// given posts but not case studies, or the reverse.
const (
	PermSignedIn Permission = "signed_in" // any active user (own profile, preview)

	PermPostRead    Permission = "posts.read"
	PermPostCreate  Permission = "posts.create"
	PermPostUpdate  Permission = "posts.update"
	PermPostDelete  Permission = "posts.delete"
	PermPostSubmit  Permission = "posts.submit"
	PermPostPublish Permission = "posts.publish" // publish, unpublish, schedule, unschedule, archive

	PermCaseStudyRead    Permission = "case_studies.read"
	PermCaseStudyCreate  Permission = "case_studies.create"
	PermCaseStudyUpdate  Permission = "case_studies.update"
	PermCaseStudyDelete  Permission = "case_studies.delete"
	PermCaseStudySubmit  Permission = "case_studies.submit"
	PermCaseStudyPublish Permission = "case_studies.publish"

	PermPageRead    Permission = "pages.read"
	PermPageCreate  Permission = "pages.create"
	PermPageUpdate  Permission = "pages.update"
	PermPageDelete  Permission = "pages.delete"
	PermPageSubmit  Permission = "pages.submit"
	PermPagePublish Permission = "pages.publish"

	PermContentPurge Permission = "content.purge" // permanent deletes
	PermMediaRead    Permission = "media.read"
	PermMediaUpload  Permission = "media.upload"
	PermMediaUpdate  Permission = "media.update"
	PermMediaDelete  Permission = "media.delete"
	PermMediaForce   Permission = "media.force_delete"
	PermUsersManage  Permission = "users.manage"
	PermTokensManage Permission = "tokens.manage"
	PermAuditRead    Permission = "audit.read"
	PermWebhooks     Permission = "webhooks.manage"
	PermSiteManage   Permission = "site.manage" // the site settings: title, logo, navigation, …
	PermTagsUpdate   Permission = "tags.update" // a tag's description
)

// Scope says how far a permission reaches.
type Scope int

// Scopes: none, only records the caller owns, or every record.
const (
	ScopeNone Scope = iota
	ScopeOwn
	ScopeAny
)

// grants is THE permission table: for each role, what it may do and how far.
// A permission missing from a role's map is ScopeNone. README documents it.
var grants = map[Role]map[Permission]Scope{
	RoleAdmin: nil, // everything, set in init
	RoleEditor: {
		PermSignedIn: ScopeAny,
		PermPostRead: ScopeAny, PermPostCreate: ScopeAny, PermPostUpdate: ScopeAny,
		PermPostDelete: ScopeAny, PermPostSubmit: ScopeAny, PermPostPublish: ScopeAny,
		PermCaseStudyRead: ScopeAny, PermCaseStudyCreate: ScopeAny, PermCaseStudyUpdate: ScopeAny,
		PermCaseStudyDelete: ScopeAny, PermCaseStudySubmit: ScopeAny, PermCaseStudyPublish: ScopeAny,
		PermPageRead: ScopeAny, PermPageCreate: ScopeAny, PermPageUpdate: ScopeAny,
		PermPageDelete: ScopeAny, PermPageSubmit: ScopeAny, PermPagePublish: ScopeAny,
		PermMediaRead: ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeAny, PermMediaDelete: ScopeAny,
		PermTagsUpdate: ScopeAny,
	},
	RoleMarketer: {
		PermSignedIn:      ScopeAny,
		PermPostRead:      ScopeAny,
		PermCaseStudyRead: ScopeAny, PermCaseStudyCreate: ScopeAny, PermCaseStudyUpdate: ScopeAny,
		PermCaseStudyDelete: ScopeAny, PermCaseStudySubmit: ScopeAny, PermCaseStudyPublish: ScopeAny,
		PermPageRead: ScopeAny, PermPageCreate: ScopeAny, PermPageUpdate: ScopeAny,
		PermPageDelete: ScopeAny, PermPageSubmit: ScopeAny, PermPagePublish: ScopeAny,
		PermMediaRead: ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeAny, PermMediaDelete: ScopeAny,
	},
	RoleAuthor: {
		PermSignedIn:   ScopeAny,
		PermPostRead:   ScopeAny,
		PermPostCreate: ScopeAny,
		PermPostUpdate: ScopeOwn, // and only while not published: a content rule
		PermPostDelete: ScopeOwn, // to the trash, and only while not published
		PermPostSubmit: ScopeOwn,
		PermPageRead:   ScopeAny,
		PermMediaRead:  ScopeAny, PermMediaUpload: ScopeAny, PermMediaUpdate: ScopeOwn,
	},
}

// AllPermissions lists every permission.
var AllPermissions = []Permission{
	PermSignedIn,
	PermPostRead, PermPostCreate, PermPostUpdate, PermPostDelete, PermPostSubmit, PermPostPublish,
	PermCaseStudyRead, PermCaseStudyCreate, PermCaseStudyUpdate, PermCaseStudyDelete, PermCaseStudySubmit, PermCaseStudyPublish,
	PermPageRead, PermPageCreate, PermPageUpdate, PermPageDelete, PermPageSubmit, PermPagePublish,
	PermContentPurge,
	PermMediaRead, PermMediaUpload, PermMediaUpdate, PermMediaDelete, PermMediaForce,
	PermUsersManage, PermTokensManage, PermAuditRead, PermWebhooks, PermSiteManage, PermTagsUpdate,
}

func init() {
	all := make(map[Permission]Scope, len(AllPermissions))
	for _, p := range AllPermissions {
		all[p] = ScopeAny
	}
	grants[RoleAdmin] = all
}

// scopeOf returns how far role may use permission.
func scopeOf(role Role, p Permission) Scope {
	return grants[role][p]
}

// Record is what the permission check knows of the record an action is on:
// whose it is, and whether its owner may still act on it alone. The zero
// Record is a record that is nobody's: only a permission of ScopeAny
// reaches it.
type Record struct {
	Owner *int64 // the user the record belongs to; nil: nobody
	// Closed marks a record its owner may no longer change alone (an
	// author's post once it is published): only ScopeAny reaches it.
	Closed bool
	none   bool
}

// NoRecord is for actions on no record in particular (listing, creating,
// uploading): a permission of ScopeOwn is enough for them.
var NoRecord = Record{none: true}

// Allowed is THE permission check, the one every service method and the
// route table use: may actor use permission p on rec now? ScopeAny reaches
// every record; ScopeOwn reaches NoRecord and the open records actor owns.
// To tell a caller what they may do to a record (allowed actions), ask
// this for each action's permission.
func Allowed(actor Principal, p Permission, rec Record) bool {
	switch scopeOf(actor.Role, p) {
	case ScopeAny:
		return true
	case ScopeOwn:
		return rec.none || (!rec.Closed && actor.ID != 0 && rec.Owner != nil && *rec.Owner == actor.ID)
	}
	return false
}

// Reach says how far each permission actor holds reaches: "own" (only
// records actor owns, while they are open) or "any". Permissions actor
// lacks are left out. It is the permission table itself, for clients that
// show what a user may do before there is a record to ask about (what the
// admin app offers); a record's own answer is its allowed actions.
func Reach(actor Principal) map[Permission]string {
	out := map[Permission]string{}
	for _, p := range AllPermissions {
		switch scopeOf(actor.Role, p) {
		case ScopeAny:
			out[p] = "any"
		case ScopeOwn:
			out[p] = "own"
		}
	}
	return out
}

// ErrForbidden is what Check returns for a caller who may not.
var ErrForbidden = errs.New(errs.Forbidden, "forbidden", "You are not allowed to do this.")

// Check is Allowed as an error: nil when actor may use p on rec, and
// ErrForbidden otherwise. Callers with a more telling sentence for the
// refusal return their own error when Check fails.
func Check(actor Principal, p Permission, rec Record) error {
	if !Allowed(actor, p, rec) {
		return ErrForbidden
	}
	return nil
}
